/// Gathers what a report shows while alerts stream past, from a replay's sink or from alert
/// files: every alert's row and provenance, the rules with counts, the entities with first and
/// last seen, the alerts' times by severity, and the events' JSON text up to a budget.
///
/// The budget keeps the report of a large replay small enough to open (the target: a
/// 100,000-alert report under 20 MB that Chromium opens in under 3 s): event bodies are kept
/// whole, each up to `bodyLimit` bytes, and `bodyBudget` bytes in all, shared among the rules so
/// that a noisy rule cannot take the room of a rare one. When the budget is spent, the rule that
/// holds the most gives up its latest body: a rule that fires once at the end of a flood of
/// another's alerts still shows its event. Alerts without a body show their row and provenance,
/// and the report says how many and where to find them.
public struct ReportBuilder: Sendable {
    /// One alert as the report lists it.
    public struct Entry: Sendable {
        public let anchor: String
        public let fields: AlertRowFields
        public let seconds: Int64?
        public let file: String?
        public let record: Int?
        /// The event's JSON text, when within the budget.
        public fileprivate(set) var body: ArraySlice<UInt8>?
        /// Why `body` is nil: too large, or past the budget.
        public fileprivate(set) var bodyOmission: String?
    }

    /// A rule's alerts.
    public struct RuleGroup: Sendable {
        public var severity: String
        public var count = 0
        public var first: Int64?
        public var last: Int64?
        public var firstAnchor: String
    }

    /// An entity (a principal, an address, a resource, an account) seen in alerts.
    public struct Sighting: Sendable {
        public var count = 0
        public var first: Int64?
        public var last: Int64?
        public var firstAnchor: String
    }

    public enum EntityKind: String, Sendable, CaseIterable {
        case principal = "Principals", address = "Addresses", resource = "Resources", account = "Accounts"

        /// One of them, for a column heading.
        public var singular: String {
            switch self {
            case .principal: "principal"
            case .address: "address"
            case .resource: "resource"
            case .account: "account"
            }
        }
    }

    public let bodyLimit: Int
    public let bodyBudget: Int
    public private(set) var entries: [Entry] = []
    public private(set) var rules: [String: RuleGroup] = [:]
    public private(set) var entities: [EntityKind: [String: Sighting]] = [:]
    public private(set) var bodyBytes = 0
    public private(set) var bodiesOmitted = 0
    /// Alerts whose id was already listed (the same alert in two files), not listed again.
    public private(set) var repeatedAlerts = 0
    private var anchors: Set<String> = []
    /// Per rule, the bytes of event text it holds and its entries with a body, oldest first.
    private var bodyHolders: [String: (bytes: Int, entries: [Int])] = [:]

    public init(bodyLimit: Int = 32 * 1024, bodyBudget: Int = 4_000_000) {
        self.bodyLimit = bodyLimit
        self.bodyBudget = bodyBudget
    }

    /// Adds one alert (or one of hunt's events).
    public mutating func add(_ document: AlertDocument) {
        let anchor = document.id ?? "event-\(entries.count + 1)"
        guard anchors.insert(anchor).inserted else {
            repeatedAlerts += 1
            return
        }
        let fields = AlertRowFields(document)
        let seconds = ReportTime.seconds(document.time)
        let rule = document.rule ?? "(events)"
        var body: ArraySlice<UInt8>?
        var omission: String?
        let eventSize = document.event.count
        if eventSize > bodyLimit {
            omission = "event of \(eventSize) bytes, over the report's limit of \(bodyLimit) per event"
            bodiesOmitted += 1
        } else {
            body = document.bytes[document.event]
        }
        entries.append(Entry(anchor: anchor, fields: fields, seconds: seconds, file: document.file, record: document.record,
                             body: body, bodyOmission: omission))
        if body != nil {
            bodyHolders[rule, default: (0, [])].bytes += eventSize
            bodyHolders[rule]!.entries.append(entries.count - 1)
            bodyBytes += eventSize
            while bodyBytes > bodyBudget { giveUpOneBody() }
        }
        var group = rules[rule] ?? RuleGroup(severity: document.severity ?? "", firstAnchor: anchor)
        group.count += 1
        Self.widen(&group.first, &group.last, with: seconds)
        rules[rule] = group
        note(.principal, fields.who, seconds, anchor)
        note(.address, fields.from.map(Self.host), seconds, anchor)
        note(.resource, fields.resource, seconds, anchor)
        note(.account, fields.account, seconds, anchor)
    }

    /// Drops the latest body of the rule that holds the most event text (ties: the rule with
    /// more bodies, then by name, so the report is the same from run to run).
    private mutating func giveUpOneBody() {
        guard let (rule, holder) = bodyHolders.max(by: { a, b in
            (a.value.bytes, a.value.entries.count, b.key) < (b.value.bytes, b.value.entries.count, a.key)
        }), let index = holder.entries.last else { return }
        let size = entries[index].body?.count ?? 0
        entries[index].body = nil
        entries[index].bodyOmission = "the report's \(bodyBudget / 1_000_000) MB of event text is shared among the rules, and this rule's share was spent"
        bodyHolders[rule]!.entries.removeLast()
        bodyHolders[rule]!.bytes -= size
        bodyBytes -= size
        bodiesOmitted += 1
    }

    private mutating func note(_ kind: EntityKind, _ value: String?, _ seconds: Int64?, _ anchor: String) {
        guard let value, !value.isEmpty else { return }
        var sighting = entities[kind]?[value] ?? Sighting(firstAnchor: anchor)
        sighting.count += 1
        Self.widen(&sighting.first, &sighting.last, with: seconds)
        entities[kind, default: [:]][value] = sighting
    }

    /// The address of `address:port` or `[v6]:port`: an entity is the address, whatever the port.
    static func host(_ text: String) -> String {
        if text.hasPrefix("["), let close = text.firstIndex(of: "]") { return String(text[text.index(after: text.startIndex)..<close]) }
        let colons = text.filter { $0 == ":" }.count
        if colons == 1, let colon = text.firstIndex(of: ":") { return String(text[..<colon]) }
        return text
    }

    private static func widen(_ first: inout Int64?, _ last: inout Int64?, with seconds: Int64?) {
        guard let seconds else { return }
        first = min(first ?? seconds, seconds)
        last = max(last ?? seconds, seconds)
    }

    /// The rules, most alerts first.
    public var rulesByCount: [(name: String, group: RuleGroup)] {
        rules.map { (name: $0.key, group: $0.value) }.sorted { $0.group.count != $1.group.count ? $0.group.count > $1.group.count : $0.name < $1.name }
    }

    /// The entities of `kind`, most alerts first.
    public func entities(_ kind: EntityKind) -> [(value: String, sighting: Sighting)] {
        (entities[kind] ?? [:]).map { (value: $0.key, sighting: $0.value) }
            .sorted { $0.sighting.count != $1.sighting.count ? $0.sighting.count > $1.sighting.count : $0.value < $1.value }
    }
}

import VigilJSON

/// A record turned into an EventBridge event, without building the event's JSON.
///
/// The envelope is virtual (ARCHITECTURE.md): `source`, `detail-type`, `account`, `region` and `time` are
/// small byte strings derived from the record, and `detail` is the record itself (CloudTrail,
/// GuardDuty), so matching reads the record where the reader found it, or a detail written from
/// it for sources whose `detail` EventBridge shapes differently (flow lines, Config items, audit
/// lines, Security Hub's `{"findings":[…]}`). `EnvelopeWriter` materializes the whole event only
/// for output. One envelope is reused for every record a normalizer handles; its byte views are
/// valid until the next record.
public final class EventEnvelope {
    public internal(set) var kind: LogRecord.Kind = .cloudTrail
    /// The values of the envelope's top-level strings, as UTF-8 (not JSON-escaped).
    public internal(set) var source: [UInt8] = []
    public internal(set) var detailType: [UInt8] = []
    public internal(set) var account: [UInt8] = []
    public internal(set) var region: [UInt8] = []
    /// The event's `time`, ISO 8601 text.
    public internal(set) var time: [UInt8] {
        get {
            writeUnwrittenTime()
            return writtenTime
        }
        _modify {
            writeUnwrittenTime()
            yield &writtenTime
        }
    }
    private var writtenTime: [UInt8] = []
    /// The kind whose constant `source` and `detail-type` (`setConstants`) the two hold, kept
    /// by `reset` for the next event of the kind; nil when they hold anything else.
    private var constantsKind: LogRecord.Kind?
    /// The kind whose events set `account` and `region` with `setPlace`, which `reset` keeps for
    /// the next event of the kind; nil when they were written otherwise.
    private var placeKind: LogRecord.Kind?
    /// A time set in seconds and not yet written as text (`setTime(seconds:)`): a flow record's,
    /// whose text only an alert or a pattern on `time` reads (235 instructions a record, 1.3 % of
    /// a flow replay, callgrind).
    private var unwrittenTimeSeconds: Int64?
    /// `time` as seconds since 1970, when it could be read.
    public internal(set) var eventTime: Int64?
    /// What identifies the event across deliveries and replays: CloudTrail `eventID` + account
    /// (`eventID@account`), GuardDuty `id` + `updatedAt`, a flow record's file and ordinal
    /// (ARCHITECTURE.md's event identity). The alert ids and the event's `id` UUID derive from it.
    public internal(set) var identity: [UInt8] {
        get {
            writeUnwrittenIdentity()
            return writtenIdentity
        }
        _modify {
            writeUnwrittenIdentity()
            yield &writtenIdentity
        }
    }
    private var writtenIdentity: [UInt8] = []
    /// An identity of file and line not yet written (`identifyByLine`): most events are never
    /// shown, and a line's number as text cost an allocation per flow record.
    private var unwrittenIdentityPath: String?
    private var unwrittenIdentityOrdinal = 0
    /// An EventBridge event's own `id`; other kinds derive theirs from `identity`.
    var ownID: [UInt8] = []
    /// The record as read: the `detail` of CloudTrail and GuardDuty events, the whole event of an
    /// EventBridge event.
    public internal(set) var record = UnsafeRawBufferPointer(start: nil, count: 0)
    /// Where the record's members lie, when the reader noted it (see `LogRecord.members`).
    public internal(set) var recordMembers: ObjectMemberIndex?
    /// Whether `detail` is `writtenDetail` rather than the record: set by a normalizer that
    /// writes it, reset for every record.
    var detailIsWritten = false
    /// A `detail` written from the record (a flow line's fields, a Config item's notification,
    /// an audit line's fields, a finding wrapped as `{"findings":[…]}`); reused across records.
    var writtenDetail: [UInt8] = []
    /// Where the members of `writtenDetail` lie, noted as it was written or by
    /// `indexWrittenDetail()`.
    let writtenDetailMembers = ObjectMemberIndex()
    /// Whether `writtenDetail` is compact by construction: a flow record's, which its writer
    /// writes without whitespace. Other normalizers copy record bytes into theirs.
    private var writtenDetailIsCompact = false
    /// A flow record's fields, split and checked from `record`; its `detail` is written from them
    /// only when something asks for the detail's bytes (`withDetail`, `detailMembers`): matching
    /// takes the fields one by one (`forEachFlowField`), so a record no rule matches is never
    /// written as JSON.
    var flowFields = FlowLogLineWriter()
    /// The format of `record` while its `detail` is still unwritten; nil once written and for
    /// other kinds.
    var unwrittenFlowDetail: FlowLogFormat?
    /// The `resources` array's strings (UTF-8, not escaped), one after another in one buffer so
    /// that a record costs no allocation once warmed up; `resourceEnds` marks where each ends.
    private var resourceBytes: [UInt8] = []
    private var resourceEnds: [Int] = []
    /// Where a Config item change's `configurationItem` lies in `writtenDetail` (for
    /// `ConfigItemDiffer`); nil for other events.
    public internal(set) var configItem: ConfigItemLocation?

    /// Where the members of the `detail` object lie, when known (see `withDetail`).
    public var detailMembers: ObjectMemberIndex? {
        writeUnwrittenDetail()
        return detailIsWritten ? writtenDetailMembers : recordMembers
    }

    /// The format of a flow record whose `detail` has not been written: its fields are then
    /// handed out by `forEachFlowField` (nil for other events, and once the detail is written).
    public var flowFormat: FlowLogFormat? { unwrittenFlowDetail }

    /// Calls `body` with each member `detail` holds for a flow record not yet written (see
    /// `flowFormat`) among the fields at `positions` of `flowFormat`, in the order given: the
    /// index in `positions`, whether the value is a JSON number, and the value — a number's
    /// spelling as `detail` writes it, a string's characters (UTF-8, not escaped). Does nothing
    /// for other events.
    @inline(__always)
    public func forEachFlowField(at positions: UnsafeBufferPointer<Int32>,
                                 _ body: (_ index: Int, _ isNumeric: Bool, _ value: UnsafeRawBufferPointer) -> Void) {
        guard let format = unwrittenFlowDetail else { return }
        flowFields.forEachPresentField(record, format: format, at: positions, body)
    }

    /// Writes a flow record's `detail` from its fields, if it is still unwritten.
    @inline(__always)
    func writeUnwrittenDetail() {
        guard let format = unwrittenFlowDetail else { return }
        unwrittenFlowDetail = nil
        writtenDetail.removeAll(keepingCapacity: true)
        flowFields.write(record, format: format, into: &writtenDetail, members: writtenDetailMembers)
        detailIsWritten = true
        writtenDetailIsCompact = true
    }

    /// Whether `record` holds no whitespace outside its strings, as the vector validator proved
    /// while validating it (`ObjectMemberIndex.compactLength`): its compacted form is then itself.
    public var recordIsKnownCompact: Bool { recordMembers?.compactLength == record.count }

    /// Whether `detail` (as `withDetail` lends it) is known to hold no whitespace outside its
    /// strings: a record proven so, or a flow record's written detail. Writing an event copies such
    /// a detail as it is instead of proving it compact again byte by byte, which cost 2,500
    /// instructions per 1.3 KB CloudTrail alert, a tenth of an alert's cost (callgrind).
    public var detailIsKnownCompact: Bool {
        writeUnwrittenDetail()
        return detailIsWritten ? writtenDetailIsCompact : recordIsKnownCompact
    }

    /// How many strings the event's `resources` array holds.
    public var resourceCount: Int { resourceEnds.count }

    /// Calls `body` with each string of `resources`, in order (UTF-8, not escaped).
    public func forEachResource(_ body: (UnsafeRawBufferPointer) throws -> Void) rethrows {
        try resourceBytes.withUnsafeBytes { bytes in
            var start = 0
            for end in resourceEnds {
                try body(UnsafeRawBufferPointer(rebasing: bytes[start..<end]))
                start = end
            }
        }
    }

    /// Adds a string to `resources` (UTF-8, not escaped): a Config item's ARN, a finding's `Id`.
    func appendResource(_ value: some Collection<UInt8>) {
        resourceBytes.append(contentsOf: value)
        resourceEnds.append(resourceBytes.count)
    }

    /// Validates `writtenDetail` and notes its members, for a normalizer that wrote it without
    /// noting them; marks the detail as written. A written detail that is not one JSON object
    /// is the normalizer's fault, reported like a malformed record rather than trusted.
    func indexWrittenDetail() throws(InputProblem) {
        detailIsWritten = true
        var failure: EventError?
        writtenDetail.withUnsafeBytes { bytes in
            do throws(EventError) {
                try JSONValidator.validate(bytes, members: writtenDetailMembers)
            } catch {
                failure = error
            }
        }
        if let error = failure {
            throw InputProblem(error.kind == .tooDeep ? .tooDeep : .malformedRecord, reason: error.message)
        }
    }

    public init() {}

    /// Whether the record is already a whole EventBridge event, matched and written as it is.
    public var isWholeEvent: Bool { kind == .eventBridgeEvent }

    /// Calls `body` with the `detail` object's JSON bytes (not for whole events).
    public func withDetail<Result>(_ body: (UnsafeRawBufferPointer) throws -> Result) rethrows -> Result {
        writeUnwrittenDetail()
        if detailIsWritten {
            return try writtenDetail.withUnsafeBytes { try body($0) }
        }
        return try body(record)
    }

    /// Appends the event's `id`: its own for EventBridge events, else a UUID derived from the
    /// kind and identity, the same in every replay.
    public func appendID(to output: inout [UInt8]) {
        if kind == .eventBridgeEvent {
            output.append(contentsOf: ownID)
            return
        }
        var prefix = kind.name + ":"  // a small string: on the stack
        prefix.withUTF8 { prefix in
            identity.withUnsafeBytes { NameBasedUUID.append(prefix: UnsafeRawBufferPointer(prefix), name: $0, to: &output) }
        }
    }

    /// A copy that owns its bytes, for an event whose detail is written (a Config item): kept past
    /// the record's visit, to be diffed and matched in file order on another thread.
    public func copyOfWrittenEvent() -> EventEnvelope {
        writeUnwrittenDetail()
        let copy = EventEnvelope()
        copy.kind = kind
        copy.source = source
        copy.detailType = detailType
        copy.account = account
        copy.region = region
        copy.time = time
        copy.eventTime = eventTime
        copy.identity = identity
        copy.ownID = ownID
        copy.writtenDetail = writtenDetail
        copy.detailIsWritten = detailIsWritten
        copy.configItem = configItem
        copy.resourceBytes = resourceBytes
        copy.resourceEnds = resourceEnds
        let members = writtenDetailMembers
        copy.writtenDetailMembers.withNotes { notes in
            for index in 0..<members.count {
                let key = members.key(index)
                notes.append(key: key.range, keyIsEscaped: key.isEscaped, value: members.value(index))
            }
        }
        return copy
    }

    /// Sets `source` and `detail-type` to a kind's constants, which every event of the kind has
    /// (flow records, findings, audit lines). They are kept from one event of the kind to the
    /// next rather than emptied and written again: 360 instructions a flow record, 2 % of a flow
    /// replay (callgrind).
    func setConstants(source: StaticString, detailType: StaticString) {
        guard constantsKind != kind else { return }
        self.source.append(utf8: source)
        self.detailType.append(utf8: detailType)
        constantsKind = kind
    }

    /// Sets `account` and `region`, which are then kept for the next event of the kind, to be
    /// compared rather than emptied and written again: most of a file's flow records share
    /// them (2 % of a flow replay, callgrind). A kind that sets them so sets them for every event.
    func setPlace(account: UnsafeRawBufferPointer, region: UnsafeRawBufferPointer) {
        Self.replace(&self.account, with: account)
        Self.replace(&self.region, with: region)
        placeKind = kind
    }

    /// Makes `array` hold `bytes`, unless it does already.
    private static func replace(_ array: inout [UInt8], with bytes: UnsafeRawBufferPointer) {
        guard !array.withUnsafeBytes({ JSONBytes.equals($0, bytes) }) else { return }
        empty(&array)
        array.append(contentsOf: bytes)
    }

    /// Sets `time` to `seconds` since 1970, written as text only when read.
    func setTime(seconds: Int64) {
        Self.empty(&writtenTime)
        unwrittenTimeSeconds = seconds
    }

    @inline(__always)
    private func writeUnwrittenTime() {
        guard let seconds = unwrittenTimeSeconds else { return }
        unwrittenTimeSeconds = nil
        Timestamps.appendISO8601(seconds, to: &writtenTime)
    }

    /// Sets the identity to `path:ordinal` (a flow record's, an audit line's without an event
    /// id), written only when read.
    func identifyByLine(path: String, ordinal: Int) {
        writtenIdentity.removeAll(keepingCapacity: true)
        unwrittenIdentityPath = path
        unwrittenIdentityOrdinal = ordinal
    }

    @inline(__always)
    private func writeUnwrittenIdentity() {
        guard let path = unwrittenIdentityPath else { return }
        unwrittenIdentityPath = nil
        writtenIdentity.removeAll(keepingCapacity: true)
        var pathText = path
        pathText.withUTF8 { writtenIdentity.append(contentsOf: $0) }
        writtenIdentity.append(UInt8(ascii: ":"))
        writtenIdentity.append(decimal: unwrittenIdentityOrdinal)
    }

    /// Empties `array`, keeping its memory. `removeAll(keepingCapacity:)` is an out-of-line call
    /// even on an empty array, and most of an envelope's arrays are empty for most records (a flow
    /// record has no id of its own, no resources, no identity written): 1 % of a flow replay.
    @inline(__always)
    private static func empty<Element>(_ array: inout [Element]) {
        if !array.isEmpty { array.removeAll(keepingCapacity: true) }
    }

    func reset(kind: LogRecord.Kind, record: UnsafeRawBufferPointer, members: ObjectMemberIndex?) {
        self.kind = kind
        self.record = record
        recordMembers = members
        if constantsKind != kind {
            Self.empty(&source)
            Self.empty(&detailType)
            constantsKind = nil
        }
        if placeKind != kind {
            Self.empty(&account)
            Self.empty(&region)
            placeKind = nil
        }
        Self.empty(&writtenTime)
        unwrittenTimeSeconds = nil
        Self.empty(&writtenIdentity)
        unwrittenIdentityPath = nil
        Self.empty(&ownID)
        Self.empty(&resourceBytes)
        Self.empty(&resourceEnds)
        detailIsWritten = false
        writtenDetailIsCompact = false
        unwrittenFlowDetail = nil
        configItem = nil
        eventTime = nil
    }
}

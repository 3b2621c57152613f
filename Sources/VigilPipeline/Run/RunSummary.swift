import VigilAlerts
import VigilIngest

/// What a replay did, counted: printed on stderr at the end of a run.
public struct RunSummary: Sendable {
    public var filesRead = 0
    public var filesSkipped: [String: Int] = [:]
    public var records = 0
    public var decodedBytes = 0
    /// Events read, by kind (`countEvent(of:)`).
    public var eventsByKind: [LogRecord.Kind: Int] {
        var counts = settledEventsByKind
        if let runKind { counts[runKind, default: 0] += runCount }
        return counts
    }
    private var settledEventsByKind: [LogRecord.Kind: Int] = [:]
    /// The kind of the events counted last and how many came in a row, settled into the table
    /// when another kind comes: a dictionary update per event was 1 % of a replay (callgrind).
    private var runKind: LogRecord.Kind?
    private var runCount = 0
    public var alertsByRule: [String: Int] = [:]
    public var duplicateAlerts = 0
    /// Matches a rule's dedup held back, by rule.
    public var suppressedByDedup: [String: Int] = [:]
    /// Matches counted towards a threshold without raising an alert, by rule.
    public var heldByThreshold: [String: Int] = [:]
    public var dropped: [EventFilter.DropReason: Int] = [:]
    public var skipped: [SkipReason: Int] = [:]
    public var problems: [InputProblem.Kind: Int] = [:]
    /// Events per source and minute, for a report's timeline.
    public var volume = EventVolume()
    public var seconds: Double = 0
    /// What each spooled sink (webhook, AWS) did, once the sinks finished.
    public var deliveries: [DeliveryReport] = []
    /// Events a hunt found (it raises no alerts): when set, the summary counts these instead.
    public var matchingEvents: Int?

    public init() {}

    public var alerts: Int { alertsByRule.values.reduce(0, +) }
    public var events: Int { eventsByKind.values.reduce(0, +) }
    public var problemCount: Int { problems.values.reduce(0, +) }
    /// Alerts the spooled sinks wrote to the dead-letter file in this run.
    public var deadLettered: Int { deliveries.reduce(0) { $0 + $1.statistics.deadLettered } }

    /// Counts one event of `kind`.
    public mutating func countEvent(of kind: LogRecord.Kind) {
        if kind == runKind {
            runCount += 1
            return
        }
        if let runKind { settledEventsByKind[runKind, default: 0] += runCount }
        runKind = kind
        runCount = 1
    }

    /// Adds the counts of one file.
    public mutating func merge(_ other: RunSummary) {
        filesRead += other.filesRead
        filesSkipped.merge(other.filesSkipped, uniquingKeysWith: +)
        records += other.records
        decodedBytes += other.decodedBytes
        settledEventsByKind.merge(other.eventsByKind, uniquingKeysWith: +)
        alertsByRule.merge(other.alertsByRule, uniquingKeysWith: +)
        duplicateAlerts += other.duplicateAlerts
        suppressedByDedup.merge(other.suppressedByDedup, uniquingKeysWith: +)
        heldByThreshold.merge(other.heldByThreshold, uniquingKeysWith: +)
        dropped.merge(other.dropped, uniquingKeysWith: +)
        skipped.merge(other.skipped, uniquingKeysWith: +)
        problems.merge(other.problems, uniquingKeysWith: +)
        volume.merge(other.volume)
    }

    /// The summary as lines of text.
    public func render() -> String {
        var lines: [String] = []
        let skippedFiles = filesSkipped.values.reduce(0, +)
        var head = "\(filesRead) file\(filesRead == 1 ? "" : "s") read"
        if skippedFiles > 0 {
            head += " (" + filesSkipped.sorted { $0.key < $1.key }.map { "\($0.value) skipped: \($0.key)" }.joined(separator: ", ") + ")"
        }
        head += ", \(records) record\(records == 1 ? "" : "s") (\(Self.megabytes(decodedBytes)) decoded)"
        head += ", \(events) event\(events == 1 ? "" : "s"), "
            + (matchingEvents.map { "\($0) matching" } ?? "\(alerts) alert\(alerts == 1 ? "" : "s")")
        head += " in " + String(format1: seconds) + " s"
        lines.append(head)
        if !eventsByKind.isEmpty {
            lines.append("  events: " + LogRecord.Kind.allCases.compactMap { kind in
                eventsByKind[kind].map { "\(kind.label) \($0)" }
            }.joined(separator: ", "))
        }
        lines.append("  " + GzipEngineChoice.current.description)
        for (rule, count) in alertsByRule.sorted(by: { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }) {
            lines.append("  alerts: \(rule) \(count)")
        }
        for (rule, count) in suppressedByDedup.sorted(by: { $0.key < $1.key }) {
            lines.append("  repeats suppressed by dedup: \(rule) \(count)")
        }
        for (rule, count) in heldByThreshold.sorted(by: { $0.key < $1.key }) {
            lines.append("  matches counted towards a threshold without a new alert: \(rule) \(count)")
        }
        if duplicateAlerts > 0 {
            lines.append("  repeated alerts not sent again (a record delivered twice): \(duplicateAlerts)")
        }
        for reason in EventFilter.DropReason.allCases {
            if let count = dropped[reason] { lines.append("  events filtered out, \(reason.rawValue): \(count)") }
        }
        for reason in SkipReason.allCases {
            if let count = skipped[reason] { lines.append("  skipped, \(reason.rawValue): \(count)") }
        }
        for kind in InputProblem.Kind.allCases {
            if let count = problems[kind] { lines.append("  not read, \(kind.rawValue): \(count)") }
        }
        for report in deliveries {
            let counts = report.statistics
            var line = "  delivery \(report.sink): \(counts.delivered) delivered, \(counts.retried) "
                + "\(counts.retried == 1 ? "retry" : "retries"), \(counts.deadLettered) dead-lettered"
            if counts.alreadyTaken > 0 {
                line += ", \(counts.alreadyTaken) delivered or spooled by an earlier run"
            }
            lines.append(line)
        }
        // One state directory per run, so one file; grouped anyway so each count matches its file.
        let deadLetteredByFile = Dictionary(grouping: deliveries, by: \.deadLetterFile)
            .mapValues { $0.reduce(0) { $0 + $1.statistics.deadLettered } }
        for (file, count) in deadLetteredByFile.sorted(by: { $0.key < $1.key }) where count > 0 {
            let stateDirectory = file.lastIndex(of: "/").map { String(file[..<$0]) } ?? "."
            lines.append("  \(count) alert\(count == 1 ? " was" : "s were") not delivered and \(count == 1 ? "is" : "are") "
                + "kept with the reason in \(file); vigil dlq list --state \(stateDirectory) shows them, and "
                + "vigil dlq redrive --state \(stateDirectory) (with this run's --config) sends them again")
        }
        return lines.joined(separator: "\n")
    }

    static func megabytes(_ bytes: Int) -> String {
        bytes >= 1_000_000 ? String(format1: Double(bytes) / 1_000_000) + " MB" : "\(bytes) bytes"
    }
}

extension String {
    /// A number with one decimal, without Foundation's formatter.
    init(format1 value: Double) {
        let tenths = Int((value * 10).rounded())
        self = "\(tenths / 10).\(abs(tenths % 10))"
    }
}

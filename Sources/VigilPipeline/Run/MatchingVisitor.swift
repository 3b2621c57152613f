import VigilAlerts
import VigilIngest

/// Matches each event against the rules and hands each match on: to the alert stage itself (a
/// replay on one thread, a tail), or to a parallel replay's queue to it.
///
/// The envelope stays virtual while it is matched; only an event that some rule matched is
/// written out as JSON, for the alert.
///
/// A Config item's `configurationItemDiff` depends on the items of its resource seen before it,
/// so it is computed where events come in one order, the same in every run (`ConfigItemOrder`):
/// here, before matching, when this visitor sees every event of the run in order; else the item
/// is handed on unmatched, to be diffed and matched in file order (a parallel replay's alerting
/// thread).
struct MatchingVisitor: EventVisitor {
    /// What is done with a match: the event and the indices of the rules it matched (valid during
    /// the call only), counted in the input's summary; returns how many alerts were sent.
    typealias MatchHandler = (_ match: Alerter.Match, _ ruleIndices: [Int32], _ summary: inout RunSummary) -> Int

    private let matcher: EnvelopeMatcher
    private let progress: ProgressLine?
    private let handleMatch: MatchHandler
    private var configItems: ConfigItemOrder
    private var differ = ConfigItemDiffer()
    /// How many patterns an event must match to be a match: 1 for rules (any rule), the number of
    /// patterns for a hunt (its pattern and pivots combine with AND, each compiled as a pattern of
    /// its own, since two `$or` cannot share one pattern object).
    private let minimumMatches: Int
    private var eventJSON: [UInt8] = []

    init(matcher: EnvelopeMatcher, progress: ProgressLine? = nil, minimumMatches: Int = 1,
         configItems: ConfigItemOrder = .inOrder(ConfigItemMemory()), handleMatch: @escaping MatchHandler) {
        self.matcher = matcher
        self.progress = progress
        self.minimumMatches = max(minimumMatches, 1)
        self.configItems = configItems
        self.handleMatch = handleMatch
    }

    /// Matches straight into `stage`.
    init(matcher: EnvelopeMatcher, stage: AlertStage, progress: ProgressLine? = nil,
         configItems: ConfigItemOrder = .inOrder(ConfigItemMemory())) {
        self.init(matcher: matcher, progress: progress, configItems: configItems) { match, ruleIndices, summary in
            stage.handle(match, ruleIndices: ruleIndices, summary: &summary)
        }
    }

    mutating func visit(_ envelope: EventEnvelope, of record: LogRecord, in context: LogFileContext,
                        summary: inout RunSummary) throws(InputProblem) {
        if envelope.configItem != nil {
            switch configItems {
            case .inOrder(let memory):
                differ.apply(to: envelope, memory: memory)
            case .handedOn(let handOn):
                handOn(DeferredConfigItem(envelope: envelope.copyOfWrittenEvent(), kind: record.kind, ordinal: record.ordinal,
                                          decodedOffset: record.decodedOffset, path: context.path))
                return
            }
        }
        try match(envelope, kind: record.kind, ordinal: record.ordinal, decodedOffset: record.decodedOffset,
                  path: context.path, summary: &summary)
    }

    /// Diffs (in this visitor's order) and matches a Config item handed on by another visitor.
    mutating func visit(_ item: DeferredConfigItem, summary: inout RunSummary) throws(InputProblem) {
        if case .inOrder(let memory) = configItems { differ.apply(to: item.envelope, memory: memory) }
        try match(item.envelope, kind: item.kind, ordinal: item.ordinal, decodedOffset: item.decodedOffset,
                  path: item.path, summary: &summary)
    }

    private mutating func match(_ envelope: EventEnvelope, kind: LogRecord.Kind, ordinal: Int, decodedOffset: Int,
                                path: String, summary: inout RunSummary) throws(InputProblem) {
        let matched: [Int32]
        do {
            matched = try matcher.match(envelope)
        } catch {
            throw InputProblem(error.kind == .tooDeep ? .tooDeep : .malformedRecord, path: path,
                               offset: decodedOffset + error.offset, record: ordinal, reason: error.message)
        }
        guard matched.count >= minimumMatches else { return }
        eventJSON.removeAll(keepingCapacity: true)
        EnvelopeWriter.append(envelope, to: &eventJSON)
        var identity = Array(kind.rawValue.utf8)
        identity.append(UInt8(ascii: ":"))
        identity.append(contentsOf: envelope.identity)
        let match = Alerter.Match(event: eventJSON, identity: identity, time: envelope.time,
                                  seconds: envelope.eventTime.map(Double.init), file: path, record: ordinal)
        let sent = handleMatch(match, matched, &summary)
        if sent > 0 { progress?.alertsSent(sent) }
    }
}

/// Where a Config item's diff is computed (see `MatchingVisitor`).
enum ConfigItemOrder {
    /// Here, with this memory: the visitor sees the run's events in their one order.
    case inOrder(ConfigItemMemory)
    /// Elsewhere: the item is copied and handed on, unmatched.
    case handedOn((DeferredConfigItem) -> Void)
}

/// A Config item on its way to be diffed and matched in file order.
struct DeferredConfigItem: @unchecked Sendable {
    // @unchecked: the envelope is a copy that only the thread holding this value uses.
    let envelope: EventEnvelope
    let kind: LogRecord.Kind
    let ordinal: Int
    let decodedOffset: Int
    let path: String
}

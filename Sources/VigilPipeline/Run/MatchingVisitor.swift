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
                handOn(DeferredConfigItem(copying: envelope, of: record, in: context))
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
        let detailStart = EnvelopeWriter.append(envelope, to: &eventJSON)
        var identity = Array(kind.name.utf8)
        identity.append(UInt8(ascii: ":"))
        identity.append(contentsOf: envelope.identity)
        let match = Alerter.Match(event: eventJSON, identity: identity, time: envelope.time,
                                  seconds: envelope.eventTime.map(Double.init), file: path, record: ordinal,
                                  detailStart: detailStart)
        deliver(match, ruleIndices: matched, summary: &summary)
    }

    /// Hands a match on (`handleMatch`) and shows the alerts it sent.
    private func deliver(_ match: Alerter.Match, ruleIndices: [Int32], summary: inout RunSummary) {
        let sent = handleMatch(match, ruleIndices, &summary)
        if sent > 0 { progress?.alertsSent(sent) }
    }

    // MARK: - Spread over cores

    /// Helpers match with matchers of their own, over the same patterns.
    var helperMaker: (@Sendable () -> MatchHelper)? {
        let patterns = matcher.matcher.patternSet
        let writesDetailFirst = matcher.writesDetailFirst
        let minimumMatches = minimumMatches
        return {
            MatchHelper(matcher: EnvelopeMatcher(patterns, writesDetailFirst: writesDetailFirst),
                        minimumMatches: minimumMatches)
        }
    }

    /// Takes a helper's matches, and diffs and matches its Config items here, in input order (or
    /// hands them on, as this visitor does its own).
    mutating func take(_ work: [FoundEvent], summary: inout RunSummary, problems: inout [InputProblem]) {
        for found in work {
            switch found {
            case .match(let found):
                deliver(found.match, ruleIndices: found.ruleIndices, summary: &summary)
            case .configItem(let item):
                if case .handedOn(let handOn) = configItems {
                    handOn(item)
                    continue
                }
                do throws(InputProblem) {
                    try visit(item, summary: &summary)
                } catch {
                    problems.append(error)
                }
            }
        }
    }
}

/// `MatchingVisitor`'s helper: matches events on a thread of its own and keeps the matches, and
/// the Config items it leaves for the visitor to diff in order, as `FoundEvent`s.
struct MatchHelper: EventHelper {
    private var matching: MatchingVisitor
    private let found: FoundEvents

    init(matcher: EnvelopeMatcher, minimumMatches: Int) {
        let found = FoundEvents()
        self.found = found
        matching = MatchingVisitor(matcher: matcher, minimumMatches: minimumMatches,
                                   configItems: .handedOn { found.events.append(.configItem($0)) }) { match, ruleIndices, _ in
            found.events.append(.match(FoundMatch(match: match, ruleIndices: ruleIndices)))
            return 0
        }
    }

    mutating func visit(_ envelope: EventEnvelope, of record: LogRecord, in context: LogFileContext,
                        summary: inout RunSummary) throws(InputProblem) {
        try matching.visit(envelope, of: record, in: context, summary: &summary)
    }

    mutating func finishWork() -> [FoundEvent] {
        defer { found.events = [] }
        return found.events
    }
}

/// What a `MatchHelper` found since its work was last taken.
private final class FoundEvents {
    var events: [FoundEvent] = []
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

    /// The item `envelope` (valid during the visit only) holds, copied, with where its record lies.
    init(copying envelope: EventEnvelope, of record: LogRecord, in context: LogFileContext) {
        self.envelope = envelope.copyOfWrittenEvent()
        kind = record.kind
        ordinal = record.ordinal
        decodedOffset = record.decodedOffset
        path = context.path
    }
}

import VigilAlerts
import VigilIngest

/// Matches each event against the rules and hands each match on: to the alert stage itself (a
/// replay on one thread, a tail), or to a parallel replay's queue to it.
///
/// The envelope stays virtual while it is matched; only an event that some rule matched is
/// written out as JSON, for the alert.
struct MatchingVisitor: EventVisitor {
    /// What is done with a match: the event and the indices of the rules it matched (valid during
    /// the call only), counted in the input's summary; returns how many alerts were sent.
    typealias MatchHandler = (_ match: Alerter.Match, _ ruleIndices: [Int32], _ summary: inout RunSummary) -> Int

    private let matcher: EnvelopeMatcher
    private let progress: ProgressLine?
    private let handleMatch: MatchHandler
    /// How many patterns an event must match to be a match: 1 for rules (any rule), the number of
    /// patterns for a hunt (its pattern and pivots combine with AND, each compiled as a pattern of
    /// its own, since two `$or` cannot share one pattern object).
    private let minimumMatches: Int
    private var eventJSON: [UInt8] = []

    init(matcher: EnvelopeMatcher, progress: ProgressLine? = nil, minimumMatches: Int = 1,
         handleMatch: @escaping MatchHandler) {
        self.matcher = matcher
        self.progress = progress
        self.minimumMatches = max(minimumMatches, 1)
        self.handleMatch = handleMatch
    }

    /// Matches straight into `stage`.
    init(matcher: EnvelopeMatcher, stage: AlertStage, progress: ProgressLine? = nil) {
        self.init(matcher: matcher, progress: progress) { match, ruleIndices, summary in
            stage.handle(match, ruleIndices: ruleIndices, summary: &summary)
        }
    }

    mutating func visit(_ envelope: EventEnvelope, of record: LogRecord, in context: LogFileContext,
                        summary: inout RunSummary) throws(InputProblem) {
        let matched: [Int32]
        do {
            matched = try matcher.match(envelope)
        } catch {
            throw InputProblem(error.kind == .tooDeep ? .tooDeep : .malformedRecord, path: context.path,
                               offset: record.decodedOffset + error.offset, record: record.ordinal, reason: error.message)
        }
        guard matched.count >= minimumMatches else { return }
        eventJSON.removeAll(keepingCapacity: true)
        EnvelopeWriter.append(envelope, to: &eventJSON)
        var identity = Array(record.kind.rawValue.utf8)
        identity.append(UInt8(ascii: ":"))
        identity.append(contentsOf: envelope.identity)
        let match = Alerter.Match(event: eventJSON, identity: identity, time: envelope.time,
                                  seconds: envelope.eventTime.map(Double.init), file: context.path, record: record.ordinal)
        let sent = handleMatch(match, matched, &summary)
        if sent > 0 { progress?.alertsSent(sent) }
    }
}

import VigilAlerts
import VigilIngest
import VigilPattern

/// Takes the records of one file through normalization, filtering and matching, and hands each
/// match on to `handleMatch`: the alert stage itself, or a parallel replay's queue to it.
///
/// It is the reader's `RecordVisitor`: each record arrives as bytes of the decoded input, is
/// normalized into the reused envelope, matched, and only when a rule matches is the event
/// written out as JSON for the alert.
struct FileProcessor: RecordVisitor {
    /// What is done with a match: the event and the indices of the rules it matched (valid during
    /// the call only); returns how many alerts were sent, for the progress line.
    typealias MatchHandler = (_ match: Alerter.Match, _ ruleIndices: [Int32], _ summary: inout ReplaySummary) -> Int

    let context: LogFileContext
    let filter: EventFilter
    var normalizer: EventNormalizer
    let matcher: EnvelopeMatcher
    let progress: ProgressLine?
    private let handleMatch: MatchHandler
    var summary = ReplaySummary()
    /// Problems, in the order found, for the caller to print.
    var problems: [InputProblem] = []
    /// Records with a lower ordinal were handled by an earlier read of the file (a tail reading a
    /// file that grew, or resuming after a restart): they are passed over, and so are their problems.
    var resumeOrdinal = 0
    /// The ordinal after the last record handled: where a later read resumes.
    private(set) var nextOrdinal = 0
    /// Called after each record handled, with `nextOrdinal`: the tail's chance to commit its
    /// progress in the middle of a large file. Returning false stops the processor: the records
    /// still to come are passed over, and `nextOrdinal` stays where it is.
    var afterRecord: ((Int) -> Bool)?
    /// `afterRecord` returned false.
    private(set) var isStopped = false
    /// Alerts sent for this file, for the progress line.
    private var alertsSent = 0
    private var eventJSON: [UInt8] = []

    init(context: LogFileContext, filter: EventFilter, normalizer: EventNormalizer, matcher: EnvelopeMatcher,
         progress: ProgressLine? = nil, handleMatch: @escaping MatchHandler) {
        self.context = context
        self.filter = filter
        self.normalizer = normalizer
        self.matcher = matcher
        self.progress = progress
        self.handleMatch = handleMatch
    }

    mutating func visit(_ record: LogRecord) {
        guard record.ordinal >= resumeOrdinal, !isStopped else { return }
        defer {
            nextOrdinal = record.ordinal + 1
            if let afterRecord, !afterRecord(nextOrdinal) { isStopped = true }
        }
        summary.records += 1
        let alertsBefore = alertsSent
        defer { progress?.recordRead(alerts: alertsSent - alertsBefore) }
        let envelope: EventEnvelope
        do {
            envelope = try normalizer.normalize(record, context: context)
        } catch {
            report(error)
            return
        }
        if let reason = filter.reasonToDrop(envelope) {
            summary.dropped[reason, default: 0] += 1
            return
        }
        summary.eventsByKind[record.kind, default: 0] += 1
        let matched: [Int32]
        do {
            matched = try matcher.match(envelope)
        } catch {
            report(InputProblem(error.kind == .tooDeep ? .tooDeep : .malformedRecord, path: context.path,
                                offset: record.decodedOffset + error.offset, record: record.ordinal, reason: error.message))
            return
        }
        guard !matched.isEmpty else { return }
        eventJSON.removeAll(keepingCapacity: true)
        EnvelopeWriter.append(envelope, to: &eventJSON)
        var identity = Array(record.kind.rawValue.utf8)
        identity.append(UInt8(ascii: ":"))
        identity.append(contentsOf: envelope.identity)
        let match = Alerter.Match(event: eventJSON, identity: identity, time: envelope.time,
                                  seconds: envelope.eventTime.map(Double.init), file: context.path, record: record.ordinal)
        alertsSent += handleMatch(match, matched, &summary)
    }

    mutating func report(_ problem: InputProblem) {
        if let ordinal = problem.record, ordinal < resumeOrdinal { return }
        if isStopped { return }
        summary.problems[problem.kind, default: 0] += 1
        problems.append(problem)
    }

    mutating func skip(_ reason: SkipReason) {
        summary.skipped[reason, default: 0] += 1
    }
}

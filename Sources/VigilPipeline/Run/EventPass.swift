import VigilIngest

/// What a pass over one input counted and found, for its `InputOutcome`: `EventPass` on one
/// thread, `SpreadPass` over several.
protocol InputPass: RecordVisitor {
    /// The input's records, events, drops, skips and problems, counted.
    var summary: RunSummary { get }
    /// The input's problems as they are to be listed.
    var problems: ListedProblems { get }
    /// The ordinal after the last record handled.
    var nextOrdinal: Int { get }
}

/// The reader's `RecordVisitor` for one input: each record is normalized into the reused
/// envelope, filtered, and handed to the mode's visitor; records, events, drops, skips and
/// problems are counted on the way.
struct EventPass<Visitor: EventVisitor>: InputPass {
    let context: LogFileContext
    let filter: EventFilter
    var normalizer: EventNormalizer
    var visitor: Visitor
    let continuation: EventReader.Continuation
    let progress: ProgressLine?
    var summary = RunSummary()
    /// The first problems of the input, and how many more: a file of millions of bad records is
    /// counted, not held.
    var problems: ListedProblems
    /// The ordinal after the last record handled.
    private(set) var nextOrdinal = 0
    /// `afterRecord` returned false.
    private var isStopped = false

    init(context: LogFileContext, filter: EventFilter, normalizer: EventNormalizer, visitor: Visitor,
         continuation: EventReader.Continuation = EventReader.Continuation(), progress: ProgressLine?,
         problemLimit: Int = ListedProblems.standardLimit) {
        self.context = context
        problems = ListedProblems(limit: problemLimit)
        self.filter = filter
        self.normalizer = normalizer
        self.visitor = visitor
        self.continuation = continuation
        self.progress = progress
    }

    mutating func visit(_ record: LogRecord) {
        guard record.ordinal >= continuation.firstOrdinal, !isStopped else { return }
        defer {
            nextOrdinal = record.ordinal + 1
            if let afterRecord = continuation.afterRecord, !afterRecord(nextOrdinal) { isStopped = true }
        }
        summary.records += 1
        progress?.recordRead()
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
        summary.countEvent(of: record.kind)
        if let time = envelope.eventTime { summary.volume.count(record.kind, at: time) }
        do {
            try visitor.visit(envelope, of: record, in: context, summary: &summary)
        } catch {
            report(error)
        }
    }

    mutating func report(_ problem: InputProblem) {
        if let ordinal = problem.record, ordinal < continuation.firstOrdinal { return }
        if isStopped { return }
        summary.problems[problem.kind, default: 0] += 1
        problems.add(problem)
    }

    mutating func skip(_ reason: SkipReason) {
        summary.skipped[reason, default: 0] += 1
    }
}

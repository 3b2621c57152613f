import VigilIngest

/// The reader's `RecordVisitor` for a large input spread over cores: records (with the problems
/// and skips between them) are copied into batches, helpers normalize and match the batches on
/// threads of their own (`HelperPool`), and this pass takes what each batch came to, in input
/// order, into the mode's visitor (`EventVisitor.take`), on the reading thread.
///
/// So the reading thread only frames (and, for JSON, validates) records, while the work that
/// costs the most for most formats — normalizing, matching, writing a matched event — runs on
/// the other cores. The counts, the problems and their order, the matches and their order equal
/// those of `EventPass` on one thread (the spread tests hold the two side by side); a Config
/// item is still diffed here, in order, as its helper hands it on unmatched.
///
/// Only for a read from the start to the final end of an input (not a tail's continued or
/// provisional read, whose checkpoints need each record handled before the next is read).
struct SpreadPass<Visitor: EventVisitor>: InputPass {
    var visitor: Visitor
    let progress: ProgressLine?
    var summary = RunSummary()
    var problems = ListedProblems()
    /// The ordinal after the last record handled.
    private(set) var nextOrdinal = 0
    private let pool: HelperPool<Visitor.Helper>
    private var batch: RecordBatch

    init(context: LogFileContext, filter: EventFilter, visitor: Visitor, settings: SpreadSettings, progress: ProgressLine?,
         makeHelper: @escaping @Sendable () -> Visitor.Helper) {
        self.visitor = visitor
        self.progress = progress
        pool = HelperPool(threads: settings.helpers, context: context, filter: filter, settings: settings,
                          makeHelper: makeHelper)
        batch = pool.emptyBatch()
    }

    mutating func visit(_ record: LogRecord) {
        progress?.recordRead()
        batch.visit(record)
        if pool.isFull(batch) { handOver() }
    }

    mutating func report(_ problem: InputProblem) {
        batch.report(problem)
    }

    mutating func skip(_ reason: SkipReason) {
        batch.skip(reason)
    }

    /// Hands over the last batch, takes every result and ends the helpers. Called once, when
    /// the reader is done with the input.
    mutating func finish() {
        if !batch.isEmpty { handOver() }
        for result in pool.finish() { take(result) }
    }

    private mutating func handOver() {
        let full = batch
        batch = pool.emptyBatch()
        for result in pool.submit(full) { take(result) }
    }

    private mutating func take(_ result: HelperPool<Visitor.Helper>.Result) {
        summary.merge(result.summary)
        for problem in result.problems { problems.add(problem) }
        var found: [InputProblem] = []
        visitor.take(result.work, summary: &summary, problems: &found)
        for problem in found {
            summary.problems[problem.kind, default: 0] += 1
            problems.add(problem)
        }
        if let next = result.nextOrdinal { nextOrdinal = next }
    }
}

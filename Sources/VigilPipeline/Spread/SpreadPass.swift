import VigilIngest

/// The reader's `RecordVisitor` for a large input spread over cores: records (with the problems
/// and skips between them) are copied into batches, helpers normalize and match the batches on
/// threads of their own (`HelperPool`), and this pass takes what each batch came to, in input
/// order, into the mode's visitor (`EventVisitor.take`), on the reading thread.
///
/// So the reading thread only frames records, while the work that costs the most — splitting
/// and checking fields, normalizing, matching, writing a matched event — runs on the other
/// cores. The counts, the problems and their order, the matches and their order equal those of
/// `EventPass` on one thread (the spread tests hold the two side by side); a Config item is still
/// diffed here, in order, as its helper hands it on unmatched.
///
/// Whether to spread is decided at the first record, by its kind (`SpreadSettings.kinds`): an
/// input of another kind is read here on one thread, through an `EventPass`, what came before the
/// first record (problems, skips) handed to it first.
///
/// Only for a read from the start to the final end of an input (not a tail's continued or
/// provisional read, whose checkpoints need each record handled before the next is read).
struct SpreadPass<Visitor: EventVisitor>: InputPass {
    private enum Mode {
        /// No record yet: what comes is held in `batch`.
        case undecided
        /// Records go to the helpers; their work comes back to `localPass.visitor`.
        case spreading(HelperPool<Visitor.Helper>)
        /// Records go to `localPass`, here.
        case inline
    }

    private let context: LogFileContext
    private let filter: EventFilter
    private let settings: SpreadSettings
    private let progress: ProgressLine?
    private let makeHelper: @Sendable () -> Visitor.Helper
    private var mode = Mode.undecided
    /// The pass on this thread: it reads the input when it is not spread, and holds the mode's
    /// visitor either way (stored, not optional, so that it is used in place, never copied).
    private var localPass: EventPass<Visitor>
    private var spreadSummary = RunSummary()
    private var spreadProblems = ListedProblems()
    private var spreadNextOrdinal = 0
    /// What the reader found not yet handed over (before the decision, what came first).
    private var batch = RecordBatch()

    init(context: LogFileContext, filter: EventFilter, visitor: Visitor, normalizer: EventNormalizer,
         settings: SpreadSettings, progress: ProgressLine?, makeHelper: @escaping @Sendable () -> Visitor.Helper) {
        self.context = context
        self.filter = filter
        self.settings = settings
        self.progress = progress
        self.makeHelper = makeHelper
        localPass = EventPass(context: context, filter: filter, normalizer: normalizer, visitor: visitor, progress: progress)
    }

    /// The mode's visitor and the normalizer, to hand back after `finish()`.
    var visitor: Visitor { localPass.visitor }
    var normalizer: EventNormalizer { localPass.normalizer }

    /// Whether the records went to helpers.
    var wasSpread: Bool {
        if case .spreading = mode { return true }
        return false
    }

    private var isInline: Bool {
        if case .inline = mode { return true }
        return false
    }

    var summary: RunSummary { isInline ? localPass.summary : spreadSummary }
    var problems: ListedProblems { isInline ? localPass.problems : spreadProblems }
    var nextOrdinal: Int { isInline ? localPass.nextOrdinal : spreadNextOrdinal }

    mutating func visit(_ record: LogRecord) {
        switch mode {
        case .inline:
            localPass.visit(record)
        case .spreading(let pool):
            progress?.recordRead()
            batch.visit(record)
            if pool.isFull(batch) { handOver(to: pool) }
        case .undecided:
            decide(spreading: settings.kinds.contains(record.kind))
            visit(record)
        }
    }

    mutating func report(_ problem: InputProblem) {
        if isInline { localPass.report(problem) } else { batch.report(problem) }
    }

    mutating func skip(_ reason: SkipReason) {
        if isInline { localPass.skip(reason) } else { batch.skip(reason) }
    }

    /// Hands over the last batch, takes every result and ends the helpers. Called once, when
    /// the reader is done with the input.
    mutating func finish() {
        if case .undecided = mode { decide(spreading: false) }
        guard case .spreading(let pool) = mode else { return }
        if !batch.isEmpty { handOver(to: pool) }
        for result in pool.finish() { take(result) }
    }

    /// Starts the helpers, or hands what came so far to the pass on this thread.
    private mutating func decide(spreading: Bool) {
        if spreading {
            mode = .spreading(HelperPool(context: context, filter: filter, settings: settings, makeHelper: makeHelper))
            return
        }
        mode = .inline
        batch.replay(into: &localPass, with: BatchReplayer())
        batch.removeAll()
    }

    private mutating func handOver(to pool: HelperPool<Visitor.Helper>) {
        let full = batch
        batch = pool.emptyBatch()
        for result in pool.submit(full) { take(result) }
    }

    private mutating func take(_ result: HelperPool<Visitor.Helper>.Result) {
        spreadSummary.merge(result.summary)
        for problem in result.problems { spreadProblems.add(problem) }
        var found: [InputProblem] = []
        localPass.visitor.take(result.work, summary: &spreadSummary, problems: &found)
        for problem in found {
            spreadSummary.problems[problem.kind, default: 0] += 1
            spreadProblems.add(problem)
        }
        if let next = result.nextOrdinal { spreadNextOrdinal = next }
    }
}

import VigilIngest

/// What reading one input (or a run of inputs) came to, apart from what its visitor did with the
/// events.
struct InputOutcome: Sendable {
    var summary = RunSummary()
    /// Problems, in the order found, for the caller to print: an input's first
    /// `ListedProblems.standardLimit`, then one that counts the rest (`summary` counts every one).
    var problems: [InputProblem] = []
    /// Decoded bytes, for progress.
    var decodedBytes = 0
    /// The read was cancelled before the end of the input.
    var wasCancelled = false
    /// The reader held back an unfinished last record (a provisional end: the input may still grow).
    var endedEarly = false
    /// Records the reader found, handled or not (bad and skipped ones too): where the next read of a
    /// growing input starts when this one went to the end.
    var recordsRead = 0
    /// The ordinal after the last record handled: where the next read starts when this one stopped early.
    var nextOrdinal = 0
    /// The input's records were normalized and matched by helpers on other cores (`SpreadPass`).
    var wasSpread = false

    init() {}

    /// Adds what the next input of a run came to.
    mutating func add(_ other: InputOutcome) {
        summary.merge(other.summary)
        problems += other.problems
        decodedBytes += other.decodedBytes
        wasCancelled = wasCancelled || other.wasCancelled
        wasSpread = wasSpread || other.wasSpread
    }

    /// Problems found matching events handed on from the reading thread (a Config item, matched
    /// on the alerting thread): counted, and listed after the input's own.
    mutating func addMatchingProblems(_ found: [InputProblem]) {
        for problem in found {
            summary.problems[problem.kind, default: 0] += 1
            problems.append(problem)
        }
    }

    /// An input that was not read at all: skipped by its path, or it could not be opened.
    static func skipped(because reason: String) -> InputOutcome {
        var outcome = InputOutcome()
        outcome.summary.filesSkipped[reason, default: 0] += 1
        return outcome
    }

    static func unreadable(_ problem: InputProblem) -> InputOutcome {
        var outcome = InputOutcome()
        outcome.summary.problems[problem.kind, default: 0] += 1
        outcome.problems = [problem]
        return outcome
    }
}

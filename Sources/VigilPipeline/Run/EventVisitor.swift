import VigilIngest

/// What a mode does with each event of an input: `EventReader` hands it every event that was
/// normalized and passed the filter, in input order.
///
/// Replay, tail and hunt match it (`MatchingVisitor`); normalize writes it out as JSON. Adding a
/// command that reads logs means writing one of these, not another copy of the reading loop.
///
/// A visitor whose per-event work can be done on other threads says so with a `Helper`: a large
/// input is then spread over cores (`SpreadPass`). Helpers visit the events of batches of records
/// on threads of their own, and this visitor takes what they made of each batch, in input order,
/// on the reading thread (`take`): what comes after it sees what a read on one thread would give.
protocol EventVisitor {
    /// Does this visitor's per-event work on another thread; `NoEventHelper` (the default) when
    /// the work is not shared.
    associatedtype Helper: EventHelper = NoEventHelper

    /// One event. `envelope` and `record` are valid during the call only. What the visitor does
    /// is counted in `summary` (the input's); a problem it finds with the event (a record the
    /// matcher finds malformed deeper than the validator looked) is thrown, and reported and
    /// counted with the record's position.
    mutating func visit(_ envelope: EventEnvelope, of record: LogRecord, in context: LogFileContext,
                        summary: inout RunSummary) throws(InputProblem)

    /// Makes a helper; called on the helper's own thread. Nil: events are visited here only.
    var helperMaker: (@Sendable () -> Helper)? { get }

    /// Takes, in input order, what a helper made of a batch's events, as if this visitor had
    /// visited them itself; counts in `summary` and adds to `problems` what that finds.
    mutating func take(_ work: Helper.Work, summary: inout RunSummary, problems: inout [InputProblem])
}

/// A visitor's helper: visits events on a thread of its own and keeps what it made of them.
protocol EventHelper: EventVisitor, SendableMetatype {
    /// What the helper made of the events visited since the last `finishWork()`.
    associatedtype Work: Sendable

    /// What it made since the last call; starts afresh.
    mutating func finishWork() -> Work
}

extension EventVisitor where Helper == NoEventHelper {
    var helperMaker: (@Sendable () -> NoEventHelper)? { nil }

    func take(_ work: Never, summary: inout RunSummary, problems: inout [InputProblem]) {}
}

/// The helper of a visitor whose work is not shared: there is none.
enum NoEventHelper: EventHelper {
    func visit(_ envelope: EventEnvelope, of record: LogRecord, in context: LogFileContext,
               summary: inout RunSummary) throws(InputProblem) {}

    mutating func finishWork() -> Never {
        switch self {}
    }
}

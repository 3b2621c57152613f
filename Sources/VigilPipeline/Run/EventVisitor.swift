import VigilIngest

/// What a mode does with each event of an input: `EventReader` hands it every event that was
/// normalized and passed the filter, in input order.
///
/// Replay, tail and hunt match it (`MatchingVisitor`); normalize writes it out as JSON. Adding a
/// command that reads logs means writing one of these, not another copy of the reading loop.
protocol EventVisitor {
    /// One event. `envelope` and `record` are valid during the call only. What the visitor does
    /// is counted in `summary` (the input's); a problem it finds with the event (a record the
    /// matcher finds malformed deeper than the validator looked) is thrown, and reported and
    /// counted with the record's position.
    mutating func visit(_ envelope: EventEnvelope, of record: LogRecord, in context: LogFileContext,
                        summary: inout RunSummary) throws(InputProblem)
}

import VigilIngest

/// When and how a large input is spread over cores (`SpreadPass`): how many helpers, from what
/// size, which kinds of record, and how records are batched for them.
///
/// Measured on one 200 MB flow log file (gzipped 35 MB, 942,707 records; release, 2 cores,
/// shared machine, three rounds interleaved): a one-pattern hunt took 1.02–1.49 s on one thread,
/// 1.10–1.18 s with one helper, 0.72–0.88 s with two, 0.71–0.81 s with three; 20 flow rules
/// (214,648 alerts) 2.87–3.15 s, 2.64–3.11 s, 1.84–2.35 s, 1.88–2.11 s. So a replay or hunt gives
/// as many helpers as it has jobs. Batches of 128 records were slower (hunt 0.93–1.19 s), of 8,192
/// no faster (0.84–1.13 s), than of 1,024 (0.81–0.90 s).
struct SpreadSettings: Sendable {
    /// Helper threads that normalize and match beside the reading thread.
    var helpers: Int
    /// The kinds of record spread: an input whose first record is of another kind is read on one
    /// thread. Lines (flow logs, database audit logs) cost little to frame and much to split,
    /// normalize and match, so helpers take most of the work. A JSON record is validated where it
    /// is framed, on the reading thread, a quarter of its cost, and a gzipped one is already
    /// inflated on another core: 100 MB of CloudTrail in one file, 20 rules, 71,508 alerts, took
    /// 0.38–0.58 s on one thread and 0.44–0.56 s spread, with a third more CPU (five rounds
    /// interleaved); not gzipped, 0.50–0.60 s and 0.45–0.52 s; a one-pattern hunt no faster.
    var kinds: Set<LogRecord.Kind> = [.flowLog, .databaseAudit]
    /// Inputs of at least this many stored bytes are spread; smaller ones are read on one thread
    /// (the size from which a file is also decoded ahead: starting threads costs more than a
    /// small file takes to read).
    var fromStoredBytes = 4 << 20
    /// A batch is handed over once it holds this many records…
    var batchRecords = 1024
    /// …or this many bytes of records.
    var batchBytes = 256 << 10
    /// Batches handed over and not yet taken back, at most: what bounds memory.
    var capacity = 8

    init(helpers: Int) {
        self.helpers = helpers
    }
}

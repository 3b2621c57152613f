import Foundation
import VigilIngest

/// Threads that normalize and match batches of one input's records (`RecordBatch`) with a
/// visitor's helpers, and hand back what they made of each batch in the order the batches came.
///
/// The reading thread submits batches and takes results; the helpers take batches in order,
/// as they come free. At most `capacity` batches are submitted and not yet taken back, so a
/// reader that outruns its helpers waits (`submit` returns the oldest result when it must) and
/// memory stays bounded by `capacity` batches, whatever the input's size.
///
/// The threads start with the pool and end at `finish()`, which every pool must be given (the
/// threads hold it until then), so that none outlives its read.
final class HelperPool<Helper: EventHelper>: @unchecked Sendable {
    // @unchecked: `waiting`, `done`, `free`, `submitted`, `delivered`, `finishing` and `running`
    // are read and written only with `condition` locked. A batch belongs to whoever last took it
    // out of `waiting`, `done` or `free` under the lock.

    /// What one batch came to, for the reading thread to take in order.
    struct Result {
        /// The batch's records, events, drops, skips and problems, counted.
        var summary: RunSummary
        /// Every problem found in the batch, in order (the reader's and the normalizer's alike).
        var problems: [InputProblem]
        /// What the helper made of the batch's events.
        var work: Helper.Work
        /// The ordinal after the batch's last record, or nil when it held none.
        var nextOrdinal: Int?
    }

    let settings: SpreadSettings
    private let condition = NSCondition()
    /// Batches submitted and not yet taken by a helper, with their sequence numbers, oldest first.
    private var waiting: [(sequence: Int, batch: RecordBatch)] = []
    /// Results by sequence number, once a helper is done with the batch.
    private var done: [Int: (result: Result, batch: RecordBatch)] = [:]
    /// Emptied batches to fill again.
    private var free: [RecordBatch] = []
    private var submitted = 0
    private var delivered = 0
    private var finishing = false
    private var running = 0

    /// Starts `settings.helpers` helpers, each made on its own thread by `makeHelper`, that read
    /// batches of the input at `context` through `filter`.
    init(context: LogFileContext, filter: EventFilter, settings: SpreadSettings, makeHelper: @escaping @Sendable () -> Helper) {
        precondition(settings.helpers >= 1 && settings.capacity >= 1 && settings.batchRecords >= 1)
        self.settings = settings
        running = settings.helpers
        for number in 0..<settings.helpers {
            let thread = Thread { [self] in
                work(context: context, filter: filter, makeHelper: makeHelper)
            }
            thread.name = "vigil helper \(number)"
            thread.start()
        }
    }

    /// An empty batch to fill.
    func emptyBatch() -> RecordBatch {
        condition.lock()
        defer { condition.unlock() }
        return free.popLast() ?? RecordBatch()
    }

    /// Whether `batch` is full enough to hand over.
    func isFull(_ batch: RecordBatch) -> Bool {
        batch.recordCount >= settings.batchRecords || batch.byteCount >= settings.batchBytes
    }

    /// Hands `batch` to the helpers. Returns the results that are ready, in order: at least the
    /// oldest one when `capacity` batches are out (waiting for it), else whatever is done.
    func submit(_ batch: RecordBatch) -> [Result] {
        condition.lock()
        defer { condition.unlock() }
        waiting.append((submitted, batch))
        submitted += 1
        condition.broadcast()
        while submitted - delivered >= settings.capacity && done[delivered] == nil { condition.wait() }
        return takeReady()
    }

    /// Waits for every batch submitted, returns their results in order, and ends the threads.
    func finish() -> [Result] {
        condition.lock()
        while done.count < submitted - delivered { condition.wait() }
        let results = takeReady()
        condition.unlock()
        stopThreads()
        return results
    }

    /// The results ready in order from `delivered` on; called with `condition` locked.
    private func takeReady() -> [Result] {
        var results: [Result] = []
        while let (result, batch) = done.removeValue(forKey: delivered) {
            results.append(result)
            batch.removeAll()
            free.append(batch)
            delivered += 1
        }
        return results
    }

    /// Ends the threads once they are done with what they hold, and waits for them.
    private func stopThreads() {
        condition.lock()
        defer { condition.unlock() }
        finishing = true
        condition.broadcast()
        while running > 0 { condition.wait() }
    }

    /// A helper thread's body: replays batches through a pass of its own until the pool finishes.
    private func work(context: LogFileContext, filter: EventFilter, makeHelper: @Sendable () -> Helper) {
        var helper = makeHelper()
        var normalizer = EventNormalizer()
        let replayer = BatchReplayer()
        while true {
            condition.lock()
            while waiting.isEmpty && !finishing { condition.wait() }
            if waiting.isEmpty {
                running -= 1
                condition.broadcast()
                condition.unlock()
                return
            }
            let (sequence, batch) = waiting.removeFirst()
            condition.unlock()

            // Every problem is kept: the reading thread lists them, in order, within its limit.
            var pass = EventPass(context: context, filter: filter, normalizer: normalizer, visitor: helper,
                                 progress: nil, problemLimit: .max)
            batch.replay(into: &pass, with: replayer)
            normalizer = pass.normalizer
            helper = pass.visitor
            let result = Result(summary: pass.summary, problems: pass.problems.listed, work: helper.finishWork(),
                                nextOrdinal: batch.recordCount > 0 ? pass.nextOrdinal : nil)

            condition.lock()
            done[sequence] = (result, batch)
            condition.broadcast()
            condition.unlock()
        }
    }
}

import Foundation

/// Decodes one input on a thread of its own, ahead of the reader, into a small ring of large
/// buffers: while the reader's thread reads records out of one buffer (and normalizes and matches
/// them), this thread inflates the next, so a single large gzip file keeps two cores busy instead
/// of one.
///
/// Filled buffers are handed to the reader in order; the reader gives each back once it has moved
/// past it, and the thread refills it. The ring is bounded (`Layout.buffers`), so the thread runs at
/// most a few buffers ahead and memory stays bounded whatever the file size. Each buffer keeps
/// `Layout.headroom` bytes free before its decoded bytes, so that the window can put the unfinished
/// record from the previous buffer right in front of them: the decoded bytes are read where zlib
/// wrote them, never copied (see `DecodedWindow`).
///
/// What the reader looks at besides bytes — the input's encoding, whether it ended inside a gzip
/// member, its offsets — is copied into each buffer as it is handed over (`InputSnapshot`), since
/// `DecodedInput` may only be used from one thread at a time; the problem that ended the input, if
/// any, comes with the last buffer, after every byte decoded before it.
///
/// The thread starts at the first `take()` and ends at the end of the input, or at `stop()`,
/// which waits for it (at most the time to fill one buffer). The window calls `stop()` when a read
/// is cancelled, when it ends, and when the window goes away, so no thread outlives its reader.
final class DecodeAhead: @unchecked Sendable {
    // @unchecked: `filled`, `free`, `stopping`, `started` and `running` are read and written only
    // with `condition` locked. `input` is used only by the decoding thread once it has started, and
    // by nobody after it ended; a buffer belongs to whichever side last took it out of `filled` or
    // `free` under the lock, so its bytes and fields are never touched by both threads at once.

    /// How large the ring is.
    struct Layout: Sendable, Hashable {
        /// Buffers in the ring: one the reader holds, one being filled, and the rest queued.
        var buffers: Int
        /// Decoded bytes per buffer.
        var bufferSize: Int
        /// Free bytes before each buffer's decoded bytes, for the unfinished record carried over.
        var headroom: Int

        /// Measured with `vigil replay` of 200 MB of CloudTrail JSON gzipped (release build, ISA-L,
        /// 2 cores, medians of 7 alternating runs): 2 or 3 buffers of 1 MiB and 3 of 4 MiB 0.47 s,
        /// 4 of 256 KiB 0.50 s, 8 of 128 KiB 0.49 s, inline 0.65 s. Three of 1 MiB leave the thread
        /// a buffer of slack at little memory. 256 KiB of headroom holds any CloudTrail event
        /// (CloudTrail caps them at 256 KB), so records rarely need the combined-buffer fallback.
        static let standard = Layout(buffers: 3, bufferSize: 1 << 20, headroom: 256 << 10)
    }

    /// A buffer of the ring, with what the thread put in it.
    final class Buffer {
        /// `headroom` free bytes, then room for `Layout.bufferSize` decoded bytes.
        let storage: UnsafeMutableRawBufferPointer
        let headroom: Int
        /// Decoded bytes, from `payload`.
        fileprivate(set) var count = 0
        /// The input's state once these bytes were decoded.
        fileprivate(set) var snapshot = InputSnapshot()
        /// The input ends after these bytes (which may be none).
        fileprivate(set) var isLast = false
        /// With `isLast`: why the input ended early, if it did.
        fileprivate(set) var problem: InputProblem?

        fileprivate init(headroom: Int, bufferSize: Int) {
            self.headroom = headroom
            storage = .allocate(byteCount: headroom + bufferSize, alignment: 16)
        }

        /// The first decoded byte.
        var payload: UnsafeMutableRawPointer { storage.baseAddress! + headroom }

        deinit {
            storage.deallocate()
        }
    }

    let layout: Layout
    private let input: DecodedInput
    private let condition = NSCondition()
    /// Buffers filled and not yet taken, oldest first.
    private var filled: [Buffer] = []
    /// Buffers the reader gave back, ready to be filled.
    private var free: [Buffer]
    private var stopping = false
    private var started = false
    private var running = false

    init(input: DecodedInput, layout: Layout = .standard) {
        precondition(layout.buffers >= 2 && layout.bufferSize > 0 && layout.headroom >= 0)
        self.input = input
        self.layout = layout
        free = (0..<layout.buffers).map { _ in Buffer(headroom: layout.headroom, bufferSize: layout.bufferSize) }
    }

    /// Bytes allocated for the ring.
    var capacity: Int { layout.buffers * (layout.headroom + layout.bufferSize) }

    /// Whether the decoding thread is running (started and not yet ended).
    var isRunning: Bool {
        condition.lock()
        defer { condition.unlock() }
        return running
    }

    /// The next filled buffer, waiting for the thread to fill it; starts the thread the first time.
    /// Nil after `stop()`, and after the buffer with `isLast` was taken (the thread has ended).
    func take() -> Buffer? {
        condition.lock()
        defer { condition.unlock() }
        if !started { start() }
        while filled.isEmpty && running && !stopping { condition.wait() }
        return stopping || filled.isEmpty ? nil : filled.removeFirst()
    }

    /// Hands back a buffer taken with `take()` whose bytes the reader no longer needs.
    func giveBack(_ buffer: Buffer) {
        condition.lock()
        defer { condition.unlock() }
        free.append(buffer)
        condition.broadcast()
    }

    /// Stops the thread and waits until it has ended; it then never touches the input again. Waits
    /// at most for the buffer being filled. Safe to call more than once, and before the thread started.
    func stop() {
        condition.lock()
        defer { condition.unlock() }
        stopping = true
        // Set under the lock: a `take()` after this would otherwise start a thread.
        started = true
        condition.broadcast()
        while running { condition.wait() }
    }

    /// Called with `condition` locked.
    private func start() {
        started = true
        running = true
        let thread = Thread { [self] in decode() }
        thread.name = "vigil decode-ahead"
        thread.start()
    }

    /// The thread's body: fills free buffers in turn until the input ends or `stop()` is called.
    private func decode() {
        while true {
            condition.lock()
            while free.isEmpty && !stopping { condition.wait() }
            if stopping {
                condition.unlock()
                break
            }
            let buffer = free.removeFirst()
            condition.unlock()

            fill(buffer)
            // Noted before the hand-over: from then on the buffer is the reader's.
            let isLast = buffer.isLast

            condition.lock()
            filled.append(buffer)
            condition.broadcast()
            condition.unlock()
            if isLast { break }
        }
        condition.lock()
        running = false
        condition.broadcast()
        condition.unlock()
    }

    /// Decodes into `buffer` until it is full or the input ends. `DecodedInput.read` delivers the
    /// bytes decoded before damage in one call and throws in the next, so a damaged input's bytes
    /// all arrive, in this buffer or the one before, with the problem on the last.
    private func fill(_ buffer: Buffer) {
        buffer.count = 0
        buffer.isLast = false
        buffer.problem = nil
        let room = UnsafeMutableRawBufferPointer(start: buffer.payload, count: layout.bufferSize)
        while buffer.count < room.count {
            do {
                let count = try input.read(into: UnsafeMutableRawBufferPointer(rebasing: room[buffer.count...]))
                if count == 0 {
                    buffer.isLast = true
                    break
                }
                buffer.count += count
            } catch {
                buffer.problem = error
                buffer.isLast = true
                break
            }
        }
        buffer.snapshot = InputSnapshot(input)
    }
}

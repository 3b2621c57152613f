/// A window of decoded bytes over an input, refilled as the reader consumes records.
///
/// Readers hold offsets into `bytes`. When they need more input, `refill(keepingFrom:)` moves the
/// bytes still needed to the front, reads more behind them, and returns how far everything moved,
/// so that the reader can shift its offsets. The window grows only as far as the largest record
/// being kept needs, so memory stays bounded by the record size limit, whatever the file size.
///
/// It decodes in one of two ways:
/// - inline (the default): the input is read on the reader's thread, into the window's own
///   buffer. For small files, and for the tail, which reads a file again as it grows.
/// - ahead: a `DecodeAhead` thread inflates into a ring of large buffers while the reader works
///   on the previous one, and the window is each filled buffer in turn, used where it lies. Only
///   the unfinished record at the end of one buffer (the bytes from `keepingFrom`) is copied, into
///   the headroom in front of the next buffer's bytes. A record longer than the headroom goes
///   into a combined buffer (`storage`) that grows like the inline window's and is freed as soon
///   as the records fit the headroom again, so memory stays bounded by the ring plus the record
///   size limit.
///
/// Decoding ahead hides decoding behind matching: `vigil replay` of 200 MB of CloudTrail JSON
/// gzipped to 34 MB took 0.45 s ahead against 0.62 s inline with ISA-L (0.46 s against 0.73 s
/// with zlib), as fast as the same file not gzipped (release build, 2 cores; `Replay` has the
/// figures behind its threshold).
final class DecodedWindow {
    /// Where decoded bytes come from.
    private enum Source {
        case inline(DecodedInput)
        case ahead(DecodeAhead)
    }

    private let source: Source
    /// Inline: the window's buffer, from offset 0. Ahead: the combined buffer for records longer
    /// than the headroom, empty (and unallocated) while records fit the headroom.
    private var storage: UnsafeMutableRawBufferPointer
    /// The first byte of the window: `storage`'s first, or inside the ring buffer `held`.
    private var start: UnsafeMutableRawPointer?
    /// Ahead: the ring buffer the window lies in; nil while it lies in `storage`.
    private var held: DecodeAhead.Buffer?
    /// Ahead: the buffer last taken was the last; the next refill ends the input.
    private var endIsNext = false
    /// Ahead: the problem that came with the last buffer, reported at the refill after its bytes.
    private var pendingProblem: InputProblem?
    /// Ahead: the state of the input as of the buffer last taken.
    private var snapshot = InputSnapshot()
    /// Offsets below `end` hold decoded bytes.
    private(set) var end = 0
    /// The decoded offset (in the whole input) of window offset 0.
    private(set) var base = 0
    /// True once the input has no more bytes.
    private(set) var isExhausted = false
    /// Why the input ended early, when it did (a corrupt or truncated gzip stream, a read error).
    private(set) var inputProblem: InputProblem?
    private let readSize: Int

    /// A window over `input`, decoded on the reader's thread, or with `ahead` on a thread of its
    /// own into a ring of that layout (tests use small ones). From now on the input must only be
    /// used through the window until the read is over (`stopDecoding()`, or the window's end).
    init(input: DecodedInput, readSize: Int = 256 * 1024, ahead: DecodeAhead.Layout?) {
        self.readSize = readSize
        if let ahead {
            source = .ahead(DecodeAhead(input: input, layout: ahead))
            storage = UnsafeMutableRawBufferPointer(start: nil, count: 0)
        } else {
            source = .inline(input)
            storage = .allocate(byteCount: readSize * 2, alignment: 16)
            largestStorage = storage.count
            start = storage.baseAddress
        }
    }

    deinit {
        // A reader dropped midway must not leave the thread decoding into buffers about to go.
        if case .ahead(let ahead) = source { ahead.stop() }
        storage.deallocate()
    }

    /// The decoded bytes held, from offset 0 to `end`.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: start, count: end)
    }

    /// Current capacity (with decode-ahead, the ring's too), for tests of bounded memory.
    var capacity: Int {
        switch source {
        case .inline: storage.count
        case .ahead(let ahead): storage.count + ahead.capacity
        }
    }

    /// The largest `storage` allocated so far: with `capacity`, for tests of bounded memory that
    /// look between records (a record skipped as too large leaves nothing in the window to see).
    private var largestStorage = 0

    /// The largest `capacity` reached so far.
    var largestCapacity: Int { capacity - storage.count + largestStorage }

    /// Puts `buffer` in place of `storage`, freeing the old one.
    private func replaceStorage(with buffer: UnsafeMutableRawBufferPointer) {
        storage.deallocate()
        storage = buffer
        largestStorage = max(largestStorage, buffer.count)
    }

    /// The decoded offset in the whole input of window offset `offset`.
    func decodedOffset(of offset: Int) -> Int { base + offset }

    /// The input's state as of the bytes decoded so far (ahead, as of those handed over).
    var inputState: InputSnapshot {
        switch source {
        case .inline(let input): InputSnapshot(input)
        case .ahead: snapshot
        }
    }

    /// How the input is stored; nil until something was read.
    var encoding: DecodedInput.Encoding? { inputState.encoding }

    /// The input ended inside a gzip member (truncated, or still being written).
    var endedInsideMember: Bool { inputState.endedInsideMember }

    /// Ahead: the decoding thread whose buffers the window uses, for tests; nil when inline.
    var decoder: DecodeAhead? {
        if case .ahead(let ahead) = source { return ahead }
        return nil
    }

    /// Ends decoding ahead, waiting for the thread to stop: after a cancelled read, or the end of a
    /// read, so that the input can be looked at again from this thread. The window then holds what
    /// it held, and refills find the input exhausted (no problem is reported for bytes not reached).
    /// Inline, nothing to do.
    func stopDecoding() {
        guard case .ahead(let ahead) = source else { return }
        ahead.stop()
        isExhausted = true
        endIsNext = false
    }

    /// Reads more input, keeping the bytes from `keep` on. Returns the distance everything moved
    /// toward the front (subtract it from held offsets), or nil when the input is exhausted.
    func refill(keepingFrom keep: Int) -> Int? {
        if isExhausted { return nil }
        switch source {
        case .inline(let input): return refillInline(from: input, keepingFrom: keep)
        case .ahead(let ahead): return refillAhead(from: ahead, keepingFrom: keep)
        }
    }

    // MARK: Inline

    private func refillInline(from input: DecodedInput, keepingFrom keep: Int) -> Int? {
        let kept = end - keep
        var shift = 0
        if storage.count > readSize * 4 && kept < readSize {
            // A large record made the window grow; give the memory back once it has passed.
            let smaller = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize * 2, alignment: 16)
            if kept > 0 { smaller.baseAddress!.copyMemory(from: storage.baseAddress! + keep, byteCount: kept) }
            replaceStorage(with: smaller)
            start = storage.baseAddress
            shift = keep
            base += keep
            end = kept
        } else if keep > 0 {
            if kept > 0 {
                storage.baseAddress!.copyMemory(from: storage.baseAddress! + keep, byteCount: kept)
            }
            shift = keep
            base += keep
            end = kept
        }
        if storage.count - end < readSize {
            grow(toAtLeast: end + readSize)
        }
        let free = UnsafeMutableRawBufferPointer(rebasing: storage[end...])
        do {
            let count = try input.read(into: free)
            if count == 0 {
                isExhausted = true
                return shift > 0 ? shift : nil
            }
            end += count
            return shift
        } catch {
            inputProblem = error
            isExhausted = true
            return shift > 0 ? shift : nil
        }
    }

    private func grow(toAtLeast count: Int) {
        var newCount = storage.count
        while newCount < count { newCount *= 2 }
        let larger = UnsafeMutableRawBufferPointer.allocate(byteCount: newCount, alignment: 16)
        larger.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: end)
        replaceStorage(with: larger)
        start = storage.baseAddress
    }

    // MARK: Ahead

    /// Moves on to the next filled buffer, putting the kept bytes in its headroom (or, when they do
    /// not fit, both in `storage`). Nothing moves when the input has ended: the problem, if any,
    /// comes one refill after the last bytes, as inline.
    private func refillAhead(from ahead: DecodeAhead, keepingFrom keep: Int) -> Int? {
        if endIsNext { return exhaust() }
        guard let next = ahead.take() else { return exhaust() }
        snapshot = next.snapshot
        if next.isLast {
            endIsNext = true
            pendingProblem = next.problem
        }
        guard next.count > 0 else {
            ahead.giveBack(next)
            return exhaust()
        }
        // Read before `next` may go back to the thread, which then refills it.
        let count = next.count
        let kept = end - keep
        if kept <= next.headroom {
            let front = next.payload - kept
            if kept > 0 { front.copyMemory(from: start! + keep, byteCount: kept) }
            if let held { ahead.giveBack(held) }
            if storage.baseAddress != nil {
                // A long record has passed: its memory goes back at once.
                replaceStorage(with: UnsafeMutableRawBufferPointer(start: nil, count: 0))
            }
            held = next
            start = front
        } else {
            let total = kept + count
            if let held {
                // The record outgrew the headroom: the kept bytes and this buffer's go together.
                let combined = UnsafeMutableRawBufferPointer.allocate(
                    byteCount: Self.combinedSize(atLeast: total, from: ahead.layout), alignment: 16)
                combined.baseAddress!.copyMemory(from: start! + keep, byteCount: kept)
                replaceStorage(with: combined)
                ahead.giveBack(held)
                self.held = nil
            } else {
                // Already combined: move the kept bytes to the front (as inline), growing if needed.
                if keep > 0 { storage.baseAddress!.copyMemory(from: start! + keep, byteCount: kept) }
                if storage.count < total {
                    let larger = UnsafeMutableRawBufferPointer.allocate(
                        byteCount: Self.combinedSize(atLeast: total, from: ahead.layout), alignment: 16)
                    larger.baseAddress!.copyMemory(from: storage.baseAddress!, byteCount: kept)
                    replaceStorage(with: larger)
                }
            }
            (storage.baseAddress! + kept).copyMemory(from: next.payload, byteCount: count)
            ahead.giveBack(next)
            start = storage.baseAddress
        }
        base += keep
        end = kept + count
        return keep
    }

    /// Ahead: the input has ended. The window keeps what it holds; offsets do not move.
    private func exhaust() -> Int? {
        isExhausted = true
        endIsNext = false
        inputProblem = pendingProblem
        pendingProblem = nil
        return nil
    }

    /// A combined buffer's size: doubling from one ring buffer's, so that a record growing a buffer
    /// at a time is copied a logarithmic number of times, as inline.
    private static func combinedSize(atLeast count: Int, from layout: DecodeAhead.Layout) -> Int {
        var size = layout.headroom + layout.bufferSize
        while size < count { size *= 2 }
        return size
    }
}

/// A window of decoded bytes over an input, refilled as the reader consumes records.
///
/// Readers hold offsets into `bytes`. When they need more input, `refill(keepingFrom:)` moves the
/// bytes still needed to the front, reads more behind them, and returns how far everything moved,
/// so that the reader can shift its offsets. The window grows only as far as the largest record
/// being kept needs, so memory stays bounded by the record size limit, whatever the file size.
final class DecodedWindow {
    private let input: DecodedInput
    private var storage: UnsafeMutableRawBufferPointer
    /// Offsets below `end` hold decoded bytes.
    private(set) var end = 0
    /// The decoded offset (in the whole input) of `storage[0]`.
    private(set) var base = 0
    /// True once the input has no more bytes.
    private(set) var isExhausted = false
    /// Why the input ended early, when it did (a corrupt or truncated gzip stream, a read error).
    private(set) var inputProblem: InputProblem?
    private let readSize: Int

    init(input: DecodedInput, readSize: Int = 256 * 1024) {
        self.input = input
        self.readSize = readSize
        storage = .allocate(byteCount: readSize * 2, alignment: 16)
    }

    deinit {
        storage.deallocate()
    }

    /// The decoded bytes held, from offset 0 to `end`.
    var bytes: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: UnsafeRawBufferPointer(storage)[0..<end])
    }

    /// Current capacity, for tests of bounded memory.
    var capacity: Int { storage.count }

    /// The decoded offset in the whole input of window offset `offset`.
    func decodedOffset(of offset: Int) -> Int { base + offset }

    /// Reads more input, keeping the bytes from `keep` on. Returns the distance everything moved
    /// toward the front (subtract it from held offsets), or nil when the input is exhausted.
    func refill(keepingFrom keep: Int) -> Int? {
        if isExhausted { return nil }
        let kept = end - keep
        var shift = 0
        if storage.count > readSize * 4 && kept < readSize {
            // A large record made the window grow; give the memory back once it has passed.
            let smaller = UnsafeMutableRawBufferPointer.allocate(byteCount: readSize * 2, alignment: 16)
            if kept > 0 { smaller.baseAddress!.copyMemory(from: storage.baseAddress! + keep, byteCount: kept) }
            storage.deallocate()
            storage = smaller
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
        storage.deallocate()
        storage = larger
    }
}

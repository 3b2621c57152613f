#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A direct-mapped table of answers a matcher worked out once, kept for when the same question
/// comes again: a question is a tag and up to `maximumKeyBytes` bytes, an answer up to
/// `maximumAnswer` numbers. A newer question takes an older one's slot. A lookup hashes the key
/// a word at a time and compares it once.
///
/// The two sizes are generic parameters so that a slot's offsets are constants in the code that
/// reads them. With the sizes as stored properties, the two memos built on this table cost a
/// 20-rule flow replay 0.85 % more instructions than their separate versions had; as generic
/// parameters, 0.5 %.
///
/// `LeafValueCache` (the tests a short leaf value met) and `CandidateMemo` (the candidate branches
/// a sequence of tests made) are such tables; each says why its answers may be reused.
///
/// The table lives in memory of its own, reached through pointers: kept in arrays, every lookup
/// retained and released them (the matcher's property), and the leaf cache cost more than it
/// saved. Not copyable, so that the memory has one owner and is freed once.
struct DirectMappedMemo<let maximumKeyBytes: Int, let maximumAnswer: Int>: ~Copyable {
    /// The longest key and the longest answer a slot holds.
    static var keyCapacity: Int { maximumKeyBytes }
    static var answerCapacity: Int { maximumAnswer }

    /// A power of two, or 0 for a table that remembers nothing.
    let slotCount: Int
    /// Each slot's key length, or -1 when the slot is empty.
    private let slotKeyLength: UnsafeMutablePointer<Int16>
    /// Each slot's tag and answer length.
    private let slotTag: UnsafeMutablePointer<UInt64>
    private let slotAnswerCount: UnsafeMutablePointer<Int16>
    /// Each slot's key, in `maximumKeyBytes` bytes, and answer, in `maximumAnswer` numbers.
    private let slotKey: UnsafeMutablePointer<UInt8>
    private let slotAnswer: UnsafeMutablePointer<Int32>

    /// An empty table. Only the key lengths are initialized: the rest of a slot is read only once
    /// `remember` has written it, so that a matcher made for one check (`vigil rules test`, each
    /// conformance case) costs little more than one without the table.
    init(slotCount: Int) {
        precondition(slotCount == 0 || slotCount & (slotCount - 1) == 0, "a power of two")
        precondition(maximumKeyBytes > 0 && maximumKeyBytes <= Int(Int16.max) && maximumAnswer > 0 && maximumAnswer <= Int(Int16.max))
        self.slotCount = slotCount
        let slots = max(slotCount, 1)
        slotKeyLength = .allocate(capacity: slots)
        slotKeyLength.initialize(repeating: -1, count: slots)
        slotTag = .allocate(capacity: slots)
        slotAnswerCount = .allocate(capacity: slots)
        slotKey = .allocate(capacity: slots * maximumKeyBytes)
        slotAnswer = .allocate(capacity: slots * maximumAnswer)
    }

    deinit {
        slotKeyLength.deallocate()
        slotTag.deallocate()
        slotAnswerCount.deallocate()
        slotKey.deallocate()
        slotAnswer.deallocate()
    }

    /// The slot the question belongs in, or nil when it is not remembered (its key too long, or
    /// no table).
    @inline(__always)
    func slot(tag: UInt64, key: UnsafeRawBufferPointer) -> Int? {
        guard slotCount > 0, key.count <= maximumKeyBytes else { return nil }
        var hash = tag &* 0x9E37_79B9_7F4A_7C15
        var offset = 0
        while offset + 8 <= key.count {
            hash = (hash ^ key.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0xBF58_476D_1CE4_E5B9
            hash ^= hash >> 31
            offset += 8
        }
        var tail = UInt64(key.count)
        while offset < key.count {
            tail = tail << 8 | UInt64(key[offset])
            offset += 1
        }
        hash = (hash ^ tail) &* 0x94D0_49BB_1331_11EB
        hash ^= hash >> 29
        return Int(truncatingIfNeeded: hash) & (slotCount - 1)
    }

    /// The answer `slot` holds for the question, or nil when it holds another question's (or none).
    /// Valid until the next `remember`.
    @inline(__always)
    func answer(in slot: Int, tag: UInt64, key: UnsafeRawBufferPointer) -> UnsafeBufferPointer<Int32>? {
        guard Int(slotKeyLength[slot]) == key.count, slotTag[slot] == tag else { return nil }
        if key.count > 0, memcmp(slotKey + slot * maximumKeyBytes, key.baseAddress!, key.count) != 0 { return nil }
        return UnsafeBufferPointer(start: slotAnswer + slot * maximumAnswer, count: Int(slotAnswerCount[slot]))
    }

    /// Remembers `answer` to the question in `slot`. A longer answer than a slot holds is not
    /// remembered, and the slot is emptied: it answers for nothing rather than for a question it
    /// no longer holds all of.
    @inline(__always)
    func remember(_ slot: Int, tag: UInt64, key: UnsafeRawBufferPointer, answer: UnsafeBufferPointer<Int32>) {
        guard answer.count <= maximumAnswer else {
            slotKeyLength[slot] = -1
            return
        }
        slotKeyLength[slot] = Int16(key.count)
        slotTag[slot] = tag
        slotAnswerCount[slot] = Int16(answer.count)
        if let bytes = key.baseAddress, key.count > 0 {
            (slotKey + slot * maximumKeyBytes).update(from: bytes.assumingMemoryBound(to: UInt8.self), count: key.count)
        }
        if let numbers = answer.baseAddress, answer.count > 0 {
            (slotAnswer + slot * maximumAnswer).update(from: numbers, count: answer.count)
        }
    }
}

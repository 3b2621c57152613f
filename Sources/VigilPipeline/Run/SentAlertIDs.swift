/// The ids of alerts already sent, so that an alert raised twice (AWS delivers some records
/// twice, in two files) is sent once.
///
/// It remembers the most recent ids only: two generations of `generationSize` ids each, the
/// older dropped when the newer fills, which keeps between one and two generations in memory, so
/// memory stays bounded however many alerts a run raises (AWS's repeats come close together).
/// An id (32 hex digits) is kept as its 128 bits, 16 bytes rather than a string's 50 or so. The
/// ids added since the last `takeAdded()` are kept apart for a tail to save, so that a restart
/// remembers them too.
struct SentAlertIDs {
    private var current = AlertIDTable()
    private var previous = AlertIDTable()
    private let generationSize: Int
    private var added: [String] = []
    private let recordsAdded: Bool

    /// `generationSize`: ids per generation (`Int.max`: remember all). `recordsAdded`: keep the
    /// ids added for `takeAdded()`.
    init(generationSize: Int = .max, recordsAdded: Bool = false) {
        self.generationSize = max(generationSize, 1)
        self.recordsAdded = recordsAdded
    }

    /// Adds `id`; false when it was already remembered.
    mutating func insert(_ id: String) -> Bool {
        let key = Self.key(id)
        if previous.contains(key) || !current.insert(key) { return false }
        if recordsAdded { added.append(id) }
        if current.count >= generationSize {
            previous = current
            current = AlertIDTable()
        }
        return true
    }

    /// Remembers `ids` sent by an earlier process, without recording them as added.
    mutating func remember(_ ids: some Sequence<String>) {
        for id in ids.lazy.map(Self.key) where !previous.contains(id) {
            _ = current.insert(id)
            if current.count >= generationSize {
                previous = current
                current = AlertIDTable()
            }
        }
    }

    /// The ids added since the last call.
    mutating func takeAdded() -> [String] {
        defer { added.removeAll(keepingCapacity: true) }
        return added
    }

    /// The 128 bits of a hex id; any other text (there is none today) hashed to 128 bits.
    private static func key(_ id: String) -> UInt128 {
        var id = id
        return id.withUTF8 { text in
            // Two 64-bit halves, each digit a shift and an OR: 128-bit shifts per digit and the
            // string's iterator cost 1,300 instructions an alert, this 200 (callgrind).
            guard text.count == 32, let high = hexValue(UnsafeBufferPointer(rebasing: text[..<16])),
                  let low = hexValue(UnsafeBufferPointer(rebasing: text[16...])) else {
                return fallbackKey(text)
            }
            return UInt128(high) << 64 | UInt128(low)
        }
    }

    /// The value of 16 lowercase hex digits, or nil.
    private static func hexValue(_ digits: UnsafeBufferPointer<UInt8>) -> UInt64? {
        var value: UInt64 = 0
        for byte in digits {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte &- UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte &- UInt8(ascii: "a") &+ 10
            default: return nil
            }
            value = value << 4 | UInt64(digit)
        }
        return value
    }

    /// FNV-1a over 128 bits: stable within the process, which is all a set in memory needs.
    private static func fallbackKey(_ id: UnsafeBufferPointer<UInt8>) -> UInt128 {
        var hash: UInt128 = 0x6c62272e07bb014262b821756295c58d
        let prime: UInt128 = 0x0000000001000000000000000000013B
        for byte in id {
            hash ^= UInt128(byte)
            hash &*= prime
        }
        return hash
    }
}

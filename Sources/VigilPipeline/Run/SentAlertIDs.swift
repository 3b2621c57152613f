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
    private var current = Set<UInt128>()
    private var previous = Set<UInt128>()
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
        if previous.contains(key) || !current.insert(key).inserted { return false }
        if recordsAdded { added.append(id) }
        if current.count >= generationSize {
            previous = current
            current = []
        }
        return true
    }

    /// Remembers `ids` sent by an earlier process, without recording them as added.
    mutating func remember(_ ids: some Sequence<String>) {
        for id in ids.lazy.map(Self.key) where !previous.contains(id) {
            current.insert(id)
            if current.count >= generationSize {
                previous = current
                current = []
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
        var value: UInt128 = 0
        var digits = 0
        for byte in id.utf8 {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            default: return fallbackKey(id)
            }
            value = value << 4 | UInt128(digit)
            digits += 1
        }
        return digits == 32 ? value : fallbackKey(id)
    }

    /// FNV-1a over 128 bits: stable within the process, which is all a set in memory needs.
    private static func fallbackKey(_ id: String) -> UInt128 {
        var hash: UInt128 = 0x6c62272e07bb014262b821756295c58d
        let prime: UInt128 = 0x0000000001000000000000000000013B
        for byte in id.utf8 {
            hash ^= UInt128(byte)
            hash &*= prime
        }
        return hash
    }
}

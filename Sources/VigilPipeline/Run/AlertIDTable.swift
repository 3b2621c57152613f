/// A set of 128-bit alert ids (`SentAlertIDs`' generations), one open-addressed table with linear
/// probing.
///
/// An alert id is already a hash (SHA-256 bits, or FNV-1a for other text), so its low bits pick
/// the slot: `Set<UInt128>` hashed each id again with SipHash, and with the hex parsing before it
/// that was 4 % of a replay where every event alerts (perf, 42 CloudTrail files).
struct AlertIDTable {
    /// The ids, 0 marking an empty slot; a power of two long, at most three quarters full.
    private var slots: [UInt128]
    /// Whether the id 0 (which cannot sit in a slot) is held.
    private var holdsZero = false
    /// How many ids are held.
    private(set) var count = 0

    init() {
        slots = Array(repeating: 0, count: 1024)
    }

    /// Whether `id` is held.
    func contains(_ id: UInt128) -> Bool {
        if id == 0 { return holdsZero }
        return slots.withUnsafeBufferPointer { slots in
            let mask = slots.count - 1
            var index = Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: id)) & mask
            while true {
                let held = slots[index]
                if held == id { return true }
                if held == 0 { return false }
                index = (index + 1) & mask
            }
        }
    }

    /// Adds `id`; false when it was held already.
    mutating func insert(_ id: UInt128) -> Bool {
        if id == 0 {
            defer { holdsZero = true }
            if holdsZero { return false }
            count += 1
            return true
        }
        if 4 * (count + 1) > 3 * slots.count { grow() }
        let inserted = slots.withUnsafeMutableBufferPointer { slots in Self.place(id, in: slots) }
        if inserted { count += 1 }
        return inserted
    }

    /// Puts `id` (not 0) into the first empty slot of its run, unless the run holds it; whether it did.
    private static func place(_ id: UInt128, in slots: UnsafeMutableBufferPointer<UInt128>) -> Bool {
        let mask = slots.count - 1
        var index = Int(truncatingIfNeeded: UInt64(truncatingIfNeeded: id)) & mask
        while true {
            let held = slots[index]
            if held == id { return false }
            if held == 0 {
                slots[index] = id
                return true
            }
            index = (index + 1) & mask
        }
    }

    /// Twice the slots, every id placed again.
    private mutating func grow() {
        var larger = [UInt128](repeating: 0, count: 2 * slots.count)
        larger.withUnsafeMutableBufferPointer { larger in
            for id in slots where id != 0 { _ = Self.place(id, in: larger) }
        }
        slots = larger
    }
}

/// The last configuration item Vigil saw of each resource, so that the next item of the same
/// resource gets the `configurationItemDiff` AWS would have sent with it (`ConfigItemDiffer`).
///
/// Bounded: at most `Limits.maximumResources` resources (100,000 by default), and their items in
/// one ring of `Limits.maximumBytes` (32 MiB by default): a new item is written after the last
/// one, and the items it overwrites — the ones remembered longest ago — are forgotten. An item
/// larger than `Limits.maximumItemBytes` (4 MiB) is not remembered, and forgets the resource's
/// earlier item. A forgotten resource's next item simply gets no diff.
///
/// One ring rather than an array per item: measured (release, a 300 MB snapshot of 158,000 RDS
/// items, one thread), an array per item held in a dictionary took the replay's peak memory from
/// 43 MB to 260 MB for 48 MiB of items (the allocator's pages, not the items); the ring holds
/// exactly its bytes.
///
/// One memory serves one ordered stream of events — a replay's alerting thread, a tail, a
/// `normalize` — so that what was seen before an item is the same in every run. `takeChanges`
/// lists the resources remembered or forgotten since it was last called, for a tail to keep in
/// its state database.
public final class ConfigItemMemory {
    public struct Limits: Sendable {
        public var maximumResources = 100_000
        public var maximumBytes = 32 << 20
        public var maximumItemBytes = 4 << 20

        public init() {}
    }

    /// One resource's last item: its capture time in milliseconds since 1970, and the item as
    /// written (compact JSON); its properties are read only when the next item of the resource comes.
    public struct Remembered: Sendable, Equatable {
        public let captureTime: Int64
        public let properties: [UInt8]

        public init(captureTime: Int64, properties: [UInt8]) {
            self.captureTime = captureTime
            self.properties = properties
        }
    }

    /// Where a remembered item lies in the ring: the resource's key, then the item.
    private struct Entry {
        var offset: Int
        var keyLength: Int
        var itemLength: Int
        var captureTime: Int64
        var generation: Int
        var end: Int { offset + keyLength + itemLength }
    }

    public let limits: Limits
    private var ring: [UInt8] = []
    /// Where the next item is written.
    private var head = 0
    /// By a 64-bit hash of the resource's key; the key itself is in the ring, to tell a collision.
    private var entries: [UInt64: Entry] = [:]
    /// Every item written, in the order written (so in the ring's order from `head` on); one whose
    /// generation is no longer its resource's is stale.
    private var order: [(hash: UInt64, generation: Int)] = []
    private var orderStart = 0
    private var generation = 0
    /// Resources remembered (or forgotten: nil) since `takeChanges` was last called.
    private var changed: [[UInt8]: Remembered?] = [:]
    /// Whether changes are noted for `takeChanges` (a tail keeps them; a replay does not).
    public let notesChanges: Bool

    public init(limits: Limits = Limits(), notesChanges: Bool = false) {
        self.limits = limits
        self.notesChanges = notesChanges
    }

    /// How many resources are remembered.
    public var count: Int { entries.count }
    /// The bytes of the remembered keys and items.
    public var bytes: Int { entries.values.reduce(0) { $0 + $1.keyLength + $1.itemLength } }

    /// The last item remembered of the resource `key` (a copy).
    public func item(of key: [UInt8]) -> Remembered? {
        guard let entry = entry(of: key) else { return nil }
        let start = entry.offset + entry.keyLength
        return Remembered(captureTime: entry.captureTime, properties: Array(ring[start..<(start + entry.itemLength)]))
    }

    /// The capture time of the resource's last item, without copying it.
    func captureTime(of key: [UInt8]) -> Int64? {
        entry(of: key)?.captureTime
    }

    /// Calls `body` with the resource's last item's bytes, valid during the call.
    func withItem<Result>(of key: [UInt8], _ body: (UnsafeRawBufferPointer) -> Result) -> Result? {
        guard let entry = entry(of: key) else { return nil }
        let start = entry.offset + entry.keyLength
        return ring.withUnsafeBytes { body(UnsafeRawBufferPointer(rebasing: $0[start..<(start + entry.itemLength)])) }
    }

    /// Remembers `item` as the resource's last one (nil: forgets the resource).
    public func remember(_ item: Remembered?, of key: [UInt8]) {
        guard let item else {
            forget(key)
            return
        }
        item.properties.withUnsafeBytes { remember($0, captureTime: item.captureTime, of: key) }
    }

    /// Remembers the item `bytes`, captured at `captureTime` (milliseconds), as the resource's last one.
    func remember(_ bytes: UnsafeRawBufferPointer, captureTime: Int64, of key: [UInt8]) {
        let hash = Self.hash(key)
        entries.removeValue(forKey: hash)
        let length = key.count + bytes.count
        guard bytes.count <= limits.maximumItemBytes, length <= limits.maximumBytes else {
            if notesChanges { changed[key] = .some(nil) }
            return
        }
        if head + length > limits.maximumBytes {
            // The ring's end is too short: what lies there is the oldest, and is forgotten; the
            // item goes to the start.
            while let oldest = oldestLive(), oldest.entry.offset >= head { evict(oldest.hash) }
            head = 0
        }
        // The items the new one overwrites are the oldest: forgotten.
        while let oldest = oldestLive(), oldest.entry.offset < head + length, oldest.entry.end > head { evict(oldest.hash) }
        while entries.count >= limits.maximumResources, let oldest = oldestLive() { evict(oldest.hash) }
        if ring.count < head + length {
            // Reserved whole once, so that growing never holds two copies; pages are touched only
            // as items are written.
            if ring.capacity < limits.maximumBytes { ring.reserveCapacity(limits.maximumBytes) }
            ring.append(contentsOf: repeatElement(0, count: head + length - ring.count))
        }
        ring.withUnsafeMutableBytes { buffer in
            key.withUnsafeBytes { buffer.baseAddress!.advanced(by: head).copyMemory(from: $0.baseAddress!, byteCount: key.count) }
            if !bytes.isEmpty {
                buffer.baseAddress!.advanced(by: head + key.count).copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            }
        }
        generation += 1
        entries[hash] = Entry(offset: head, keyLength: key.count, itemLength: bytes.count, captureTime: captureTime,
                              generation: generation)
        order.append((hash, generation))
        head += length
        if notesChanges { changed[key] = .some(Remembered(captureTime: captureTime, properties: Array(bytes))) }
        // The order list keeps stale entries too; compact it when they are most of it.
        if orderStart > 1024 && orderStart * 2 > order.count {
            order.removeFirst(orderStart)
            orderStart = 0
        }
    }

    /// The resources remembered or forgotten since the last call, for a tail to store.
    public func takeChanges() -> [(key: [UInt8], item: Remembered?)] {
        defer { changed.removeAll() }
        return changed.map { ($0.key, $0.value) }
    }

    /// FNV-1a, 64 bits: hashing a `[UInt8]` key byte by byte through `Hasher` took 10 % of a
    /// snapshot's replay.
    static func hash(_ key: [UInt8]) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in key {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return hash
    }

    private func entry(of key: [UInt8]) -> Entry? {
        guard let entry = entries[Self.hash(key)], entry.keyLength == key.count,
              ring[entry.offset..<(entry.offset + entry.keyLength)].elementsEqual(key) else { return nil }
        return entry
    }

    private func forget(_ key: [UInt8]) {
        if entry(of: key) != nil { entries.removeValue(forKey: Self.hash(key)) }
        if notesChanges { changed[key] = .some(nil) }
    }

    /// The live entry remembered longest ago; stale ones before it are dropped from the order.
    private func oldestLive() -> (hash: UInt64, entry: Entry)? {
        while orderStart < order.count {
            let (hash, stamp) = order[orderStart]
            if let entry = entries[hash], entry.generation == stamp { return (hash, entry) }
            orderStart += 1
        }
        return nil
    }

    private func evict(_ hash: UInt64) {
        guard let entry = entries.removeValue(forKey: hash) else { return }
        orderStart += 1
        if notesChanges {
            changed[Array(ring[entry.offset..<(entry.offset + entry.keyLength)])] = .some(nil)
        }
    }
}

/// The last configuration item Vigil saw of each resource, as the properties `ConfigItemDiffer`
/// compares, so that the next item of the same resource gets the `configurationItemDiff` AWS
/// would have sent with it.
///
/// Bounded: at most `Limits.maximumResources` resources and `Limits.maximumBytes` of properties
/// (by default 100,000 and 64 MiB); past either, the resources remembered longest ago are
/// forgotten first. An item whose properties exceed `Limits.maximumItemBytes` (4 MiB) is not
/// remembered (and forgets the resource's earlier item, which it replaces). A forgotten
/// resource's next item simply gets no diff.
///
/// One memory serves one ordered stream of events — a replay's alerting thread, a tail, a
/// `normalize` — so that what was seen before an item is the same in every run. `changes` lists
/// the resources remembered since it was last emptied, for a tail to keep in its state database.
public final class ConfigItemMemory {
    public struct Limits: Sendable {
        public var maximumResources = 100_000
        public var maximumBytes = 64 << 20
        public var maximumItemBytes = 4 << 20

        public init() {}
    }

    /// One resource's last item: its capture time in milliseconds since 1970, and its properties
    /// (see `ConfigItemDiffer.Properties`).
    public struct Remembered: Sendable, Equatable {
        public let captureTime: Int64
        public let properties: [UInt8]

        public init(captureTime: Int64, properties: [UInt8]) {
            self.captureTime = captureTime
            self.properties = properties
        }
    }

    public let limits: Limits
    private var entries: [[UInt8]: (remembered: Remembered, generation: Int)] = [:]
    /// Resources in the order they were last remembered; an entry whose generation is not the
    /// resource's current one is stale, and skipped when forgetting.
    private var order: [(key: [UInt8], generation: Int)] = []
    private var orderStart = 0
    private var generation = 0
    /// The properties' bytes held.
    public private(set) var bytes = 0
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

    /// The last item remembered of the resource `key`.
    public func item(of key: [UInt8]) -> Remembered? {
        entries[key]?.remembered
    }

    /// Remembers `item` as the resource's last one (nil: forgets the resource).
    public func remember(_ item: Remembered?, of key: [UInt8]) {
        if let old = entries.removeValue(forKey: key) { bytes -= old.remembered.properties.count + key.count }
        if notesChanges { changed[key] = .some(item) }
        guard let item, item.properties.count <= limits.maximumItemBytes else {
            if notesChanges { changed[key] = .some(nil) }
            return
        }
        generation += 1
        entries[key] = (item, generation)
        order.append((key, generation))
        bytes += item.properties.count + key.count
        while entries.count > limits.maximumResources || bytes > limits.maximumBytes {
            forgetOldest()
        }
        // The order list holds stale entries too; compact it when they are most of it.
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

    private func forgetOldest() {
        while orderStart < order.count {
            let (key, stamp) = order[orderStart]
            orderStart += 1
            guard let entry = entries[key], entry.generation == stamp else { continue }
            entries.removeValue(forKey: key)
            bytes -= entry.remembered.properties.count + key.count
            if notesChanges { changed[key] = .some(nil) }
            return
        }
    }
}

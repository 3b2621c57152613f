/// The ids of alerts already sent, so that an alert raised twice (AWS delivers some records
/// twice, in two files) is sent once.
///
/// A replay remembers every id of its run. A tail runs for months, so it remembers the most
/// recent ones only: two generations of `generationSize` ids each, the older dropped when the
/// newer fills, which keeps between one and two generations in memory. The ids added since the
/// last `takeAdded()` are kept apart for the tail to save, so a restart remembers them too.
struct SentAlertIDs {
    private var current = Set<String>()
    private var previous = Set<String>()
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
        if previous.contains(id) || !current.insert(id).inserted { return false }
        if recordsAdded { added.append(id) }
        if current.count >= generationSize {
            previous = current
            current = []
        }
        return true
    }

    /// Remembers `ids` sent by an earlier process, without recording them as added.
    mutating func remember(_ ids: some Sequence<String>) {
        for id in ids where !previous.contains(id) {
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
}

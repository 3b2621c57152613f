import VigilIngest

/// Events read per source and minute: the volume a report's timeline draws the alerts over.
///
/// Counted for every event, so the common case costs a few comparisons: events of one file mostly
/// fall in a few minutes, whose counts are kept aside (`recent`) and added to the table when
/// another minute needs the room.
public struct EventVolume: Sendable {
    struct Key: Hashable, Sendable {
        let kind: LogRecord.Kind
        let minute: Int64
    }

    private var counts: [Key: Int] = [:]
    /// The minutes counted lately and how many events each, settled into `counts` when full:
    /// flow records come in no order of time, each of a handful of minutes, and a dictionary
    /// update per record was 1 % of a flow replay (callgrind).
    private var recent: [(key: Key, count: Int)] = []
    private static let recentLimit = 8

    public init() {}

    /// Counts one event of `kind` at `seconds` since 1970.
    public mutating func count(_ kind: LogRecord.Kind, at seconds: Int64) {
        let minute = seconds >= 0 ? seconds / 60 : (seconds - 59) / 60
        for index in recent.indices where recent[index].key.minute == minute && recent[index].key.kind == kind {
            recent[index].count += 1
            return
        }
        if recent.count == Self.recentLimit { settle() }
        recent.append((Key(kind: kind, minute: minute), 1))
    }

    private mutating func settle() {
        for (key, count) in recent { counts[key, default: 0] += count }
        recent.removeAll(keepingCapacity: true)
    }

    /// Adds another file's counts.
    public mutating func merge(_ other: EventVolume) {
        var other = other
        other.settle()
        settle()
        counts.merge(other.counts, uniquingKeysWith: +)
    }

    /// Events per source (its label) per minute.
    public var byMinute: [String: [Int64: Int]] {
        var copy = self
        copy.settle()
        var result: [String: [Int64: Int]] = [:]
        for (key, count) in copy.counts { result[key.kind.label, default: [:]][key.minute, default: 0] += count }
        return result
    }
}

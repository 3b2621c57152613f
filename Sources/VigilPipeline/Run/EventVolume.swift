import VigilIngest

/// Events read per source and minute: the volume a report's timeline draws the alerts over.
///
/// Counted for every event, so the common case costs one comparison: events of one file mostly
/// share their minute, and the count of the current (kind, minute) is kept aside and added to the
/// table only when the minute or kind changes.
public struct EventVolume: Sendable {
    struct Key: Hashable, Sendable {
        let kind: LogRecord.Kind
        let minute: Int64
    }

    private var counts: [Key: Int] = [:]
    private var current: Key?
    private var currentCount = 0

    public init() {}

    /// Counts one event of `kind` at `seconds` since 1970.
    public mutating func count(_ kind: LogRecord.Kind, at seconds: Int64) {
        let minute = seconds >= 0 ? seconds / 60 : (seconds - 59) / 60
        if let current, current.kind == kind, current.minute == minute {
            currentCount += 1
            return
        }
        settle()
        current = Key(kind: kind, minute: minute)
        currentCount = 1
    }

    private mutating func settle() {
        if let current, currentCount > 0 { counts[current, default: 0] += currentCount }
        currentCount = 0
    }

    /// Adds another file's counts.
    public mutating func merge(_ other: EventVolume) {
        var other = other
        other.settle()
        settle()
        current = nil
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

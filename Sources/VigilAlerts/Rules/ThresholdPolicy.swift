/// A rule's `threshold`: alert only when at least `count` matching events with the same group
/// values fall within `window` of event time, and then once for that window.
///
/// `{"count": 20, "window": "5m", "groupBy": ["$.detail.srcaddr", "$.detail.dstport"]}`
public struct ThresholdPolicy: Sendable, Hashable {
    public static let countRange = 2...1_000_000

    public let count: Int
    public let window: TimeWindow
    /// The paths whose values make the group; none means one group for the whole rule.
    public let groupBy: [EventPath]

    public init(count: Int, window: TimeWindow, groupBy: [EventPath]) {
        self.count = count
        self.window = window
        self.groupBy = groupBy
    }
}

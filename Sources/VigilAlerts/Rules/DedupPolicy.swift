/// A rule's `dedup`: after an alert, further matches with the same key values are suppressed (and
/// counted) until `window` of event time has passed since that alert.
///
/// `{"keys": ["$.detail.userIdentity.arn", "$.detail.sourceIPAddress"], "window": "1h"}`
public struct DedupPolicy: Sendable, Hashable {
    /// The paths whose values make the key; a path missing from an event contributes `null`.
    public let keys: [EventPath]
    public let window: TimeWindow

    public init(keys: [EventPath], window: TimeWindow) {
        self.keys = keys
        self.window = window
    }
}

/// One inline test of a rule: an EventBridge event and whether the rule's pattern must match it.
public struct RuleTest: Sendable {
    public enum Expectation: String, Sendable {
        case match
        case noMatch = "no-match"
    }

    /// The test's `name`, or `#N` (from 1) when it has none.
    public let name: String
    /// The event's JSON text, from the rule file or from the test's `eventFile`.
    public let event: [UInt8]
    public let expectation: Expectation
    /// Where the test is written: `file:line`.
    public let location: String
}

import VigilAlerts

/// A match held on its way to the alert stage: found by a parallel replay's reading thread, or
/// by a tail reading a queue message's objects, whose alerts wait until the whole message is read.
struct FoundMatch: Sendable {
    let match: Alerter.Match
    let ruleIndices: [Int32]
}

/// What a parallel replay's reading thread hands to the alerting thread, in record order: a
/// match, or a Config item still to be diffed and matched there, in file order.
enum FoundEvent: Sendable {
    case match(FoundMatch)
    case configItem(DeferredConfigItem)
}

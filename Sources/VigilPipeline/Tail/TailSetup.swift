import VigilAlerts

/// What a tail runs with, made by the command from the rule files and the configuration, and
/// made again on a reload.
public struct TailSetup {
    /// The rules, all valid.
    public var rules: RuleSet
    /// Makes the sinks behind a router: each file sink resuming after its checkpoint (by sink
    /// name), the router remembering the alert ids sent lately.
    public var makeRouter: (_ checkpoints: [String: SinkCheckpoint], _ sentAlerts: [String]) throws(SinkError) -> AlertRouter
    /// The rule files, rule directories and configuration file: a change to any of them reloads.
    public var watchedFiles: [String]

    public init(rules: RuleSet, watchedFiles: [String],
                makeRouter: @escaping (_ checkpoints: [String: SinkCheckpoint], _ sentAlerts: [String]) throws(SinkError) -> AlertRouter) {
        self.rules = rules
        self.watchedFiles = watchedFiles
        self.makeRouter = makeRouter
    }
}

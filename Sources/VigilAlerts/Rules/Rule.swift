import VigilPattern

/// An alert rule: an EventBridge event pattern with a name, a severity and where alerts go.
public struct Rule: Sendable {
    /// Unique among the loaded rules; EventBridge's rule-name syntax (`[.\-_A-Za-z0-9]+`, ≤ 64).
    public let name: String
    public let description: String
    public let severity: Severity
    /// False for `"state": "DISABLED"`: loaded and validated, never matched.
    public let isEnabled: Bool
    public let pattern: EventPattern
    /// Sink names; nil means the default sinks. (`--import-targets` sets them from `importedTargets`.)
    public internal(set) var targets: [String]?
    /// Shapes what webhooks receive (EventBridge's `InputTransformer`).
    public let inputTransformer: InputTransformer?
    public let dedup: DedupPolicy?
    public let threshold: ThresholdPolicy?
    public let tags: [String]
    public let references: [String]
    public let tests: [RuleTest]
    /// The file the rule came from.
    public let file: String
    /// The line of the file where the rule starts.
    public let line: Int
    /// The ARNs of an imported rule's EventBridge targets (`Targets[].Arn` beside describe-rule or
    /// list-rules output, as `aws events list-targets-by-rule` prints them), in the order written.
    /// `--import-targets` maps them to sinks (`ImportedTargets`).
    public internal(set) var importedTargets: [String] = []
}

/// How urgent a rule's alerts are.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

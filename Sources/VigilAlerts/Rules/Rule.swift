import VigilPattern

/// An alert rule: an EventBridge event pattern with a name, a severity and where alerts go.
public struct Rule: Sendable {
    /// Unique among the loaded rules; EventBridge's rule-name syntax (`[.\-_A-Za-z0-9]+`, ≤ 64).
    public let name: String
    public internal(set) var description: String
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
    /// The event pattern as compact JSON text, exactly as EventBridge receives it (from a template:
    /// after its intrinsic functions are resolved).
    public internal(set) var patternJSON: [UInt8] = []
    /// The rule's id in the file it came from, when that is a template: a CloudFormation logical
    /// id (`rOrganizationsRule`; for a SAM event, the function's id followed by the event's, as
    /// SAM names the rule it generates) or a Terraform resource address.
    public internal(set) var logicalId: String? = nil
    /// The resolved ARNs of the rule's `Targets[].Arn` (CloudFormation) or of the
    /// `aws_cloudwatch_event_target`s naming it (Terraform), in the order written; targets whose
    /// ARN is known only once deployed are left out (with a notice). `--import-targets` maps them
    /// to sinks.
    public internal(set) var importedTargets: [String] = []
}

/// How urgent a rule's alerts are.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

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
    /// Sink names; nil means the default sinks.
    public let targets: [String]?
    public let tags: [String]
    public let references: [String]
    /// The file the rule came from.
    public let file: String
}

/// How urgent a rule's alerts are.
public enum Severity: String, Sendable, CaseIterable, Comparable {
    case info, low, medium, high, critical

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A problem with a rule file: where, which rule, and why.
public struct RuleProblem: Error, Sendable, Hashable, CustomStringConvertible {
    public let file: String
    /// The rule's name when known.
    public let rule: String?
    public let line: Int?
    public let column: Int?
    public let reason: String

    public init(file: String, rule: String? = nil, line: Int? = nil, column: Int? = nil, reason: String) {
        self.file = file
        self.rule = rule
        self.line = line
        self.column = column
        self.reason = reason
    }

    public var description: String {
        var location = file
        if let line { location += ":\(line)" + (column.map { ":\($0)" } ?? "") }
        if let rule { location += " (rule \(rule))" }
        return "\(location): \(reason)"
    }
}

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

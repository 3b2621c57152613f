/// Why a Sigma rule file was not converted: the file is damaged (not YAML, no detection, an
/// unknown modifier, another log source), or it is a valid Sigma rule that says something an
/// EventBridge pattern cannot say exactly (a refusal naming the construct).
public struct SigmaProblem: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The file is not a usable Sigma rule.
        case damaged
        /// A valid rule whose meaning no event pattern states exactly; nothing approximate is written.
        case refused
    }

    public let file: String
    public let kind: Kind
    public let reason: String

    public init(file: String, kind: Kind, reason: String) {
        self.file = file
        self.kind = kind
        self.reason = reason
    }

    public var description: String {
        "\(file): \(kind == .damaged ? "error" : "not converted"): \(reason)"
    }
}

/// A problem found while reading or converting one rule, before the file name is attached.
struct SigmaIssue: Error {
    let kind: SigmaProblem.Kind
    let reason: String

    static func damaged(_ reason: String) -> SigmaIssue { SigmaIssue(kind: .damaged, reason: reason) }
    static func refused(_ reason: String) -> SigmaIssue { SigmaIssue(kind: .refused, reason: reason) }
}

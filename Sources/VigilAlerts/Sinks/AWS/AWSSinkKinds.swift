import VigilAWS

/// The AWS sink kinds, in the one place they are registered: specifications, targets,
/// configuration files and `--import-targets` all find the kinds here.
public enum AWSSinkKinds {
    /// Every kind, in the order help and messages list them.
    public static let all: [any AWSSinkKind.Type] = [
        SNSSinkKind.self, EventBridgeSinkKind.self, LambdaSinkKind.self, SecurityHubSinkKind.self,
    ]

    /// The kind a specification names (`sns:…`, `securityhub`), with what follows its scheme;
    /// nil when it names none.
    public static func kind(of specification: String) -> (kind: any AWSSinkKind.Type, target: String?)? {
        for kind in all {
            if specification == kind.scheme { return (kind, nil) }
            if specification.hasPrefix(kind.scheme + ":") {
                return (kind, String(specification.dropFirst(kind.scheme.count + 1)))
            }
        }
        return nil
    }

    /// The sink specification for an EventBridge rule target ARN, or nil when no kind sends there.
    public static func specification(forTarget arn: String) -> String? {
        guard let parsed = AWSARN(arn) else { return nil }
        for kind in all {
            if let specification = kind.specification(forTarget: parsed) { return specification }
        }
        return nil
    }

    /// The kinds' syntaxes, for messages: `sns:TOPIC_ARN, eventbridge:BUS_NAME_OR_ARN, …`.
    public static var syntaxList: String {
        all.map { $0.syntax }.joined(separator: ", ")
    }
}

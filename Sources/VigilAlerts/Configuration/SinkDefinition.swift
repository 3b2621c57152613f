/// What kind of sink a name stands for, and its settings: from the configuration file's `sinks`,
/// or from a specification on the command line or in a rule's `targets`.
public enum SinkDefinition: Sendable, Equatable {
    case standardOutput
    case file(FileSinkSettings)
    case webhook(WebhookSinkSettings)
    /// SNS, EventBridge, Lambda or Security Hub (`AWSSinkKinds`).
    case aws(AWSSinkSettings)

    /// Parses a sink specification: `stdout`, `file:PATH` (appended to, never rotated),
    /// `webhook:URL` (EventBridge's delivery defaults, unsigned) or an AWS sink's
    /// (`sns:TOPIC_ARN`, …, as `AWSSinkKinds` lists them, with the same delivery defaults). The
    /// specification is also the sink's name.
    public init(specification: String) throws(SinkError) {
        if specification == "stdout" {
            self = .standardOutput
        } else if specification.hasPrefix("file:") {
            let path = String(specification.dropFirst(5))
            guard !path.isEmpty else { throw SinkError(sink: specification, reason: "file: needs a path, as in file:alerts.jsonl.") }
            self = .file(FileSinkSettings(path: path))
        } else if specification.hasPrefix("webhook:") {
            let url = String(specification.dropFirst(8))
            do {
                self = .webhook(WebhookSinkSettings(configuration: try WebhookConfiguration(url: url)))
            } catch {
                throw SinkError(sink: specification, reason: error.description)
            }
        } else if AWSSinkKinds.kind(of: specification) != nil {
            do {
                self = .aws(try AWSSinkSettings(specification: specification))
            } catch {
                throw SinkError(sink: specification, reason: error.message)
            }
        } else {
            throw SinkError(sink: specification, reason: "Unknown sink; use \(Self.specificationSyntaxes) or a sink named in the configuration file.")
        }
    }

    /// Every specification's syntax, for messages: `stdout, file:PATH, webhook:URL, sns:TOPIC_ARN, …`.
    static var specificationSyntaxes: String {
        "stdout, file:PATH, webhook:URL, " + AWSSinkKinds.syntaxList
    }

    /// Whether `text` has the form of a specification (as opposed to a configured name), valid or not.
    static func looksLikeSpecification(_ text: String) -> Bool {
        text == "stdout" || text.hasPrefix("file:") || text.hasPrefix("webhook:") || AWSSinkKinds.kind(of: text) != nil
    }
}

/// What kind of sink a name stands for, and its settings: from the configuration file's `sinks`,
/// or from a specification on the command line or in a rule's `targets`.
public enum SinkDefinition: Sendable, Equatable {
    case standardOutput
    case file(FileSinkSettings)
    case webhook(WebhookSinkSettings)

    /// Parses a sink specification: `stdout`, `file:PATH` (appended to, never rotated) or
    /// `webhook:URL` (EventBridge's delivery defaults, unsigned). The specification is also the
    /// sink's name.
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
        } else {
            throw SinkError(sink: specification, reason: "Unknown sink; use stdout, file:PATH, webhook:URL or a sink named in the configuration file.")
        }
    }

    /// Whether `text` has the form of a specification (as opposed to a configured name), valid or not.
    static func looksLikeSpecification(_ text: String) -> Bool {
        text == "stdout" || text.hasPrefix("file:") || text.hasPrefix("webhook:")
    }
}

/// The sink names rules may use in `targets`: the sinks the configuration file defines, and any
/// specification (`stdout`, `file:PATH`, `webhook:URL`, `sns:TOPIC_ARN`, …), which names itself.
///
/// `vigil rules validate --config FILE` checks targets with it without making any sink.
public struct SinkNames: Sendable, Equatable {
    /// The names defined under `sinks` in the configuration file.
    public let configured: Set<String>
    /// The configuration file, for messages; nil without one.
    public let configurationFile: String?

    public init(configured: Set<String>, configurationFile: String?) {
        self.configured = configured
        self.configurationFile = configurationFile
    }

    /// Whether a rule may target `name`.
    public func contains(_ name: String) -> Bool {
        problem(with: name) == nil
    }

    /// Nil when a rule may target `name`, else why not, as a sentence.
    public func problem(with name: String) -> String? {
        if configured.contains(name) { return nil }
        if SinkDefinition.looksLikeSpecification(name) {
            do {
                _ = try SinkDefinition(specification: name)
                return nil
            } catch {
                return "Target \(name): \(error.reason)"
            }
        }
        let known = configured.sorted()
        let defined = configurationFile.map { file in
            known.isEmpty ? "\(file) defines no sinks" : "\(file) defines \(known.joined(separator: ", "))"
        } ?? "no configuration file was given (--config)"
        return "Unknown sink \(name) in targets: \(defined); other targets are \(SinkDefinition.specificationSyntaxes)."
    }
}

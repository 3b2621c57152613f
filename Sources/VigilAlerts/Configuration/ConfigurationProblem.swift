/// One thing wrong with a configuration file: where (the file and the JSON key path, such as
/// `sinks.pager.url`) and why, as a sentence.
public struct ConfigurationProblem: Sendable, Equatable, CustomStringConvertible {
    /// The configuration file as the user named it.
    public let file: String
    /// Dotted keys and `[index]`es from the top of the document, e.g. `defaultSinks[1]`; empty
    /// when the problem is with the file as a whole (unreadable, not JSON).
    public let keyPath: String
    public let reason: String

    public init(file: String, keyPath: String, reason: String) {
        self.file = file
        self.keyPath = keyPath
        self.reason = reason
    }

    /// `vigil.json: sinks.pager.url: The webhook URL … uses http, …`
    public var description: String {
        keyPath.isEmpty ? "\(file): \(reason)" : "\(file): \(keyPath): \(reason)"
    }
}

/// A configuration file that cannot be used, with every problem found in it.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// In the order of the document's keys, sorted; never empty.
    public let problems: [ConfigurationProblem]

    public init(_ problems: [ConfigurationProblem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}

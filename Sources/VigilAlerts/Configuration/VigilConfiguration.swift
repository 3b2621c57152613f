#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The configuration file (`--config FILE`, JSON): where durable state lives, which sinks alerts
/// go to by default, how much each sink may fall behind, and the named sinks rules can target.
///
/// ```json
/// {"state": ".vigil", "defaultSinks": ["stdout", "pager"], "queueCapacity": 10000,
///  "sinks": {"pager": {"type": "webhook", "url": "https://…", "secretEnv": "PAGER_SECRET",
///                      "timeout": "5s", "maxRetryAttempts": 185, "maxEventAge": "24h",
///                      "firstRetryDelay": "1s", "maxRetryDelay": "60s", "concurrency": 4,
///                      "headers": {"X-Team": "db", "Authorization": {"env": "PAGER_TOKEN"}}},
///            "archive": {"type": "file", "path": "alerts.jsonl", "rotateBytes": 104857600, "keep": 5},
///            "console": {"type": "stdout"}}}
/// ```
///
/// Every key is optional but a sink's `type`, a file's `path` and a webhook's `url`; unknown keys
/// are refused, so a misspelt setting is not silently ignored. Durations are `"300ms"`, `"5s"`,
/// `"1m"`, `"24h"`, `"1h30m"` or a number of seconds. Relative paths (`state`, a file sink's
/// `path`) are relative to the directory of the configuration file, so the same file works from
/// any working directory; `file:PATH` specifications stay relative to the working directory, as
/// on the command line. Secrets are never in the file: `secretEnv` and `{"env": …}` header
/// values name environment variables, read when the sink is made.
public struct VigilConfiguration: Sendable {
    /// Alerts a sink's queue holds before `send` waits for it, when the file does not say.
    public static let defaultQueueCapacity = 10_000
    /// The state directory when neither the file nor `--state` names one.
    public static let defaultStateDirectory = ".vigil"
    /// The largest configuration file read; anything larger is surely not one.
    static let maximumFileSize = 1 << 20

    /// The file this was read from, as the user named it; nil for the built-in defaults.
    public let file: String?
    /// The directory of durable state (the webhook spool, dead letters).
    public let stateDirectory: String
    /// Where alerts of rules without `targets` go: configured names or specifications.
    public let defaultSinks: [String]
    /// How many alerts each sink's queue holds before `send` waits for that sink.
    public let queueCapacity: Int
    /// The sinks defined in the file, by name.
    public let sinks: [String: SinkDefinition]

    /// A configuration without a file: state in `.vigil`, alerts to stdout.
    public init(stateDirectory: String = VigilConfiguration.defaultStateDirectory, defaultSinks: [String] = ["stdout"],
                queueCapacity: Int = VigilConfiguration.defaultQueueCapacity, sinks: [String: SinkDefinition] = [:]) {
        file = nil
        self.stateDirectory = stateDirectory
        self.defaultSinks = defaultSinks
        self.queueCapacity = queueCapacity
        self.sinks = sinks
    }

    /// Reads and checks the configuration file at `path`; throws with every problem found.
    public init(contentsOf path: String) throws(ConfigurationError) {
        let bytes = try Self.contents(of: path)
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? ""
        try self.init(json: bytes, file: path, baseDirectory: directory)
    }

    /// Checks the configuration in `json`; `file` names it in messages and `baseDirectory`
    /// (empty, or ending in `/`) is prefixed to its relative paths.
    public init(json: [UInt8], file: String, baseDirectory: String = "") throws(ConfigurationError) {
        var reader = ConfigurationReader(file: file, baseDirectory: baseDirectory)
        guard let read = reader.read(json) else { throw ConfigurationError(reader.problems) }
        self.file = file
        stateDirectory = read.stateDirectory ?? Self.relative(Self.defaultStateDirectory, to: baseDirectory)
        defaultSinks = read.defaultSinks ?? ["stdout"]
        queueCapacity = read.queueCapacity ?? Self.defaultQueueCapacity
        sinks = read.sinks
    }

    /// The names rules may use in `targets`.
    public var sinkNames: SinkNames {
        SinkNames(configured: Set(sinks.keys), configurationFile: file)
    }

    /// What `name` stands for: the sink of that name in the file, else the specification it is.
    /// A file sink whose path is a symbolic link it would refuse (`FileSinkOpening`) is an error.
    public func sinkDefinition(named name: String) throws(SinkError) -> SinkDefinition {
        let definition: SinkDefinition
        if let configured = sinks[name] {
            definition = configured
        } else {
            guard SinkDefinition.looksLikeSpecification(name) else {
                throw SinkError(sink: name, reason: sinkNames.problem(with: name) ?? "Unknown sink.")
            }
            definition = try SinkDefinition(specification: name)
        }
        // A file sink's path that is a link it would refuse is a problem of the plan, found
        // before anything runs.
        if case .file(let settings) = definition, let problem = FileSinkOpening.linkProblem(at: settings.path) {
            throw SinkError(sink: name, reason: problem)
        }
        return definition
    }

    /// `path` as seen from the working directory, when it was written relative to `baseDirectory`.
    static func relative(_ path: String, to baseDirectory: String) -> String {
        path.hasPrefix("/") || baseDirectory.isEmpty ? path : baseDirectory + path
    }

    private static func contents(of path: String) throws(ConfigurationError) -> [UInt8] {
        func failure(_ reason: String) -> ConfigurationError {
            ConfigurationError([ConfigurationProblem(file: path, keyPath: "", reason: reason)])
        }
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("Cannot read the configuration file: \(DurableFiles.lastError()).") }
        defer { close(descriptor) }
        switch DurableFiles.readAll(descriptor, limit: maximumFileSize) {
        case .contents(let contents): return contents
        case .failed(let reason): throw failure("Cannot read the configuration file: \(reason).")
        case .tooLarge: throw failure("The configuration file is larger than \(maximumFileSize) bytes; it is surely not one.")
        }
    }
}

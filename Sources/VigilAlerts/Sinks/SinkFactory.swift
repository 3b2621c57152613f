import Foundation

/// Makes the sinks of a run from their names: a name defined in the configuration file, or a
/// specification (`stdout`, `file:PATH`, `webhook:URL`, `sns:TOPIC_ARN`, …).
///
/// Webhook and AWS sinks keep their spool in the state directory's database. The factory opens
/// that database once, and only when the first such sink is made (a run to stdout and files
/// leaves the state directory alone), and shares it between all of them. A spooled sink's rows
/// and dead letters carry its name: the configuration's name, or its specification. AWS sinks
/// share one credential chain and HTTP transport (`AWSSinkAccess`), made with the first of them.
///
/// Each name is made once per run; the caller hands each sink to a `SinkQueue`, which becomes
/// its only user, so the factory keeps no reference to the sinks it made.
public final class SinkFactory {
    public let configuration: VigilConfiguration
    /// Where webhook sinks keep their spool and dead letters.
    public let stateDirectory: String
    /// Things the user should hear about that do not stop the run, such as an alert file others
    /// can read; for the command to print.
    public private(set) var warnings: [String] = []
    private let environment: [String: String]
    /// Where each file sink's output ended at the last commit of a crashed run, by sink name.
    private let fileSinkCheckpoints: [String: SinkCheckpoint]
    private var database: StateDatabase?
    private var awsAccess: AWSSinkAccess?
    /// How the `stdout` sink shows alerts; nil: JSON Lines.
    private let standardOutputFormat: (any AlertTextFormat)?

    /// A factory for `configuration`'s sinks, keeping state in `stateDirectory`. Webhook secrets
    /// and secret headers are read from `environment` as each sink is made. A file sink whose name
    /// is in `fileSinkCheckpoints` resumes after that checkpoint (see `FileSink`), as a tail's
    /// does after a crash. `standardOutputFormat` is how stdout sinks show alerts (nil: JSON Lines).
    public init(configuration: VigilConfiguration = VigilConfiguration(), stateDirectory: String,
                environment: [String: String] = ProcessInfo.processInfo.environment,
                fileSinkCheckpoints: [String: SinkCheckpoint] = [:], standardOutputFormat: (any AlertTextFormat)? = nil) {
        self.standardOutputFormat = standardOutputFormat
        self.configuration = configuration
        self.stateDirectory = stateDirectory
        self.environment = environment
        self.fileSinkCheckpoints = fileSinkCheckpoints
    }

    /// The sink `name` stands for, newly made.
    public func makeSink(named name: String) throws(SinkError) -> sending any AlertSink {
        try makeSink(named: name, definition: configuration.sinkDefinition(named: name))
    }

    /// A sink named `name` as `definition` describes.
    public func makeSink(named name: String, definition: SinkDefinition) throws(SinkError) -> sending any AlertSink {
        switch definition {
        case .standardOutput:
            return StandardOutputSink(name: name, format: standardOutputFormat)
        case .file(let settings):
            let sink = try FileSink(name: name, settings: settings, resumingAfter: fileSinkCheckpoints[name])
            if let warning = sink.warning { warnings.append("sink \(name): \(warning)") }
            return sink
        case .webhook(let settings):
            return try makeWebhookSink(named: name, settings: settings)
        case .aws(let settings):
            return try makeAWSSink(named: name, settings: settings)
        }
    }

    /// An AWS sink (SNS, EventBridge, Lambda, Security Hub), for callers that need its own API
    /// (a dead-letter redrive). Credentials and the default region come from `environment`, as
    /// for the AWS CLI; requests go to the settings' endpoint, else `AWS_ENDPOINT_URL_<SERVICE>` or
    /// `AWS_ENDPOINT_URL`, else AWS.
    public func makeAWSSink(named name: String, settings: AWSSinkSettings) throws(SinkError) -> sending SpooledSink {
        let access = awsAccess ?? AWSSinkAccess(environment: environment)
        awsAccess = access
        let context: AWSSinkContext
        do {
            context = try access.context(for: settings.kind, timeout: settings.timeout, override: settings.endpoint)
        } catch {
            throw SinkError(sink: name, reason: error.message)
        }
        let kind = settings.kind
        return try SpooledSink(name: name, transport: kind.transport(context), policy: settings.retryPolicy,
                               concurrency: settings.concurrency, deliveredRetention: settings.deliveredRetention,
                               state: stateDatabase(), spooling: { kind.spooled($0, sink: name) })
    }

    /// A webhook sink, for callers that need its own API (a dead-letter redrive).
    public func makeWebhookSink(named name: String, settings: WebhookSinkSettings) throws(SinkError) -> sending SpooledSink {
        let configuration: WebhookConfiguration
        do {
            configuration = try settings.resolved(environment: environment)
        } catch {
            throw SinkError(sink: name, reason: error.description)
        }
        return try SpooledSink(name: name, configuration: configuration, state: stateDatabase(), environment: environment)
    }

    /// The run's state database, opened on first use.
    public func stateDatabase() throws(SinkError) -> StateDatabase {
        if let database { return database }
        do {
            let opened = try StateDatabase(directory: stateDirectory)
            database = opened
            return opened
        } catch {
            throw SinkError(sink: "state", reason: error.description)
        }
    }
}

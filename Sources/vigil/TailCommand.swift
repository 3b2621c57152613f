import ArgumentParser
import Foundation
import VigilAlerts
import VigilAWS
import VigilIngest
import VigilMetrics
import VigilPipeline

/// `vigil tail`: follow log directories as they fill, until SIGINT or SIGTERM.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow log directories as a sync job fills them, or an SQS queue of S3 notifications, and alert within seconds.",
        discussion: """
            Reads what the directories hold (or, with --from-now, only what is added), then \
            follows new files and growing files, recursively, with inotify (or --poll). Progress, \
            dedup and threshold windows and the delivery spool are kept in the state directory and \
            move only after the sinks have taken the alerts, so `kill -9` loses nothing and the \
            file sink holds no alert twice. A file still being written is read as far as its \
            records are complete, and the rest once it has stopped changing for --settle.

            With --sqs, objects announced on the queue (S3 event notifications, sent directly, \
            through SNS, or as EventBridge Object Created events) are read straight from S3. A \
            message is deleted only after the sinks have taken its objects' alerts; its visibility \
            is extended while a large object is read; one that fails is left to come back after \
            the visibility timeout, and to the queue's redrive policy. Several tails may share \
            one queue, each with its own state directory.

            SIGINT or SIGTERM: commit and exit 0. SIGHUP, or a change to a rule or configuration \
            file: reload (an invalid new set is refused and the old one keeps running). A health \
            line goes to stderr every --health-interval; `vigil status` shows the same.

            Exit status: 0 stopped by a signal; 1 the last commit failed; 2 usage, configuration \
            or rule errors, or another tail holds the state directory.
            """
    )

    @OptionGroup var selection: EventSelectionOptions

    @OptionGroup var rulesAndSinks: RuleAndSinkOptions

    @Option(name: .customLong("include"), help: ArgumentHelp(
        "Read only files matching this glob (repeatable); without '/' it matches the file name, with '/' the path below the directory.",
        valueName: "GLOB"))
    var includes: [String] = []

    @Option(name: .customLong("exclude"), help: ArgumentHelp("Skip files matching this glob (repeatable).", valueName: "GLOB"))
    var excludes: [String] = []

    @Flag(help: "On the first start, skip what the directories already hold; alert only on what is added.")
    var fromNow = false

    @Flag(help: "Look for changes every --poll-interval instead of with inotify (for network file systems).")
    var poll = false

    @Option(help: ArgumentHelp("How often to look for changes with --poll (e.g. 2s, 500ms).", valueName: "DURATION"))
    var pollInterval = "2s"

    @Option(help: ArgumentHelp(
        "How long a file with an unfinished last record must stay unchanged before it is read as it is.", valueName: "DURATION"))
    var settle = "10s"

    @Option(help: ArgumentHelp("How often to print a health line on stderr (0 for never).", valueName: "DURATION"))
    var healthInterval = "60s"

    @Option(name: .customLong("sqs"), help: ArgumentHelp(
        "Consume this SQS queue of S3 event notifications and read the objects it announces.", valueName: "QUEUE_URL"))
    var queueURL: String?

    @OptionGroup var aws: AWSOptions

    @Option(help: ArgumentHelp(
        "Serve Prometheus metrics on /metrics and a health check on /healthz at this address (e.g. 127.0.0.1:9464, :9464).",
        valueName: "ADDR:PORT"))
    var metricsListen: String?

    @Argument(help: ArgumentHelp("Directories to follow.", valueName: "DIR"))
    var directories: [String] = []

    func validate() throws {
        if directories.isEmpty && queueURL == nil { throw ValidationError("Give at least one directory to follow, or --sqs QUEUE_URL.") }
        if let queueURL, SQSClient.endpoint(ofQueueURL: queueURL) == nil {
            throw ValidationError("--sqs: not a queue URL (https://sqs.REGION.amazonaws.com/ACCOUNT/NAME): \(queueURL)")
        }
        if let metricsListen {
            do {
                _ = try MetricsServer.parseListenAddress(metricsListen)
            } catch {
                throw ValidationError("--metrics-listen: \(error)")
            }
        }
        for (name, text) in [("--poll-interval", pollInterval), ("--settle", settle)] where DurationText.seconds(text) == nil {
            throw ValidationError("\(name): not a duration: \(text) (write e.g. 2s, 500ms, 1m)")
        }
        if healthInterval != "0" && DurationText.seconds(healthInterval) == nil {
            throw ValidationError("--health-interval: not a duration: \(healthInterval)")
        }
    }

    func run() throws {
        // First of all: a SIGTERM that comes while the rules load must stop the tail cleanly (exit 0),
        // not end the process by the signal.
        let signals = TailSignals()
        let filter = try selection.makeFilter()
        guard let configuration = rulesAndSinks.loadConfiguration(printing: CommandInput.printError) else { throw ExitCode(2) }
        // The state directory stays the one of the start; a reload may change rules and sinks.
        let stateDirectory = rulesAndSinks.stateDirectory(configuration)
        guard let setup = makeSetup(stateDirectory: stateDirectory, printingTo: CommandInput.printError) else {
            throw ExitCode(2)
        }
        let lock: StateDirectoryLock
        let database: StateDatabase
        do {
            lock = try StateDirectoryLock(directory: stateDirectory)
            database = try StateDatabase(directory: stateDirectory)
        } catch {
            CommandInput.printError(error.description)
            throw ExitCode(2)
        }
        var options = Tail.Options(directories: directories.map(Self.withoutTrailingSlash))
        options.pathFilter = PathFilter(include: includes, exclude: excludes)
        options.reading = EventReader.Settings(filter: filter, limits: selection.limits)
        options.stateDirectory = stateDirectory
        options.fromNow = fromNow
        options.polls = poll
        options.pollInterval = DurationText.seconds(pollInterval)!
        options.settleTime = DurationText.seconds(settle)!
        options.healthInterval = healthInterval == "0" ? 0 : DurationText.seconds(healthInterval)!
        var server: MetricsServer?
        if let metricsListen {
            let metrics = PipelineMetrics()
            do {
                let started = try MetricsServer(listen: metricsListen, metrics: metrics.metrics, health: metrics.health)
                try started.start()
                server = started
            } catch {
                CommandInput.printError("--metrics-listen: \(error)")
                throw ExitCode(2)
            }
            options.metrics = metrics
        }
        if let queueURL {
            do {
                let access = try aws.makeAccess(queueURL: queueURL, metrics: options.metrics?.metrics)
                var input = QueueInput(queue: access.sqs!, s3: access.s3)
                if let metrics = options.metrics {
                    input.onEvent = { @Sendable event in metrics.queueEvent(event) }
                }
                options.queue = input
            } catch {
                CommandInput.printError("\(error)")
                throw ExitCode(2)
            }
        }
        let tail: Tail
        do {
            tail = try Tail(
                options: options, database: database, setup: setup, signals: signals,
                reload: { makeSetup(stateDirectory: stateDirectory, printingTo: CommandInput.printError) },
                onProblem: { CommandInput.printError($0.description) },
                onNotice: { StandardError.write("vigil tail: \($0)\n") },
                onHealth: { StandardError.write("vigil tail: \($0)\n") })
        } catch {
            CommandInput.printError(error.description)
            throw ExitCode(2)
        }
        let sources = directories + (queueURL.map { ["SQS queue " + $0] } ?? [])
        StandardError.write("vigil tail: following \(sources.joined(separator: ", ")) with \(setup.rules.rules.count) rules"
            + (poll ? ", polling every \(pollInterval)" : "") + "; state in \(stateDirectory)\n")
        let status = tail.run()
        server?.stop()
        withExtendedLifetime(lock) {}
        if status != 0 { throw ExitCode(status) }
    }

    /// Loads the rules and the configuration and plans the sinks; prints every problem and
    /// returns nil when something is wrong (at start: exit 2; on reload: the old set keeps running).
    private func makeSetup(stateDirectory: String, printingTo print: @escaping (String) -> Void) -> TailSetup? {
        guard let configuration = rulesAndSinks.loadConfiguration(printing: print) else { return nil }
        if rulesAndSinks.state == nil && configuration.stateDirectory != stateDirectory {
            print("the configuration's state directory changed; it takes effect at the next start")
        }
        var options = rulesAndSinks
        options.state = stateDirectory
        guard let (rules, plan) = options.loadRulesAndPlanSinks(configuration, printing: print) else { return nil }
        return TailSetup(rules: RuleSet(rules), watchedFiles: rulesAndSinks.rulePaths + (rulesAndSinks.configurationFile.map { [$0] } ?? [])) {
            checkpoints, sentAlerts throws(SinkError) in
            try plan.makeRouter(checkpoints: checkpoints, memory: 100_000, remembering: sentAlerts, recordsSent: true, warn: print)
        }
    }

    private static func withoutTrailingSlash(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}

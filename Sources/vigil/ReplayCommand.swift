import ArgumentParser
import VigilAlerts
import VigilIngest
import VigilPipeline

/// `vigil replay`: match archived logs against the rules, once.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay log files and directories against the rules and send the alerts to the sinks.",
        discussion: """
            Reads CloudTrail, VPC Flow Logs, GuardDuty and EventBridge events (gzipped or plain, \
            recognized by content) from the files and directories given, recursively. Alerts go \
            to the sinks as JSON Lines (stdout, files) or POSTs (webhooks); a summary goes to \
            stderr at the end. Replay waits until every alert is delivered or dead-lettered.

            Exit status: 0 done; 1 done, but some input could not be read (each problem is \
            reported on stderr with file and offset), an alert was dead-lettered, or a sink failed; \
            2 usage, configuration or rule errors.
            """
    )

    @OptionGroup var selection: EventSelectionOptions

    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule file or directory (repeatable).", valueName: "PATH"))
    var rulePaths: [String] = ["Rules"]

    @Option(name: .customLong("config"), help: ArgumentHelp(
        "A configuration file (JSON): state directory, default sinks, named sinks.", valueName: "FILE"))
    var configurationFile: String?

    @Option(name: .customLong("sink"), help: ArgumentHelp(
        "Where alerts of rules without targets go: stdout, file:PATH, webhook:URL or a sink named in the configuration (repeatable; replaces the configuration's defaultSinks; default stdout).",
        valueName: "SPEC"))
    var sinks: [String] = []

    @Option(help: ArgumentHelp("Directory of durable state (default: the configuration's, else .vigil).", valueName: "DIR"))
    var state: String?

    @Flag(help: "Do not print the summary on stderr.")
    var quiet = false

    @Argument(help: ArgumentHelp("Log files and directories.", valueName: "PATH"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Give at least one log file or directory.") }
    }

    func run() throws {
        let filter = try selection.makeFilter()
        let configuration = try Self.loadConfiguration(configurationFile)
        let loaded = RuleLoader.load(paths: rulePaths)

        // Every problem with rules and sink names is found before any sink is made, so that a bad
        // run leaves no file or state database behind.
        let plan: SinkPlan
        switch SinkPlan.make(configuration: configuration, sinkSpecs: sinks, stateDirectory: state, rules: loaded.rules) {
        case .success(let made) where loaded.problems.isEmpty:
            plan = made
        case .success:
            for problem in loaded.problems { CommandInput.printError(problem.description) }
            throw ExitCode(2)
        case .failure(let problems):
            for problem in loaded.problems.map(\.description) + problems.messages { CommandInput.printError(problem) }
            throw ExitCode(2)
        }
        let router: AlertRouter
        do throws(SinkError) {
            router = try plan.makeRouter { CommandInput.printError($0) }
        } catch {
            CommandInput.printError(error.description)
            throw ExitCode(2)
        }
        var options = Replay.Options(paths: paths)
        options.filter = filter
        options.limits = selection.limits
        options.showsProgress = !quiet
        let summary = Replay(rules: RuleSet(loaded.rules), router: router, options: options).run { problem in
            CommandInput.printError(problem.description)
        }
        if let failure = router.failure {
            CommandInput.printError(failure.description)
        }
        if !quiet { StandardError.write("vigil replay: " + summary.render() + "\n") }
        if router.failure != nil || summary.problemCount > 0 || summary.deadLettered > 0 { throw ExitCode(1) }
    }

    /// The configuration file at `path`, or the built-in defaults when there is none; prints
    /// every problem of a bad file and exits 2. (`vigil dlq redrive` reads it the same way.)
    static func loadConfiguration(_ path: String?) throws -> VigilConfiguration {
        guard let path else { return VigilConfiguration() }
        do {
            return try VigilConfiguration(contentsOf: path)
        } catch {
            for problem in error.problems { CommandInput.printError(problem.description) }
            throw ExitCode(2)
        }
    }
}

/// Options shared by commands that read logs: which events, and reader limits.
struct EventSelectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only events at or after this time (ISO-8601, e.g. 2026-11-20 or 2026-11-20T09:00:00Z).", valueName: "TIME"))
    var from: String?

    @Option(help: ArgumentHelp("Only events at or before this time (a date alone means the end of that day).", valueName: "TIME"))
    var to: String?

    @Option(name: .customLong("account"), help: ArgumentHelp("Only events of this AWS account (repeatable).", valueName: "ID"))
    var accounts: [String] = []

    @Option(name: .customLong("region"), help: ArgumentHelp("Only events of this region (repeatable).", valueName: "REGION"))
    var regions: [String] = []

    @Option(help: ArgumentHelp("Largest record accepted, in bytes; larger ones are reported and skipped.", valueName: "BYTES"))
    var maxRecordSize: Int = 1 << 20

    @Option(help: ArgumentHelp("Deepest nesting accepted in a record.", valueName: "LEVELS"))
    var maxDepth: Int = 1000

    var limits: ReaderLimits { ReaderLimits(maximumRecordSize: maxRecordSize, maximumDepth: maxDepth) }

    func validate() throws {
        if maxRecordSize < 1024 { throw ValidationError("--max-record-size must be at least 1024 bytes.") }
        if maxDepth < 1 { throw ValidationError("--max-depth must be at least 1.") }
        if let from, Timestamps.parse(from) == nil { throw ValidationError("--from: not an ISO-8601 time: \(from)") }
        if let to, Timestamps.parse(to) == nil { throw ValidationError("--to: not an ISO-8601 time: \(to)") }
    }

    func makeFilter() throws -> EventFilter {
        let fromTime = from.flatMap(Timestamps.parse)
        var toTime = to.flatMap(Timestamps.parse)
        if let to, to.count == 10, let day = toTime { toTime = day + 86_399 }
        if let fromTime, let toTime, fromTime > toTime { throw ValidationError("--from is after --to.") }
        return EventFilter(from: fromTime, to: toTime, accounts: Set(accounts), regions: Set(regions))
    }
}

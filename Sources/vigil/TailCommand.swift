import ArgumentParser
import Foundation
import VigilAlerts
import VigilIngest
import VigilPipeline

/// `vigil tail`: follow log directories as they fill, until SIGINT or SIGTERM.
struct TailCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Follow log directories as a sync job fills them, and alert within seconds.",
        discussion: """
            Reads what the directories hold (or, with --from-now, only what is added), then \
            follows new files and growing files, recursively, with inotify (or --poll). Progress, \
            dedup and threshold windows and the webhook spool are kept in the state directory and \
            move only after the sinks have taken the alerts, so `kill -9` loses nothing and the \
            file sink holds no alert twice. A file still being written is read as far as its \
            records are complete, and the rest once it has stopped changing for --settle.

            SIGINT or SIGTERM: commit and exit 0. SIGHUP, or a change to a rule or configuration \
            file: reload (an invalid new set is refused and the old one keeps running). A health \
            line goes to stderr every --health-interval; `vigil status` shows the same.

            Exit status: 0 stopped by a signal; 1 the last commit failed; 2 usage, configuration \
            or rule errors, or another tail holds the state directory.
            """
    )

    @OptionGroup var selection: EventSelectionOptions

    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule file or directory (repeatable).", valueName: "PATH"))
    var rulePaths: [String] = ["Rules"]

    @Option(name: .customLong("config"), help: ArgumentHelp(
        "A configuration file (JSON): state directory, default sinks, named sinks.", valueName: "FILE"))
    var configurationFile: String?

    @Option(name: .customLong("sink"), help: ArgumentHelp(
        "Where alerts of rules without targets go: stdout, file:PATH, webhook:URL or a configured sink name (repeatable; default stdout).",
        valueName: "SPEC"))
    var sinks: [String] = []

    @Option(help: ArgumentHelp("Directory of durable state (default: the configuration's, else .vigil).", valueName: "DIR"))
    var state: String?

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

    @Argument(help: ArgumentHelp("Directories to follow.", valueName: "DIR"))
    var directories: [String]

    func validate() throws {
        if directories.isEmpty { throw ValidationError("Give at least one directory to follow.") }
        for (name, text) in [("--poll-interval", pollInterval), ("--settle", settle)] where DurationText.seconds(text) == nil {
            throw ValidationError("\(name): not a duration: \(text) (write e.g. 2s, 500ms, 1m)")
        }
        if healthInterval != "0" && DurationText.seconds(healthInterval) == nil {
            throw ValidationError("--health-interval: not a duration: \(healthInterval)")
        }
    }

    func run() throws {
        let filter = try selection.makeFilter()
        let configuration = try ReplayCommand.loadConfiguration(configurationFile)
        let stateDirectory = state ?? configuration.stateDirectory
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
        options.filter = filter
        options.limits = selection.limits
        options.fromNow = fromNow
        options.polls = poll
        options.pollInterval = DurationText.seconds(pollInterval)!
        options.settleTime = DurationText.seconds(settle)!
        options.healthInterval = healthInterval == "0" ? 0 : DurationText.seconds(healthInterval)!
        let tail: Tail
        do {
            tail = try Tail(
                options: options, database: database, setup: setup,
                reload: { makeSetup(stateDirectory: stateDirectory, printingTo: CommandInput.printError) },
                onProblem: { CommandInput.printError($0.description) },
                onNotice: { StandardError.write("vigil tail: \($0)\n") },
                onHealth: { StandardError.write("vigil tail: \($0)\n") })
        } catch {
            CommandInput.printError(error.description)
            throw ExitCode(2)
        }
        StandardError.write("vigil tail: following \(directories.joined(separator: ", ")) with \(setup.rules.rules.count) rules"
            + (poll ? ", polling every \(pollInterval)" : "") + "; state in \(stateDirectory)\n")
        let status = tail.run()
        withExtendedLifetime(lock) {}
        if status != 0 { throw ExitCode(status) }
    }

    /// Loads the rules and the configuration and plans the sinks; prints every problem and
    /// returns nil when something is wrong (at start: exit 2; on reload: the old set keeps running).
    private func makeSetup(stateDirectory: String, printingTo print: @escaping (String) -> Void) -> TailSetup? {
        let configuration: VigilConfiguration
        if let configurationFile {
            do {
                configuration = try VigilConfiguration(contentsOf: configurationFile)
            } catch {
                for problem in error.problems { print(problem.description) }
                return nil
            }
        } else {
            configuration = VigilConfiguration()
        }
        let loaded = RuleLoader.load(paths: rulePaths)
        let plan: SinkPlan
        switch SinkPlan.make(configuration: configuration, sinkSpecs: sinks, stateDirectory: stateDirectory, rules: loaded.rules) {
        case .success(let made) where loaded.problems.isEmpty:
            plan = made
        case .success:
            for problem in loaded.problems { print(problem.description) }
            return nil
        case .failure(let problems):
            for problem in loaded.problems.map(\.description) + problems.messages { print(problem) }
            return nil
        }
        return TailSetup(rules: RuleSet(loaded.rules), watchedFiles: rulePaths + (configurationFile.map { [$0] } ?? [])) {
            checkpoints, sentAlerts throws(SinkError) in
            try plan.makeRouter(checkpoints: checkpoints, memory: 100_000, remembering: sentAlerts, warn: print)
        }
    }

    private static func withoutTrailingSlash(_ path: String) -> String {
        var path = path
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        return path
    }
}

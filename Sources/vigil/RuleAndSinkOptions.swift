import ArgumentParser
import Foundation
import VigilAlerts
import VigilReport

/// The options that say what a run matches and where its alerts go, shared by replay and tail:
/// rule paths, the configuration file, default sinks and the state directory.
struct RuleAndSinkOptions: ParsableArguments {
    @Option(name: .customLong("rules"), help: ArgumentHelp("A rule file or directory (repeatable).", valueName: "PATH"))
    var rulePaths: [String] = ["Rules"]

    @OptionGroup var templates: TemplateOptions

    @Option(name: .customLong("config"), help: ArgumentHelp(
        "A configuration file (JSON): state directory, default sinks, named sinks.", valueName: "FILE"))
    var configurationFile: String?

    @Option(name: .customLong("sink"), help: ArgumentHelp(
        "Where alerts of rules without targets go: stdout, file:PATH, webhook:URL, sns:TOPIC_ARN, eventbridge:BUS_NAME_OR_ARN, lambda:FUNCTION_ARN, securityhub[:REGION] or a sink named in the configuration (repeatable; replaces the configuration's defaultSinks; default stdout).",
        valueName: "SPEC"))
    var sinks: [String] = []

    @Flag(name: .customLong("import-targets"), help: ArgumentHelp(
        "Send the alerts of rules imported from AWS to their EventBridge targets: an SNS topic, event bus or Lambda function target ARN becomes the matching sink (sns:, eventbridge:, lambda:), instead of the default sinks."))
    var importTargets = false

    @Option(help: ArgumentHelp(
        "How the stdout sink shows alerts: table (for people; the default on a terminal, coloured unless NO_COLOR is set), json (JSON Lines; the default otherwise) or tsv.",
        valueName: "FORMAT"))
    var output: OutputStyle?

    @Option(help: ArgumentHelp("Directory of durable state (default: the configuration's, else .vigil).", valueName: "DIR"))
    var state: String?

    /// The configuration file, or the built-in defaults when none is given; nil, having printed
    /// every problem, when the file is bad.
    func loadConfiguration(printing print: (String) -> Void) -> VigilConfiguration? {
        Self.loadConfiguration(configurationFile, printing: print)
    }

    /// The configuration file at `path` (nil: the built-in defaults); nil, having printed every
    /// problem, when the file is bad. (`vigil dlq` reads it the same way.)
    static func loadConfiguration(_ path: String?, printing print: (String) -> Void) -> VigilConfiguration? {
        guard let path else { return VigilConfiguration() }
        do {
            return try VigilConfiguration(contentsOf: path)
        } catch {
            for problem in error.problems { print(problem.description) }
            return nil
        }
    }

    /// The state directory: `--state`, else the configuration's.
    func stateDirectory(_ configuration: VigilConfiguration) -> String {
        state ?? configuration.stateDirectory
    }

    /// Loads the rules (with `--import-targets`, imported rules' targets made sinks, and a note for
    /// each target no sink sends to) and plans the sinks they and `--sink` name. Every problem with rules and
    /// sink names is found before any sink is made, so a bad run leaves no file or state
    /// database behind; nil, having printed them all, when there is any.
    func loadRulesAndPlanSinks(_ configuration: VigilConfiguration,
                               printing print: (String) -> Void) -> (rules: [Rule], sinks: SinkPlan)? {
        let parameters: TemplateParameters
        do {
            parameters = try templates.templateParameters()
        } catch {
            print("\(error)")
            return nil
        }
        let loaded = RuleLoader.load(paths: rulePaths, parameters: parameters)
        var rules = loaded.rules
        if importTargets {
            let imported = ImportedTargets.apply(to: rules)
            rules = imported.rules
            for notice in imported.notices { print("note: \(notice)") }
        }
        let format = OutputStyle.format(requested: output, environment: ProcessInfo.processInfo.environment)
        switch SinkPlan.make(configuration: configuration, sinkSpecs: sinks, stateDirectory: stateDirectory(configuration),
                             rules: rules, standardOutputFormat: format) {
        case .success(let plan) where loaded.problems.isEmpty:
            return (rules, plan)
        case .success:
            for problem in loaded.problems { print(problem.description) }
        case .failure(let problems):
            for problem in loaded.problems.map(\.description) + problems.messages { print(problem) }
        }
        return nil
    }
}

extension OutputStyle: ExpressibleByArgument {}

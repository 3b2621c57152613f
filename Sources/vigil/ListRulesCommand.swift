import ArgumentParser
import Foundation
import VigilAlerts
import VigilJSON

/// `vigil rules list [--json] PATH…`: every loaded rule with where it came from and its pattern as
/// EventBridge receives it.
struct ListRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List the rules that rule files, templates and Terraform JSON load to.",
        discussion: """
            With --json, one object per line: {"name", "file", "logicalId" (from a template), \
            "state", "eventPattern" (exactly as EventBridge receives it), "importedTargets" (when \
            the template names target ARNs)}. Problems go to stderr. Exit status: 0 listed, \
            2 problems found (the rules that loaded are listed all the same).
            """
    )

    @Argument(help: ArgumentHelp("Rule files and directories.", valueName: "PATH"))
    var paths: [String] = ["Rules"]

    @Flag(help: "JSON Lines instead of a table.")
    var json = false

    @OptionGroup var templates: TemplateOptions

    func run() throws {
        let loaded = RuleLoader.load(paths: paths, parameters: try templates.templateParameters())
        for notice in loaded.notices { CommandInput.printError("note: \(notice)") }
        for problem in loaded.problems { CommandInput.printError(problem.description) }
        if json {
            for rule in loaded.rules { print(RuleListing.jsonLine(rule)) }
        } else {
            print(RuleListing.table(loaded.rules), terminator: "")
        }
        if !loaded.problems.isEmpty { throw ExitCode(2) }
    }
}

/// `vigil rules export --format cloudformation|terraform|json PATH…`.
struct ExportRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the rules as deployable EventBridge rules.",
        discussion: """
            cloudformation: a JSON template of AWS::Events::Rule resources (Vigil loads it back as \
            the same rules); terraform: .tf.json of aws_cloudwatch_event_rule (and \
            aws_cloudwatch_event_target for target ARNs a template gave); json: list-rules output. \
            What EventBridge lacks (dedup, threshold, Vigil sinks) is listed on stderr; a pattern \
            over EventBridge's 2,048 characters is left out. Exit status: 0 written, 1 a rule left \
            out, 2 problems in the rule files (nothing written).
            """
    )

    @Argument(help: ArgumentHelp("Rule files and directories.", valueName: "PATH"))
    var paths: [String] = ["Rules"]

    @Option(help: ArgumentHelp("cloudformation, terraform or json.", valueName: "FORMAT"))
    var format: RuleExport.Format

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "FILE"))
    var output: String?

    @OptionGroup var templates: TemplateOptions

    func run() throws {
        let loaded = RuleLoader.load(paths: paths, parameters: try templates.templateParameters())
        guard loaded.problems.isEmpty else {
            for problem in loaded.problems { CommandInput.printError(problem.description) }
            CommandInput.printError("\(loaded.problems.count) problem(s) in the rule files; nothing exported")
            throw ExitCode(2)
        }
        let exported = RuleExport.export(loaded.rules, format: format)
        for note in exported.notCarried { CommandInput.printError("not carried over: \(note)") }
        for refusal in exported.refused { CommandInput.printError(refusal.description) }
        if let output {
            guard FileManager.default.createFile(atPath: output, contents: Data(exported.text.utf8)) else {
                CommandInput.printError("\(output): cannot be written")
                throw ExitCode(2)
            }
        } else {
            print(exported.text, terminator: "")
        }
        if !exported.refused.isEmpty { throw ExitCode(1) }
    }
}

extension RuleExport.Format: ExpressibleByArgument {}

import ArgumentParser
import Foundation
import VigilAlerts

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

    @OptionGroup var ruleFiles: RuleFileArguments

    @Option(help: ArgumentHelp("cloudformation, terraform or json.", valueName: "FORMAT"))
    var format: RuleExport.Format

    @Option(name: .shortAndLong, help: ArgumentHelp("Write to this file instead of stdout.", valueName: "FILE"))
    var output: String?

    func run() throws {
        let rules = try ruleFiles.loadAll(else: "nothing exported")
        let exported = RuleExport.export(rules, format: format)
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

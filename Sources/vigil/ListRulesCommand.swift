import ArgumentParser
import VigilAlerts

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

    @OptionGroup var ruleFiles: RuleFileArguments

    @Flag(help: "JSON Lines instead of a table.")
    var json = false

    func run() throws {
        let loaded = try ruleFiles.load()
        for problem in loaded.problems { CommandInput.printError(problem.description) }
        if json {
            for rule in loaded.rules { print(RuleListing.jsonLine(rule)) }
        } else {
            print(RuleListing.table(loaded.rules), terminator: "")
        }
        if !loaded.problems.isEmpty { throw ExitCode(2) }
    }
}

import ArgumentParser
import VigilAlerts

/// The rule files a `vigil rules` subcommand reads (default `Rules`), with the template values
/// they may need, and the one way those subcommands load them and report what is wrong.
struct RuleFileArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("Rule files and directories.", valueName: "PATH"))
    var paths: [String] = ["Rules"]

    @OptionGroup var templates: TemplateOptions

    /// Every rule that loads, with the problems of those that do not; notices (a skipped
    /// scheduled rule, a target known only once deployed) are printed on stderr.
    func load() throws -> RuleLoader.Result {
        let loaded = RuleLoader.load(paths: paths, parameters: try templates.templateParameters())
        for notice in loaded.notices { CommandInput.printError("note: \(notice)") }
        return loaded
    }

    /// The rules, when all of them load; otherwise each problem and then "N problem(s) in the
    /// rule files; `consequence`" on stderr, and exit 2.
    func loadAll(else consequence: String) throws -> [Rule] {
        let loaded = try load()
        guard loaded.problems.isEmpty else {
            for problem in loaded.problems { CommandInput.printError(problem.description) }
            CommandInput.printError("\(loaded.problems.count) problem(s) in the rule files; \(consequence)")
            throw ExitCode(2)
        }
        return loaded.rules
    }
}

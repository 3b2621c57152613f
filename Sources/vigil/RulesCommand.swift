import ArgumentParser
import VigilAlerts

/// `vigil rules`: check rule files before they run.
struct RulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rules",
        abstract: "Validate rule files, run their inline tests, list them, export them to EventBridge, and import Sigma rules.",
        subcommands: [ValidateRulesCommand.self, TestRulesCommand.self, ListRulesCommand.self, ExportRulesCommand.self, ImportSigmaCommand.self]
    )
}

/// `vigil rules validate PATH…`: every problem of every rule file, at once.
struct ValidateRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate",
        abstract: "Check rule files and report every problem with file, line and rule name.",
        discussion: """
            Reads Vigil rule files, `aws events describe-rule` / `list-rules` output, \
            CloudFormation and SAM templates (JSON or YAML) and Terraform's JSON \
            (`terraform show -json`, of a state or a plan). Checks JSON syntax, the event patterns (with \
            EventBridge's messages), names, duplicate names, unknown keys, windows, input \
            transformers, test shapes, and that the paths of input transformers, dedup keys and \
            threshold groups find something in the rule's matching test events. \
            Exit status: 0 valid, 2 problems found.
            """
    )

    @OptionGroup var ruleFiles: RuleFileArguments

    @Flag(help: "Print only problems.")
    var quiet = false

    func run() throws {
        let loaded = try ruleFiles.load()
        for problem in loaded.problems { CommandInput.printError(problem.description) }
        for rule in loaded.rules {
            for target in rule.targets ?? [] where !RuleTargets.isWellFormed(target) {
                CommandInput.printError(RuleProblem(file: rule.file, rule: rule.name, line: rule.line,
                                                    reason: "Unknown sink \(target) in targets").description)
            }
        }
        let targetProblems = loaded.rules.flatMap { rule in (rule.targets ?? []).filter { !RuleTargets.isWellFormed($0) } }
        let count = loaded.problems.count + targetProblems.count
        if !quiet {
            let summary = "\(loaded.rules.count) rule\(loaded.rules.count == 1 ? "" : "s") in \(loaded.files) file\(loaded.files == 1 ? "" : "s")"
            print(count == 0 ? "\(summary): valid" : "\(summary); \(count) problem\(count == 1 ? "" : "s")")
        }
        if count > 0 { throw ExitCode(2) }
    }
}

/// `vigil rules test PATH…`: the rules' inline tests, reported like a test runner.
struct TestRulesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run the inline tests of rule files.",
        discussion: """
            Each test is {"name": …, "event": <EventBridge event> or "eventFile": PATH, \
            "expect": "match" | "no-match"}. A test that expected a match explains the first \
            field that failed. Exit status: 0 all passed, 1 a test failed, 2 invalid rule files.
            """
    )

    @OptionGroup var ruleFiles: RuleFileArguments

    @Option(help: ArgumentHelp("Only rules whose name contains this text.", valueName: "TEXT"))
    var filter: String?

    @Flag(name: .shortAndLong, help: "List every test, not only failures.")
    var verbose = false

    func run() throws {
        let loadedRules = try ruleFiles.loadAll(else: "`vigil rules validate` lists them")
        var tests = 0
        var failures = 0
        var untested: [String] = []
        let rules = loadedRules.filter { filter == nil || $0.name.contains(filter!) }
        for rule in rules {
            let outcomes = RuleTestRunner.run(rule)
            if outcomes.isEmpty { untested.append(rule.name) }
            let failed = outcomes.filter { !$0.passed }
            tests += outcomes.count
            failures += failed.count
            if failed.isEmpty {
                print("ok    \(rule.name) (\(outcomes.count) test\(outcomes.count == 1 ? "" : "s"))")
            } else {
                print("FAIL  \(rule.name): \(failed.count) of \(outcomes.count) failed")
            }
            for outcome in outcomes where verbose || !outcome.passed {
                print("      " + Self.describe(outcome))
            }
        }
        for name in untested { print("note: \(name) has no tests") }
        print("\(tests) test\(tests == 1 ? "" : "s") in \(rules.count) rule\(rules.count == 1 ? "" : "s"): "
            + "\(tests - failures) passed, \(failures) failed")
        if failures > 0 { throw ExitCode(1) }
    }

    static func describe(_ outcome: RuleTestRunner.Outcome) -> String {
        let test = outcome.test
        switch outcome.verdict {
        case .passed:
            return "ok    \(test.name): \(test.expectation.rawValue)"
        case .invalid(let reason):
            return "FAIL  \(test.name) (\(test.location)): \(reason)"
        case .failed(let got, let explanation):
            var text = "FAIL  \(test.name) (\(test.location)): expected \(test.expectation.rawValue), got \(got.rawValue)"
            for line in explanation?.lines ?? [] { text += "\n            " + line }
            return text
        }
    }
}

/// Which `targets` entries name a sink Vigil can build.
enum RuleTargets {
    static func isWellFormed(_ target: String) -> Bool {
        target == "stdout" || target.hasPrefix("file:") && target.count > 5
            || target.hasPrefix("webhook:") && target.count > 8 || (try? AWSSinkSettings(specification: target)) != nil
    }
}

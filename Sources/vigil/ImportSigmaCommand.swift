import ArgumentParser
import Foundation
import VigilSigma

/// `vigil rules import-sigma PATH… [-o DIR]`: SigmaHQ's AWS CloudTrail rules as Vigil rule files.
struct ImportSigmaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-sigma",
        abstract: "Convert Sigma rules for AWS CloudTrail into Vigil rule files with generated tests.",
        discussion: """
            Reads Sigma rules (logsource product: aws, service: cloudtrail) from files and \
            directories (*.yml, *.yaml). Each rule whose detection an EventBridge pattern states \
            exactly becomes a Vigil rule (name sigma-FILE-STEM) with tests generated from its \
            detection; any other is refused with the construct that stands in the way, and the \
            rest go on. With -o, one file per rule is written there; without, the rules are \
            printed as one JSON array (itself a rule file). Exit status: 0 all converted, 1 some \
            refused or unreadable, 2 usage.
            """
    )

    @Argument(help: ArgumentHelp("Sigma rule files and directories.", valueName: "PATH"))
    var paths: [String]

    @Option(name: .shortAndLong, help: ArgumentHelp("Write one rule file per converted rule into this directory.", valueName: "DIR"))
    var output: String?

    func run() throws {
        let outcome = SigmaImport.run(paths: paths)
        for problem in outcome.problems { CommandInput.printError(problem.description) }
        for rule in outcome.rules {
            for note in rule.notes { CommandInput.printError("note: \(rule.file): \(rule.name): \(note)") }
        }
        if let output {
            do {
                try FileManager.default.createDirectory(atPath: output, withIntermediateDirectories: true)
                for rule in outcome.rules {
                    let path = (output as NSString).appendingPathComponent(rule.name + ".json")
                    try Data(rule.text.utf8).write(to: URL(fileURLWithPath: path))
                }
            } catch {
                CommandInput.printError("cannot write to \(output): \(error.localizedDescription)")
                throw ExitCode(1)
            }
        } else {
            let body = outcome.rules.map { $0.text.trimmingCharacters(in: .newlines) }.joined(separator: ",\n")
            print(outcome.rules.isEmpty ? "[]" : "[\n" + body + "\n]")
        }
        let refused = outcome.problems.filter { $0.kind == .refused }.count
        let damaged = outcome.problems.count - refused
        let tests = outcome.rules.reduce(0) { $0 + $1.matchingTests + $1.nonMatchingTests }
        CommandInput.printError("\(outcome.rules.count) of \(outcome.files) Sigma rule\(outcome.files == 1 ? "" : "s") converted "
            + "(\(tests) generated tests)\(output.map { " into \($0)" } ?? ""); \(refused) not convertible, \(damaged) unreadable")
        if !outcome.problems.isEmpty { throw ExitCode(1) }
    }
}

import ArgumentParser
import VigilIngest
import VigilPipeline

/// `vigil normalize`: print every record as the EventBridge event Vigil matches.
struct NormalizeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "normalize",
        abstract: "Print the normalized EventBridge events of log files as JSON Lines.",
        discussion: """
            Reads the files and directories given, recursively, like replay, and prints one \
            EventBridge event per line, ready for jq or other tools. Problems go to stderr. \
            Exit status: 0 done; 1 some input could not be read; 2 usage errors.
            """
    )

    @OptionGroup var selection: EventSelectionOptions

    @Argument(help: ArgumentHelp("Log files and directories.", valueName: "PATH"))
    var paths: [String]

    func validate() throws {
        if paths.isEmpty { throw ValidationError("Give at least one log file or directory.") }
    }

    func run() throws {
        let settings = try selection.readerSettings()
        var output = StandardOutputBuffer()
        let summary = Normalization(paths: paths, settings: settings).run(
            onEvent: { output.write($0) },
            onProblem: { CommandInput.printError($0.description) })
        output.flush()
        if summary.problemCount > 0 { throw ExitCode(1) }
    }
}

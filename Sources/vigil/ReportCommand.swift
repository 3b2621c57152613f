import ArgumentParser
import Foundation
import VigilReport

/// `vigil report`: an investigation report from alert files already written.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write an HTML or Markdown report of alert files (JSON Lines, as the stdout and file sinks write them).",
        discussion: """
            The HTML report is one self-contained file (inline CSS and SVG, nothing fetched): a \
            timeline of the alerts by severity, the alerts grouped by rule, the entities involved \
            (principals, addresses, resources, accounts) with first and last seen, and every alert \
            with its id as its anchor (FILE.html#ID), expandable to its event and provenance. Event \
            volume and the run's summary are known only to a replay: `vigil replay … --report FILE` \
            includes them. A name ending in .md writes Markdown, for tickets.

            Exit status: 0 written; 1 written, but some lines were not alerts (each reported on \
            stderr with file and line); 2 nothing written (usage, an unreadable file, no place to write).
            """
    )

    @Option(name: .shortAndLong, help: ArgumentHelp("The report to write: FILE.html, or FILE.md for Markdown.", valueName: "FILE"))
    var output: String

    @Argument(help: ArgumentHelp("Alert files (JSON Lines); - for standard input.", valueName: "ALERTS.jsonl"))
    var files: [String]

    func validate() throws {
        if files.isEmpty { throw ValidationError("Give at least one alert file.") }
    }

    func run() throws {
        var builder = ReportBuilder()
        var problems = 0
        for file in files {
            do {
                let handle = file == "-" ? FileHandle.standardInput : try FileHandle(forReadingFrom: URL(fileURLWithPath: file))
                try AlertLines.forEach(in: handle) { lineNumber, line in
                    if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { return }
                    do {
                        builder.add(try AlertDocument(line: Array(line)))
                    } catch {
                        problems += 1
                        let reason = (error as? AlertDocument.Problem)?.reason ?? "\(error)"
                        if problems <= 100 { CommandInput.printError("\(file): line \(lineNumber): \(reason); skipped") }
                    }
                }
            } catch {
                CommandInput.printError("\(file): cannot read: \(error.localizedDescription)")
                throw ExitCode(2)
            }
        }
        if problems > 100 { CommandInput.printError("\(problems - 100) more lines that are not alerts, not listed one by one") }
        do {
            try ReportFile.write(builder, facts: nil, inputs: files, to: output)
        } catch {
            CommandInput.printError("\(output): cannot write the report: \(error.localizedDescription)")
            throw ExitCode(2)
        }
        if problems > 0 { throw ExitCode(1) }
    }
}

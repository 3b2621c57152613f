import ArgumentParser
import Foundation
import VigilAlerts
import VigilPipeline

/// `vigil status`: what the tail on a state directory is doing, read from its database.
struct StatusCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show what the tail using a state directory is doing (or last did).",
        discussion: "Exit status: 0 a tail is running; 1 none is running; 2 no state to read."
    )

    @Option(help: ArgumentHelp("Directory of durable state.", valueName: "DIR"))
    var state = VigilConfiguration.defaultStateDirectory

    @Flag(help: "Print the saved status as JSON.")
    var json = false

    func run() throws {
        let report: TailStatusReport
        do {
            report = try TailStatusReport.read(stateDirectory: state)
        } catch {
            CommandInput.printError(error.description)
            throw ExitCode(2)
        }
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            var status = report.status ?? TailStatus()
            status.spoolDepth = report.spoolBySink.values.reduce(0, +)
            let data = (try? encoder.encode(status)) ?? Data("{}".utf8)
            print(String(decoding: data, as: UTF8.self))
        } else {
            print(report.render())
        }
        if report.runningProcess == nil { throw ExitCode(1) }
    }
}

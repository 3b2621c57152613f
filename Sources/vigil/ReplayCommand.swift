import ArgumentParser
import Foundation
import VigilAWS
import VigilAlerts
import VigilIngest
import VigilPipeline
import VigilReport

/// `vigil replay`: match archived logs against the rules, once.
struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay log files and directories against the rules and send the alerts to the sinks.",
        discussion: """
            Reads CloudTrail, VPC Flow Logs, GuardDuty and EventBridge events (gzipped or plain, \
            recognized by content) from the files and directories given, recursively. Alerts go \
            to the sinks as JSON Lines (stdout, files), POSTs (webhooks) or AWS calls (SNS, EventBridge, \
            Lambda, Security Hub); a summary goes to \
            stderr at the end. Replay waits until every alert is delivered or dead-lettered.

            An s3://BUCKET/PREFIX argument reads the bucket straight from S3 (a backfill): in the \
            AWSLogs/ACCOUNT/SERVICE/REGION/YYYY/MM/DD/ layout, only the days of --from/--to, the \
            accounts of --account and the regions of --region are listed, never the whole \
            bucket, and objects are downloaded several at a time.

            Exit status: 0 done; 1 done, but some input could not be read (each problem is \
            reported on stderr with file and offset), an alert was dead-lettered, or a sink failed; \
            2 usage, configuration or rule errors.
            """
    )

    @OptionGroup var selection: EventSelectionOptions

    @OptionGroup var rulesAndSinks: RuleAndSinkOptions

    @Option(help: ArgumentHelp(
        "Also write an investigation report of the run: FILE.html (one self-contained page: timeline over each source's event volume, alerts by rule, entities, every alert with its event) or FILE.md (Markdown, for tickets).",
        valueName: "FILE"))
    var report: String?

    @Flag(help: "Do not print the summary on stderr.")
    var quiet = false

    @OptionGroup var inputs: LogInputOptions

    @Argument(help: ArgumentHelp("Log files and directories, and s3://BUCKET/PREFIX locations.", valueName: "PATH"))
    var paths: [String]

    func validate() throws {
        try LogInputOptions.validate(paths: paths)
    }

    func run() throws {
        let filter = try selection.makeFilter()
        guard let configuration = rulesAndSinks.loadConfiguration(printing: CommandInput.printError),
              let (rules, plan) = rulesAndSinks.loadRulesAndPlanSinks(configuration, printing: CommandInput.printError) else {
            throw ExitCode(2)
        }
        let router: AlertRouter
        let collector = report.map { _ in ReportCollector() }
        do throws(SinkError) {
            router = try plan.makeRouter(report: collector) { CommandInput.printError($0) }
        } catch {
            CommandInput.printError(error.description)
            throw ExitCode(2)
        }
        var options = try inputs.readOptions(paths: paths, settings: EventReader.Settings(filter: filter, limits: selection.limits),
                                             command: "replay", quiet: quiet)
        options.stateDirectory = rulesAndSinks.stateDirectory(configuration)
        let summary = Replay(rules: RuleSet(rules), router: router, options: options).run { problem in
            CommandInput.printError(problem.description)
        }
        if let failure = router.failure {
            CommandInput.printError(failure.description)
        }
        let rendered = summary.render()
        if !quiet { StandardError.write("vigil replay: " + rendered + "\n") }
        if let report, let collector {
            let facts = ReportRunFacts(volumeByMinute: summary.volume.byMinute, summaryLines: rendered.split(separator: "\n").map(String.init),
                                       files: summary.filesRead, records: summary.records, events: summary.events,
                                       problems: summary.problemCount)
            do {
                try ReportFile.write(collector.builder, facts: facts, inputs: paths, to: report)
            } catch {
                CommandInput.printError("\(report): cannot write the report: \(error.localizedDescription)")
                throw ExitCode(1)
            }
        }
        if router.failure != nil || summary.problemCount > 0 || summary.deadLettered > 0 { throw ExitCode(1) }
    }
}

/// Options shared by commands that read logs: which events, and reader limits.
struct EventSelectionOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Only events at or after this time (ISO-8601, e.g. 2026-11-20 or 2026-11-20T09:00:00Z).", valueName: "TIME"))
    var from: String?

    @Option(help: ArgumentHelp("Only events at or before this time (a date alone means the end of that day).", valueName: "TIME"))
    var to: String?

    @Option(name: .customLong("account"), help: ArgumentHelp("Only events of this AWS account (repeatable).", valueName: "ID"))
    var accounts: [String] = []

    @Option(name: .customLong("region"), help: ArgumentHelp("Only events of this region (repeatable).", valueName: "REGION"))
    var regions: [String] = []

    @Option(help: ArgumentHelp("Largest record accepted, in bytes; larger ones are reported and skipped.", valueName: "BYTES"))
    var maxRecordSize: Int = 1 << 20

    @Option(help: ArgumentHelp("Deepest nesting accepted in a record.", valueName: "LEVELS"))
    var maxDepth: Int = 1000

    var limits: ReaderLimits { ReaderLimits(maximumRecordSize: maxRecordSize, maximumDepth: maxDepth) }

    func validate() throws {
        if maxRecordSize < 1024 { throw ValidationError("--max-record-size must be at least 1024 bytes.") }
        if maxDepth < 1 { throw ValidationError("--max-depth must be at least 1.") }
        if let from, Timestamps.parse(from) == nil { throw ValidationError("--from: not an ISO-8601 time: \(from)") }
        if let to, Timestamps.parse(to) == nil { throw ValidationError("--to: not an ISO-8601 time: \(to)") }
    }

    /// The filter and limits, as every command that reads logs reads them.
    func readerSettings() throws -> EventReader.Settings {
        EventReader.Settings(filter: try makeFilter(), limits: limits)
    }

    func makeFilter() throws -> EventFilter {
        let fromTime = from.flatMap(Timestamps.parse)
        var toTime = to.flatMap(Timestamps.parse)
        if let to, to.count == 10, let day = toTime { toTime = day + 86_399 }
        if let fromTime, let toTime, fromTime > toTime { throw ValidationError("--from is after --to.") }
        return EventFilter(from: fromTime, to: toTime, accounts: Set(accounts), regions: Set(regions))
    }
}

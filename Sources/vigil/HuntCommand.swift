import ArgumentParser
import Foundation
import VigilAlerts
import VigilIngest
import VigilPipeline
import VigilReport

/// `vigil hunt`: every event of an archive that matches a pattern or pivots, for an investigation.
struct HuntCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hunt",
        abstract: "Print the events of log files, directories and S3 locations that match an EventBridge pattern or pivots.",
        discussion: """
            PATTERN is an EventBridge event pattern, as JSON text or @FILE; an argument starting \
            with { or @ is the pattern, the others are paths (read as replay reads them: files, \
            directories, s3://BUCKET/PREFIX). It may be left out when a pivot is given.

            Pivots look for one value in every field of every source that holds that kind of \
            value: --ip (an address or a CIDR block: CloudTrail's sourceIPAddress, flow \
            addresses, GuardDuty's remote and local addresses of every action kind and the \
            instance's interfaces, Security Hub's Network and Action addresses, Config items' \
            addresses, audit logs' remoteHost), --principal (an ARN, user name, access key id or \
            role session name) and --resource (a DB instance, cluster or snapshot, a security \
            group, a bucket, an instance, a secret: by name or ARN, either spelling matching the \
            other). Each pivot becomes one pattern (--explain prints them); several values of \
            one pivot are OR; the pivots and PATTERN combine with AND.

            Output: on a terminal, a table of the matching events (time, who, from where, what, \
            resource), in file order; elsewhere (a pipe, a file), and with --output json, each \
            matching event as one JSON object per line, in file order, \
            {"time":…,"source":{"file":…,"record":N},"event":{…}} (an alert without id, rule and \
            severity); a record AWS delivered twice is printed once. --fields prints chosen \
            values as tab-separated columns instead (a string unescaped, with tab, newline, \
            carriage return and backslash written \\t \\n \\r \\\\; an object or array as compact \
            JSON; a missing value as an empty column); --output tsv the table's columns as \
            tab-separated values, each row ending with the event's FILE#RECORD; --count prints \
            how many events of each source and detail-type. A summary goes to stderr (--quiet: none).

            Exit status, as grep's: 0 some event matched; 1 none matched; 2 an error: an invalid \
            pattern, pivot or path, or input that could not be read. Input problems are printed \
            on stderr as replay prints them and the hunt goes on, so 2 may come with matches on \
            stdout: a hunt that could not read all its input says so by its status even when it \
            found something. (Usage errors the argument parser finds exit with its own status, 64.)
            """
    )

    @OptionGroup var selection: EventSelectionOptions

    @Option(help: ArgumentHelp("Events that carry this IP address or an address in this CIDR block (repeatable: any of them).",
                               valueName: "ADDR|CIDR"))
    var ip: [String] = []

    @Option(help: ArgumentHelp("Events of this principal: an ARN, user name, access key id or role session name (repeatable).",
                               valueName: "PRINCIPAL"))
    var principal: [String] = []

    @Option(help: ArgumentHelp("Events that name this resource: an id, name or ARN (repeatable).", valueName: "RESOURCE"))
    var resource: [String] = []

    @Flag(help: "Print the patterns the pattern and pivots come to, one per line, and exit.")
    var explain = false

    @Flag(help: "Print how many matching events of each source and detail-type, not the events.")
    var count = false

    @Option(help: ArgumentHelp("Print these paths of each matching event as tab-separated columns (e.g. time,detail.eventName).",
                               valueName: "PATH,…"))
    var fields: String?

    @Option(help: ArgumentHelp("Stop after this many matching events; the input after the last is not read.", valueName: "N"))
    var limit: Int?

    @Option(help: ArgumentHelp(
        "How matching events are shown: table (for people; the default on a terminal, coloured unless NO_COLOR is set), json (JSON Lines; the default otherwise) or tsv.",
        valueName: "FORMAT"))
    var output: OutputStyle?

    @Flag(help: "Do not print the summary on stderr.")
    var quiet = false

    @OptionGroup var inputs: LogInputOptions

    @Argument(help: ArgumentHelp("[PATTERN] followed by log files and directories, and s3://BUCKET/PREFIX locations.",
                                 valueName: "PATTERN|PATH"))
    var arguments: [String] = []

    /// The PATTERN argument, when the first argument is one.
    private var patternArgument: String? {
        guard let first = arguments.first, first.hasPrefix("{") || first.hasPrefix("@") else { return nil }
        return first
    }

    private var paths: [String] { patternArgument == nil ? arguments : Array(arguments.dropFirst()) }

    func validate() throws {
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1.") }
        if count && fields != nil { throw ValidationError("--count and --fields cannot be used together.") }
        if output != nil && (count || fields != nil) {
            throw ValidationError("--output chooses how events are shown; --count and --fields print something else.")
        }
        if !explain { try LogInputOptions.validate(paths: paths) }
    }

    func run() throws {
        let query = try makeQuery()
        if explain {
            print(query.explanation, terminator: "")
            return
        }
        var format = try makeFormat()
        let settings = try selection.readerSettings()
        let options = try inputs.readOptions(paths: paths, settings: settings, command: "hunt", quiet: quiet)
        var output = StandardOutputBuffer()
        var line: [UInt8] = []
        let hunt = Hunt(query: query, options: options, limit: limit)
        var outcome = hunt.run(onMatch: { match in
            line.removeAll(keepingCapacity: true)
            format.append(match, to: &line)
            output.write(line)
        }, onProblem: { CommandInput.printError($0.description) })
        line.removeAll(keepingCapacity: true)
        format.finish(to: &line)
        output.write(line)
        output.flush()
        if !quiet {
            outcome.summary.matchingEvents = outcome.matches
            var text = "vigil hunt: " + outcome.summary.render() + "\n"
            if outcome.repeats > 0 { text += "  repeated deliveries of an event printed once: \(outcome.repeats)\n" }
            if outcome.reachedLimit { text += "  stopped at --limit \(limit!): the input after the last match was not read\n" }
            StandardError.write(text)
        }
        if outcome.summary.problemCount > 0 { throw ExitCode(2) }
        if outcome.matches == 0 { throw ExitCode(1) }
    }

    private func makeQuery() throws -> HuntQuery {
        var pivots: [Pivot] = []
        do throws(Pivot.ValueError) {
            if !ip.isEmpty { pivots.append(try Pivot(.ip, values: ip)) }
            if !principal.isEmpty { pivots.append(try Pivot(.principal, values: principal)) }
            if !resource.isEmpty { pivots.append(try Pivot(.resource, values: resource)) }
        } catch {
            CommandInput.printError(error.description)
            throw ExitCode(2)
        }
        let pattern = try patternArgument.map(CommandInput.text)
        do throws(HuntQuery.Invalid) {
            return try HuntQuery(pattern: pattern, pivots: pivots)
        } catch {
            CommandInput.printError(error.description)
            throw ExitCode(2)
        }
    }

    private func makeFormat() throws -> any HuntFormat {
        if count { return HuntCounts() }
        guard let fields else {
            let table = OutputStyle.table(requested: output, environment: ProcessInfo.processInfo.environment, withRule: false)
            return table.map { HuntTableRows(table: $0) } ?? HuntEventLines()
        }
        var paths: [EventPath] = []
        for text in fields.split(separator: ",", omittingEmptySubsequences: false) {
            do throws(EventPath.SyntaxError) {
                paths.append(try EventPath(String(text)))
            } catch {
                CommandInput.printError("--fields: \(error.description)")
                throw ExitCode(2)
            }
        }
        return HuntFieldColumns(paths: paths)
    }
}

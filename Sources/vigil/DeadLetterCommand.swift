import ArgumentParser
import Foundation
import VigilAlerts
import VigilPipeline

/// `vigil dlq`: the alerts webhooks would not take, in `<state>/dead-letters.jsonl`.
struct DeadLetterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List dead-lettered webhook alerts, or send them again.",
        subcommands: [List.self, Redrive.self]
    )

    /// `vigil dlq list`: one line per dead letter.
    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the dead letters: when, sink, rule, alert id, error and retries.",
            discussion: "Exit status: 0 listed; 1 some lines of the file could not be read (each reported on stderr)."
        )

        @Option(help: ArgumentHelp("Directory of durable state.", valueName: "DIR"))
        var state: String = ".vigil"

        func run() throws {
            let lines: [DeadLetterFile.Line]
            do {
                lines = try DeadLetterFile(stateDirectory: state).readLines()
            } catch {
                CommandInput.printError(error.description)
                throw ExitCode(2)
            }
            var output = FileHandleOutput.standardOutput
            var unreadable = 0
            for line in lines {
                switch line.letter {
                case .success(let letter):
                    output.write(Self.summary(of: letter) + "\n")
                case .failure(let problem):
                    unreadable += 1
                    CommandInput.printError(problem.description)
                }
            }
            output.flush()
            if unreadable > 0 { throw ExitCode(1) }
        }

        static func summary(of letter: DeadLetter) -> String {
            let retries = letter.retryAttempts == 1 ? "1 retry" : "\(letter.retryAttempts) retries"
            let exhausted = letter.exhaustedRetryCondition.map { ", \($0.rawValue)" } ?? ""
            return "\(letter.failedAt.formatted(.iso8601))  \(letter.sink)  \(letter.rule)  \(letter.alertID)  "
                + "\(letter.errorCode) after \(retries)\(exhausted): \(letter.errorMessage)"
        }
    }

    /// `vigil dlq redrive`: back into the spool, then delivered by a webhook sink of the same name.
    struct Redrive: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send dead letters again to their webhook, and wait until each is delivered or dead-lettered again.",
            discussion: """
                Each dead letter goes to the sink that failed it. A sink's URL comes from --url NAME=URL, \
                else from its name when that is webhook:URL, else from --webhook-url. Entries delivered \
                since they were dead-lettered are dropped without being sent again.

                Exit status: 0 all delivered; 1 some were dead-lettered again; 2 usage errors.
                """
        )

        @Option(help: ArgumentHelp("Directory of durable state.", valueName: "DIR"))
        var state: String = ".vigil"

        @Option(name: .customLong("sink"), help: ArgumentHelp("Redrive only this sink's dead letters (repeatable).", valueName: "NAME"))
        var sinks: [String] = []

        @Option(name: .customLong("url"), help: ArgumentHelp("The webhook URL of a sink (repeatable).", valueName: "NAME=URL"))
        var urls: [String] = []

        @Option(name: .customLong("secret-env"),
                help: ArgumentHelp("The environment variable holding a sink's signing secret (repeatable).", valueName: "NAME=VAR"))
        var secretVariables: [String] = []

        @Option(name: .customLong("webhook-url"), help: ArgumentHelp("The URL for sinks given no --url.", valueName: "URL"))
        var webhookURL: String?

        @Option(name: .customLong("max-event-age"),
                help: ArgumentHelp("Seconds to keep retrying before dead-lettering again.", valueName: "SECONDS"))
        var maximumEventAge: Double = 24 * 60 * 60

        @Flag(help: "Do not print the summary on stderr.")
        var quiet = false

        func run() throws {
            let urlBySink = try Self.pairs(urls, option: "--url")
            let secretBySink = try Self.pairs(secretVariables, option: "--secret-env")
            let lines: [DeadLetterFile.Line]
            do {
                lines = try DeadLetterFile(stateDirectory: state).readLines()
            } catch {
                CommandInput.printError(error.description)
                throw ExitCode(2)
            }
            var names = Set(lines.compactMap { try? $0.letter.get().sink })
            if !sinks.isEmpty { names.formIntersection(sinks) }
            guard !names.isEmpty else {
                if !quiet { StandardError.write("vigil dlq redrive: no dead letters to redrive\n") }
                return
            }
            var configurations: [(name: String, configuration: WebhookConfiguration)] = []
            for name in names.sorted() {
                let url = urlBySink[name] ?? (name.hasPrefix("webhook:") ? String(name.dropFirst(8)) : nil) ?? webhookURL
                guard let url else {
                    CommandInput.printError("No URL for sink \(name); give --url \(name)=URL.")
                    throw ExitCode(2)
                }
                do {
                    configurations.append((name, try WebhookConfiguration(
                        url: url, secretEnvironmentVariable: secretBySink[name], maximumEventAge: maximumEventAge)))
                } catch {
                    CommandInput.printError("sink \(name): \(error.description)")
                    throw ExitCode(2)
                }
            }

            let database: StateDatabase
            do {
                database = try StateDatabase(directory: state)
            } catch {
                CommandInput.printError(error.description)
                throw ExitCode(2)
            }
            var deadLetteredAgain = 0
            for (name, configuration) in configurations {
                do throws(SinkError) {
                    let sink = try WebhookSink(name: name, configuration: configuration, state: database)
                    let redrive = try sink.redriveDeadLetters()
                    try sink.finish()
                    let statistics = sink.statistics
                    deadLetteredAgain += statistics.deadLettered
                    if !quiet {
                        StandardError.write("vigil dlq redrive: \(name): \(redrive.respooled) re-sent, "
                            + "\(redrive.alreadyTaken) already delivered or pending, \(statistics.delivered) delivered, "
                            + "\(statistics.retried) retried, \(statistics.deadLettered) dead-lettered again\n")
                    }
                } catch {
                    CommandInput.printError(error.description)
                    throw ExitCode(1)
                }
            }
            if deadLetteredAgain > 0 { throw ExitCode(1) }
        }

        /// `NAME=VALUE` options as a dictionary, split at the first `=`. (A `webhook:URL` sink
        /// whose URL holds `=` needs no --url: its URL is its name.)
        static func pairs(_ options: [String], option: String) throws -> [String: String] {
            var result: [String: String] = [:]
            for text in options {
                guard let separator = text.firstIndex(of: "="), separator != text.startIndex else {
                    CommandInput.printError("\(option) takes NAME=VALUE, not \(text).")
                    throw ExitCode(2)
                }
                result[String(text[..<separator])] = String(text[text.index(after: separator)...])
            }
            return result
        }
    }
}

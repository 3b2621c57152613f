import ArgumentParser
import Foundation
import VigilAlerts
import VigilPipeline

/// `vigil dlq`: the alerts webhooks and AWS sinks would not take, in `<state>/dead-letters.jsonl`.
struct DeadLetterCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dlq",
        abstract: "List dead-lettered alerts (webhooks, AWS sinks), or send them again.",
        subcommands: [List.self, Redrive.self]
    )

    /// `vigil dlq list`: one line per dead letter.
    struct List: ParsableCommand {
        // Named here rather than derived from the type's name: deriving it reflects on the type,
        // 5 M instructions at the start of every vigil command, whose parser checks every name.
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "List the dead letters: when, sink, rule, alert id, error and retries.",
            discussion: "Exit status: 0 listed; 1 some lines of the file could not be read (each reported on stderr)."
        )

        @Option(name: .customLong("config"), help: ArgumentHelp("The configuration file, for its state directory.", valueName: "FILE"))
        var configurationFile: String?

        @Option(help: ArgumentHelp("Directory of durable state (default: the configuration's, else .vigil).", valueName: "DIR"))
        var state: String?

        func run() throws {
            guard let configuration = RuleAndSinkOptions.loadConfiguration(configurationFile, printing: CommandInput.printError) else {
                throw ExitCode(2)
            }
            let lines: [DeadLetterFile.Line]
            do {
                lines = try DeadLetterFile(stateDirectory: state ?? configuration.stateDirectory).readLines()
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
            commandName: "redrive",
            abstract: "Send dead letters again to their sink, and wait until each is delivered or dead-lettered again.",
            discussion: """
                Each dead letter goes to the sink that failed it. An AWS sink's settings come from the \
                configuration file's sink of that name, else from its name (sns:TOPIC_ARN, …). A webhook \
                sink's settings come from --url NAME=URL, \
                else from the configuration file's sink of that name (--config), else from its name when \
                that is webhook:URL, else from --webhook-url. Entries delivered since they were \
                dead-lettered are dropped without being sent again.

                Exit status: 0 all delivered; 1 some were dead-lettered again; 2 usage or configuration errors.
                """
        )

        @Option(name: .customLong("config"), help: ArgumentHelp(
            "The configuration file: state directory and the webhook sinks' settings.", valueName: "FILE"))
        var configurationFile: String?

        @Option(help: ArgumentHelp("Directory of durable state (default: the configuration's, else .vigil).", valueName: "DIR"))
        var state: String?

        @Option(name: .customLong("sink"), help: ArgumentHelp("Redrive only this sink's dead letters (repeatable).", valueName: "NAME"))
        var sinks: [String] = []

        @Option(name: .customLong("url"), help: ArgumentHelp("The webhook URL of a sink, overriding the configuration (repeatable).", valueName: "NAME=URL"))
        var urls: [String] = []

        @Option(name: .customLong("secret-env"),
                help: ArgumentHelp("The environment variable holding a sink's signing secret (repeatable).", valueName: "NAME=VAR"))
        var secretVariables: [String] = []

        @Option(name: .customLong("webhook-url"), help: ArgumentHelp("The URL for sinks neither configured nor given --url.", valueName: "URL"))
        var webhookURL: String?

        @Option(name: .customLong("max-event-age"),
                help: ArgumentHelp("Seconds to keep retrying before dead-lettering again (default: the sink's, else 24 hours).", valueName: "SECONDS"))
        var maximumEventAge: Double?

        @Flag(help: "Do not print the summary on stderr.")
        var quiet = false

        func run() throws {
            guard let configuration = RuleAndSinkOptions.loadConfiguration(configurationFile, printing: CommandInput.printError) else {
                throw ExitCode(2)
            }
            let stateDirectory = state ?? configuration.stateDirectory
            let urlBySink = try Self.pairs(urls, option: "--url")
            let secretBySink = try Self.pairs(secretVariables, option: "--secret-env")
            let lines: [DeadLetterFile.Line]
            do {
                lines = try DeadLetterFile(stateDirectory: stateDirectory).readLines()
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
            var settingsBySink: [(name: String, settings: WebhookSinkSettings?, aws: AWSSinkSettings?)] = []
            var problems: [String] = []
            for name in names.sorted() {
                if urlBySink[name] == nil, let aws = awsSettings(of: name, configuration: configuration) {
                    switch aws {
                    case .success(let settings): settingsBySink.append((name, nil, settings))
                    case .failure(let error): problems.append("sink \(name): \(error.message)")
                    }
                    continue
                }
                do throws(WebhookConfigurationError) {
                    settingsBySink.append((name, try settings(of: name, configuration: configuration, urlBySink: urlBySink,
                                                              secretBySink: secretBySink), nil))
                } catch {
                    problems.append("sink \(name): \(error.description)")
                }
            }
            guard problems.isEmpty else {
                for problem in problems { CommandInput.printError(problem) }
                throw ExitCode(2)
            }

            let factory = SinkFactory(configuration: configuration, stateDirectory: stateDirectory)
            var deadLetteredAgain = 0
            for (name, settings, aws) in settingsBySink {
                do throws(SinkError) {
                    let sink = if let aws {
                        try factory.makeAWSSink(named: name, settings: aws)
                    } else {
                        try factory.makeWebhookSink(named: name, settings: settings!)
                    }
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

        /// Where and how to send `name`'s dead letters, by the precedence the discussion states;
        /// --secret-env and --max-event-age override whichever settings that gives.
        func settings(of name: String, configuration: VigilConfiguration, urlBySink: [String: String],
                      secretBySink: [String: String]) throws(WebhookConfigurationError) -> WebhookSinkSettings {
            let base: WebhookSinkSettings
            if let url = urlBySink[name] {
                base = WebhookSinkSettings(configuration: try WebhookConfiguration(url: url))
            } else if let definition = configuration.sinks[name] {
                guard case .webhook(let configured) = definition else {
                    throw WebhookConfigurationError("\(configuration.file ?? "The configuration") defines \(name) as a sink that is not a webhook; give --url \(name)=URL.")
                }
                base = configured
            } else if name.hasPrefix("webhook:") {
                base = WebhookSinkSettings(configuration: try WebhookConfiguration(url: String(name.dropFirst(8))))
            } else if let webhookURL {
                base = WebhookSinkSettings(configuration: try WebhookConfiguration(url: webhookURL))
            } else {
                throw WebhookConfigurationError("No URL for this sink; define it in the configuration file (--config) or give --url \(name)=URL.")
            }
            let secret: String?? = secretBySink[name].map { .some($0) }
            guard secret != nil || maximumEventAge != nil else { return base }
            return WebhookSinkSettings(
                configuration: try base.configuration.changing(secretEnvironmentVariable: secret, maximumEventAge: maximumEventAge),
                headerVariables: base.headerVariables)
        }

        /// The settings of an AWS sink named `name` (configured as one, or an AWS specification),
        /// with --max-event-age applied; nil when `name` is not an AWS sink.
        func awsSettings(of name: String, configuration: VigilConfiguration) -> Result<AWSSinkSettings, AWSSinkSpecificationError>? {
            let base: AWSSinkSettings
            if case .aws(let configured)? = configuration.sinks[name] {
                base = configured
            } else if configuration.sinks[name] == nil, AWSSinkKinds.kind(of: name) != nil {
                do {
                    base = try AWSSinkSettings(specification: name)
                } catch {
                    return .failure(error)
                }
            } else {
                return nil
            }
            guard let maximumEventAge else { return .success(base) }
            var policy = base.retryPolicy
            policy.maximumEventAge = maximumEventAge
            return Result { () throws(AWSSinkSpecificationError) in
                try AWSSinkSettings(specification: base.specification, retryPolicy: policy, timeout: base.timeout,
                                    concurrency: base.concurrency, deliveredRetention: base.deliveredRetention, endpoint: base.endpoint)
            }
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

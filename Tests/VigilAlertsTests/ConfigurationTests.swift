import Foundation
import Testing
import VigilAlerts

@Suite struct ConfigurationTests {
    static let example = """
        {"state": ".vigil", "defaultSinks": ["stdout", "pager"], "queueCapacity": 500,
         "sinks": {"pager": {"type": "webhook", "url": "https://hooks.example.com/vigil", "secretEnv": "PAGER_SECRET",
                             "timeout": "0.3s", "maxRetryAttempts": 20, "maxEventAge": "1h30m",
                             "firstRetryDelay": "50ms", "maxRetryDelay": 2, "concurrency": 8,
                             "headers": {"X-Team": "db", "Authorization": {"env": "PAGER_TOKEN"}}},
                   "archive": {"type": "file", "path": "alerts.jsonl", "rotateBytes": 104857600, "keep": 3},
                   "other-archive": {"type": "file", "path": "/var/log/vigil.jsonl"},
                   "console": {"type": "stdout"}}}
        """

    func configuration(_ text: String, baseDirectory: String = "") throws(ConfigurationError) -> VigilConfiguration {
        try VigilConfiguration(json: Array(text.utf8), file: "vigil.json", baseDirectory: baseDirectory)
    }

    /// The key paths of the problems `text` has, or a recorded issue if it has none.
    func problemPaths(_ text: String) -> [String] {
        do {
            _ = try configuration(text)
            Issue.record("expected problems in \(text)")
            return []
        } catch {
            for problem in error.problems { #expect(problem.file == "vigil.json") }
            return error.problems.map(\.keyPath)
        }
    }

    @Test func readsEverySettingOfTheDocumentedShape() throws {
        let read = try configuration(Self.example, baseDirectory: "/etc/vigil/")
        #expect(read.file == "vigil.json")
        #expect(read.stateDirectory == "/etc/vigil/.vigil", "relative to the configuration file's directory")
        #expect(read.defaultSinks == ["stdout", "pager"])
        #expect(read.queueCapacity == 500)
        guard case .webhook(let pager) = read.sinks["pager"] else {
            Issue.record("pager is a webhook")
            return
        }
        let webhook = pager.configuration
        #expect(webhook.url.absoluteString == "https://hooks.example.com/vigil")
        #expect(webhook.secretEnvironmentVariable == "PAGER_SECRET")
        #expect(abs(webhook.timeout - 0.3) < 1e-9, "fractions of a second are kept")
        #expect(webhook.maximumRetryAttempts == 20)
        #expect(webhook.maximumEventAge == 5_400)
        #expect(abs(webhook.firstRetryDelay - 0.05) < 1e-9)
        #expect(webhook.maximumRetryDelay == 2)
        #expect(webhook.concurrency == 8)
        #expect(webhook.headers == ["X-Team": "db"], "the secret header is not in the file")
        #expect(pager.headerVariables == ["Authorization": "PAGER_TOKEN"])
        #expect(read.sinks["archive"] == .file(FileSinkSettings(path: "/etc/vigil/alerts.jsonl", rotateBytes: 104_857_600, keep: 3)))
        #expect(read.sinks["other-archive"] == .file(FileSinkSettings(path: "/var/log/vigil.jsonl")))
        #expect(read.sinks["console"] == .standardOutput)
    }

    @Test func leftOutSettingsTakeTheDefaults() throws {
        let read = try configuration(#"{"sinks": {"hook": {"type": "webhook", "url": "http://127.0.0.1:9/hook"}}}"#)
        #expect(read.stateDirectory == ".vigil")
        #expect(read.defaultSinks == ["stdout"])
        #expect(read.queueCapacity == 10_000)
        #expect(read.sinks["hook"] == .webhook(WebhookSinkSettings(configuration: try WebhookConfiguration(url: "http://127.0.0.1:9/hook"))))
    }

    @Test func everyProblemIsReportedAtOnceWithItsKeyPath() {
        let paths = problemPaths("""
            {"state": "", "defaultSinks": ["stdout", "pager", "nowhere", "webhook:http://example.com/x", 3],
             "queueCapacity": 0, "color": true,
             "sinks": {"pager": {"type": "webhook", "url": "http://hooks.example.com/x", "timeout": "0s",
                                 "maxRetryAttempts": 1.5, "maxEventAge": "24x", "firstRetryDelay": "2s",
                                 "maxRetryDelay": "1s", "concurrency": 100, "retries": 3,
                                 "headers": {"X-Team": "db", "Bad Header": "x", "Host": "h", "X-Token": {"env": "1X"}}},
                       "archive": {"type": "file", "path": "a.jsonl", "rotateBytes": 10, "keep": 0},
                       "loose": {"type": "file", "path": "b.jsonl", "keep": 2},
                       "console": {"type": "stdout", "path": "x"},
                       "stdout": {"type": "stdout"}, "a:b": {"type": "stdout"}, "kafka": {"type": "kafka"}, "untyped": {}}}
            """)
        #expect(paths == [
            "color", "state", "queueCapacity",
            "sinks[\"a:b\"]",
            "sinks.archive.rotateBytes", "sinks.archive.keep",
            "sinks.console.path",
            "sinks.kafka.type",
            "sinks.loose.keep",
            "sinks.pager.retries", "sinks.pager.url", "sinks.pager.timeout", "sinks.pager.maxEventAge",
            "sinks.pager.maxRetryDelay", "sinks.pager.maxRetryAttempts", "sinks.pager.concurrency",
            "sinks.pager.headers[\"Bad Header\"]", "sinks.pager.headers.Host", "sinks.pager.headers.X-Token.env",
            "sinks.stdout",
            "sinks.untyped",
            "defaultSinks[2]", "defaultSinks[3]", "defaultSinks[4]",
        ])
    }

    @Test func aKeyGivenTwiceIsRefused() {
        #expect(problemPaths(#"{"queueCapacity": 5, "sinks": {"p": {"type": "stdout", "type": "stdout"}}, "queueCapacity": 6}"#)
            == ["sinks.p.type", "queueCapacity"])
    }

    @Test func messagesNameTheFileTheKeyAndTheReason() {
        do {
            _ = try configuration(#"{"sinks": {"pager": {"type": "webhook", "url": "http://hooks.example.com/x"}}}"#)
            Issue.record("plain http to a remote host must be refused")
        } catch {
            #expect(error.description == "vigil.json: sinks.pager.url: The webhook URL http://hooks.example.com/x uses http, "
                + "which is allowed only to 127.0.0.1, ::1 or localhost; use https.")
        }
    }

    @Test func syntaxErrorsSayWhere() {
        do {
            _ = try configuration("{\"sinks\": {\n  \"a\": 1,,\n}}")
            Issue.record("not JSON")
        } catch {
            #expect(error.problems.count == 1)
            #expect(error.description.hasPrefix("vigil.json: The file is not valid JSON: "))
            #expect(error.description.hasSuffix("at line 2, column 10."))
        }
        #expect(problemPaths("[]") == [""], "the top level must be an object")
    }

    @Test func secretsAreNeverTakenFromTheFile() {
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
        for document in [
            #"{"sinks": {"p": {"type": "webhook", "url": "https://h.example.com/", "secret": "\#(secret)"}}}"#,
            #"{"sinks": {"p": {"type": "webhook", "url": "https://h.example.com/", "secretEnv": "\#(secret)"}}}"#,
            #"{"sinks": {"p": {"type": "webhook", "url": "https://h.example.com/", "secretEnv": "not a name"}}}"#,
        ] {
            do {
                _ = try configuration(document)
                Issue.record("refused: \(document)")
            } catch {
                #expect(error.description.contains("environment variable"))
                #expect(!error.description.contains(secret), "the message never repeats what may be a secret")
            }
        }
    }

    @Test(arguments: [("5s", 5.0), ("300ms", 0.3), ("0.3s", 0.3), ("1m", 60), ("24h", 86_400), ("1h30m", 5_400),
                      ("2d", 172_800), ("7", 7)])
    func durationsTakeUnitsAndFractions(text: String, seconds: Double) throws {
        let read = try configuration(#"{"sinks": {"h": {"type": "webhook", "url": "https://h.example.com/", "maxEventAge": "\#(text)"}}}"#)
        guard case .webhook(let settings) = read.sinks["h"] else {
            Issue.record("a webhook")
            return
        }
        #expect(abs(settings.configuration.maximumEventAge - seconds) < 1e-9)
    }

    @Test(arguments: ["", "s", "5m30", "1.2.3s", ".5s", "5.s", "-1s", "5 s", "5x", "0s", "0", "1e3s"])
    func malformedOrEmptyDurationsAreRefused(text: String) {
        #expect(problemPaths(#"{"sinks": {"h": {"type": "webhook", "url": "https://h.example.com/", "timeout": "\#(text)"}}}"#)
            == ["sinks.h.timeout"])
    }

    @Test func sinkNamesAreTheConfiguredOnesAndAnySpecification() throws {
        let names = try configuration(Self.example).sinkNames
        #expect(names.configured == ["pager", "archive", "other-archive", "console"])
        for name in ["pager", "archive", "console", "stdout", "file:out.jsonl", "webhook:https://other.example.com/x",
                     "webhook:http://127.0.0.1:8080/"] {
            #expect(names.contains(name), "\(name)")
        }
        for name in ["pagr", "file:", "webhook:http://example.com/", "kafka:topic", "Stdout"] {
            #expect(!names.contains(name), "\(name)")
        }
        let problem = try #require(names.problem(with: "pagr"))
        #expect(problem.contains("vigil.json defines archive, console, other-archive, pager"))
        #expect(VigilConfiguration().sinkNames.problem(with: "pager")?.contains("no configuration file") == true)
        #expect(VigilConfiguration().sinkNames.contains("stdout"))
    }

    @Test func sinkDefinitionsComeFromTheFileThenFromSpecifications() throws {
        let read = try configuration(Self.example)
        #expect(try read.sinkDefinition(named: "console") == .standardOutput)
        #expect(try read.sinkDefinition(named: "file:x.jsonl") == .file(FileSinkSettings(path: "x.jsonl")))
        #expect(throws: SinkError.self) { try read.sinkDefinition(named: "pagr") }
        #expect(throws: SinkError.self) { try read.sinkDefinition(named: "webhook:ftp://127.0.0.1/") }
    }

    @Test func secretHeadersAreReadFromTheEnvironmentWhenTheSinkIsMade() throws {
        let settings = WebhookSinkSettings(configuration: try WebhookConfiguration(url: "https://h.example.com/"),
                                           headerVariables: ["Authorization": "HOOK_TOKEN"])
        let resolved = try settings.resolved(environment: ["HOOK_TOKEN": "Bearer abc"])
        #expect(resolved.headers == ["Authorization": "Bearer abc"])
        do {
            _ = try settings.resolved(environment: [:])
            Issue.record("an unset variable is an error")
        } catch {
            #expect(error.description.contains("HOOK_TOKEN") && error.description.contains("Authorization"))
        }
        do {
            _ = try settings.resolved(environment: ["HOOK_TOKEN": "a\r\nHost: evil"])
            Issue.record("a value that would inject a header is refused")
        } catch {
            #expect(!error.description.contains("evil"))
        }
    }

    @Test func aFileIsReadWithPathsRelativeToItsDirectory() throws {
        let directory = try AlertsFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("vigil.json").path
        try Data(#"{"state": "state", "sinks": {"a": {"type": "file", "path": "out/a.jsonl"}}}"#.utf8).write(to: URL(fileURLWithPath: path))
        let read = try VigilConfiguration(contentsOf: path)
        #expect(read.file == path)
        #expect(read.stateDirectory == directory.path + "/state")
        #expect(read.sinks["a"] == .file(FileSinkSettings(path: directory.path + "/out/a.jsonl")))
        do {
            _ = try VigilConfiguration(contentsOf: directory.appendingPathComponent("missing.json").path)
            Issue.record("a missing file is an error")
        } catch {
            #expect(error.description.hasSuffix("missing.json: Cannot read the configuration file: No such file or directory."))
        }
    }
}

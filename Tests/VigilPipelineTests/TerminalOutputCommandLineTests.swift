import Foundation
import Testing

/// `replay`, `hunt` and `tail` as a person sees them: the built binary on a pseudo-terminal
/// (Python's `pty`, 140 columns), and on a pipe, with an escape sequence planted in a user name.
@Suite struct TerminalOutputCommandLineTests {
    /// Runs `arguments` with stdout on a pseudo-terminal of 140 columns (or a pipe), and returns
    /// what was written there. With `stopWhen`, a command that does not end by itself (`tail`) is
    /// sent SIGTERM once its output holds that text (or after 60 s), and what it wrote until it
    /// exited is returned.
    static func run(_ arguments: [String], terminal: Bool, environment extra: [String: String] = [:],
                    stopWhen: String? = nil) throws -> (output: [UInt8], status: Int32) {
        let harness = """
            import fcntl, os, pty, select, signal, struct, subprocess, sys, termios, time
            stop = os.environ.pop('VIGIL_TEST_STOP_WHEN', '').encode()
            terminal = os.environ.pop('VIGIL_TEST_TERMINAL') == '1'
            if terminal:
                reader, writer = pty.openpty()
                fcntl.ioctl(writer, termios.TIOCSWINSZ, struct.pack('HHHH', 40, 140, 0, 0))
            else:
                reader, writer = os.pipe()
            child = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=writer, stderr=subprocess.DEVNULL)
            os.close(writer)
            output = b''
            deadline = time.time() + 60
            stopped = False
            while True:
                if stop and not stopped and (stop in output or time.time() > deadline):
                    child.send_signal(signal.SIGTERM)
                    stopped = True
                ready, _, _ = select.select([reader], [], [], 0.2)
                if not ready:
                    continue
                try:
                    chunk = os.read(reader, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                output += chunk
            sys.stdout.buffer.write(output)
            sys.exit(child.wait())
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", harness] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment.removeValue(forKey: "NO_COLOR")
        environment.merge(extra) { $1 }
        environment["VIGIL_TEST_TERMINAL"] = terminal ? "1" : "0"
        if let stopWhen { environment["VIGIL_TEST_STOP_WHEN"] = stopWhen }
        process.environment = environment
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (Array(data), process.terminationStatus)
    }

    /// A CloudTrail file whose caller's name holds a clear-screen sequence and a C1 CSI, and a rule matching it.
    static func plantedLogs(in directory: URL) throws -> (logs: String, rules: String) {
        let record = #"{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/evil\u001b[2J\u009b31m","userName":"evil\u001b[2J"},"eventTime":"2026-11-20T09:14:07Z","eventSource":"iam.amazonaws.com","eventName":"CreateAccessKey","awsRegion":"us-east-1","sourceIPAddress":"203.0.113.50","userAgent":"<script>alert(1)</script>\u001b[2J","requestParameters":{"userName":"backup\u001b[2J"},"responseElements":null,"eventID":"planted-1","eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
        let logs = directory.appendingPathComponent("planted.json")
        try Data(#"{"Records":[\#(record)]}"#.utf8).write(to: logs)
        let rules = directory.appendingPathComponent("rules.json")
        try Data(#"{"name":"access-key-created","severity":"high","eventPattern":{"source":["aws.iam"],"detail":{"eventName":["CreateAccessKey"]}}}"#.utf8).write(to: rules)
        return (logs.path, rules.path)
    }

    @Test func onATerminalAlertsAreATableColouredBySeverityWithPlantedEscapesShownNotObeyed() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (logs, rules) = try Self.plantedLogs(in: scratch)
        let arguments = [vigil.path, "replay", "--quiet", "--jobs", "1", "--state", scratch.appendingPathComponent("state").path, "--rules", rules, logs]

        let colored = try Self.run(arguments, terminal: true)
        let text = String(decoding: colored.output, as: UTF8.self)
        #expect(colored.status == 0)
        #expect(text.contains("TIME"), "\(text)")
        #expect(text.contains("\u{1B}[1;31mhigh"), "severity is coloured: \(text)")
        #expect(text.contains(#"evil\e[2J\u{9B}31m"#), "\(text)")
        #expect(text.contains("203.0.113.50") && text.contains("iam:CreateAccessKey"))
        #expect(!text.contains("\u{1B}[2J"), "the planted clear-screen reached the terminal")
        #expect(!text.unicodeScalars.contains { $0.value == 0x9B })
        // Every line fits the 140 columns: no cell pushes the row into a wrap.
        for line in text.split(separator: "\r\n") {
            let visible = line.replacingOccurrences(of: "\u{1B}[1m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
                .replacingOccurrences(of: "\u{1B}[1;31m", with: "")
            #expect(visible.count <= 140, "\(visible)")
        }

        let plain = try Self.run(arguments, terminal: true, environment: ["NO_COLOR": "1"])
        #expect(!plain.output.contains(0x1B), "NO_COLOR: \(String(decoding: plain.output, as: UTF8.self))")
        #expect(String(decoding: plain.output, as: UTF8.self).contains(#"evil\e[2J"#))
    }

    @Test func onAPipeAlertsAreJSONLinesUnlessAskedOtherwise() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (logs, rules) = try Self.plantedLogs(in: scratch)
        let base = [vigil.path, "replay", "--quiet", "--state", scratch.appendingPathComponent("state").path, "--rules", rules]

        let json = try Self.run(base + [logs], terminal: false)
        let line = String(decoding: json.output, as: UTF8.self)
        #expect(line.hasPrefix(#"{"id":""#) && line.hasSuffix("}\n"), "\(line)")

        let tsv = try Self.run(base + ["--output", "tsv", logs], terminal: false)
        let rows = String(decoding: tsv.output, as: UTF8.self).split(separator: "\n")
        #expect(rows.count == 2)
        #expect(rows.first?.hasPrefix("time\tseverity\trule\twho\tfrom_where") == true)
        #expect(!tsv.output.contains(0x1B))

        let jsonOnTerminal = try Self.run(base + ["--output", "json", logs], terminal: true)
        #expect(String(decoding: jsonOnTerminal.output, as: UTF8.self).hasPrefix(#"{"id":""#))
    }

    @Test func huntShowsEventsAsATableOnATerminalWithoutSeverityAndRuleAndJSONOnAPipe() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let (logs, _) = try Self.plantedLogs(in: scratch)
        let hunt = [vigil.path, "hunt", "--quiet", "--ip", "203.0.113.50"]

        let table = try Self.run(hunt + [logs], terminal: true)
        let text = String(decoding: table.output, as: UTF8.self)
        #expect(table.status == 0)
        let lines = text.split(separator: "\r\n")
        #expect(lines.count == 2, "\(text)")
        #expect(lines.first.map { $0.contains("TIME") && $0.contains("WHO") && !$0.contains("SEVERITY") && !$0.contains("RULE") } == true,
                "\(text)")
        #expect(text.contains(#"evil\e[2J"#) && text.contains("203.0.113.50") && text.contains("iam:CreateAccessKey"), "\(text)")
        #expect(!text.contains("\u{1B}[2J"), "the planted clear-screen reached the terminal")
        for line in lines {
            let visible = line.replacingOccurrences(of: "\u{1B}[1m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "")
            #expect(visible.count <= 140, "\(visible)")
        }

        let json = try Self.run(hunt + [logs], terminal: false)
        #expect(String(decoding: json.output, as: UTF8.self).hasPrefix(#"{"time":"2026-11-20T09:14:07Z","source":{"file":"#))

        let tsv = try Self.run(hunt + ["--output", "tsv", logs], terminal: true)
        let rows = String(decoding: tsv.output, as: UTF8.self).split(separator: "\r\n")
        #expect(rows.first == "time\twho\tfrom_where\twhat\tresource\trecord", "\(rows)")
        #expect(rows.count == 2 && rows[1].hasSuffix("\t\(logs)#0"), "\(rows)")
        #expect(!tsv.output.contains(0x1B))

        let counted = try Self.run(hunt + ["--count", "--output", "table", logs], terminal: false)
        #expect(counted.status == 64 && counted.output.isEmpty, "--output with --count is a usage error")
    }

    @Test func tailShowsAlertsAsATableOnATerminalAndJSONLinesWhenAsked() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let logs = scratch.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let (planted, rules) = try Self.plantedLogs(in: scratch)
        try FileManager.default.moveItem(atPath: planted, toPath: logs.appendingPathComponent("planted.json").path)
        let tail = { (state: String) in
            [vigil.path, "tail", "--rules", rules, "--state", scratch.appendingPathComponent(state).path,
             "--health-interval", "0", "--settle", "100ms", logs.path]
        }

        let table = try Self.run(tail("state-table"), terminal: true, stopWhen: "iam:CreateAccessKey")
        let text = String(decoding: table.output, as: UTF8.self)
        #expect(table.status == 0, "a tail stopped by SIGTERM exits 0: \(table.status)")
        #expect(text.contains("TIME") && text.contains("SEVERITY"), "\(text)")
        #expect(text.contains("\u{1B}[1;31mhigh") && text.contains("access-key-created"), "\(text)")
        #expect(text.contains(#"evil\e[2J"#) && !text.contains("\u{1B}[2J"), "\(text)")

        let plain = try Self.run(tail("state-plain"), terminal: true, environment: ["NO_COLOR": "1"], stopWhen: "iam:CreateAccessKey")
        #expect(!plain.output.contains(0x1B), "NO_COLOR: \(String(decoding: plain.output, as: UTF8.self))")
        #expect(String(decoding: plain.output, as: UTF8.self).contains("access-key-created"))

        let json = try Self.run(tail("state-json") + ["--output", "json"], terminal: true, stopWhen: "\"planted-1\"")
        let line = String(decoding: json.output, as: UTF8.self)
        #expect(line.hasPrefix(#"{"id":""#) && line.contains(#""rule":"access-key-created""#), "\(line)")
        #expect(json.output.filter { $0 == 0x0A }.count == 1, "one alert, one line: \(line)")
    }
}

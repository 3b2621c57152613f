import Foundation
import Testing

/// `vigil replay --report` and `vigil report` on the built binary, over SampleLogs and Rules.
@Suite struct ReportCommandLineTests {
    static func run(_ vigil: URL, _ arguments: [String]) throws -> (status: Int32, errors: String) {
        let process = Process()
        process.executableURL = vigil
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        let text = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }

    /// The ids of the alerts an HTML report lists, in order, from its alerts' data (the page's
    /// script draws them a page at a time; the browser tests check the drawing).
    static func alertIDs(in report: String) throws -> [String] {
        let start = try #require(report.range(of: "<script type=\"application/json\" id=\"alert-data\">"))
        let end = try #require(report.range(of: "</script>", range: start.upperBound..<report.endIndex))
        let data = try #require(try JSONSerialization.jsonObject(with: Data(report[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
        return try #require(data["rows"] as? [[Any]]).compactMap { $0.first as? String }
    }

    @Test func replayWritesTheReportBesideTheAlertsAndReportRemakesItFromThem() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let alerts = scratch.appendingPathComponent("alerts.jsonl").path
        let html = scratch.appendingPathComponent("report.html").path
        let replay = try Self.run(vigil, ["replay", "--quiet", "--state", scratch.appendingPathComponent("state").path,
                                          "--sink", "file:\(alerts)", "--rules", PipelineFixtures.rules, "--report", html,
                                          PipelineFixtures.sampleLogs])
        #expect(replay.status == 0, "\(replay.errors)")
        let alertLines = try String(contentsOfFile: alerts, encoding: .utf8).split(separator: "\n")
        #expect(alertLines.count > 5)
        let fromReplay = try String(contentsOfFile: html, encoding: .utf8)
        let ids = alertLines.map { String($0.dropFirst(#"{"id":""#.count).prefix(32)) }
        #expect(try Self.alertIDs(in: fromReplay) == ids)
        #expect(fromReplay.contains("<polyline class=\"volume"), "the replay knows each source's volume")
        #expect(fromReplay.contains("records"))

        let remade = scratch.appendingPathComponent("remade.html").path
        let markdown = scratch.appendingPathComponent("ticket.md").path
        #expect(try Self.run(vigil, ["report", alerts, "-o", remade]).status == 0)
        #expect(try Self.run(vigil, ["report", alerts, "-o", markdown]).status == 0)
        let fromFiles = try String(contentsOfFile: remade, encoding: .utf8)
        #expect(try Self.alertIDs(in: fromFiles) == ids)
        #expect(fromFiles.contains("Event volume unknown"))
        let ticket = try String(contentsOfFile: markdown, encoding: .utf8)
        #expect(ticket.hasPrefix("# Vigil investigation report"))
        #expect(ticket.split(separator: "\n").filter { $0.hasPrefix("| 2026-") }.count == alertLines.count)
    }

    @Test func linesThatAreNotAlertsAreReportedWithFileAndLineAndTheRestIsWritten() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let alerts = scratch.appendingPathComponent("mixed.jsonl")
        let good = #"{"id":"0123456789abcdef0123456789abcdef","rule":"r","severity":"low","time":"2026-11-20T09:00:00Z","source":{"file":"f","record":0},"event":{"source":"aws.s3","detail-type":"x","time":"2026-11-20T09:00:00Z","detail":{}}}"#
        try Data("\(good)\n{not json\n{\"id\":\"x\"}\n".utf8).write(to: alerts)
        let output = scratch.appendingPathComponent("r.html").path
        let run = try Self.run(vigil, ["report", alerts.path, "-o", output])
        #expect(run.status == 1)
        #expect(run.errors.contains("\(alerts.path): line 2: not JSON"), "\(run.errors)")
        #expect(run.errors.contains("\(alerts.path): line 3: no \"event\" object"), "\(run.errors)")
        #expect(try Self.alertIDs(in: String(contentsOfFile: output, encoding: .utf8)) == ["0123456789abcdef0123456789abcdef"])
    }
}

import Foundation
import Testing

/// `vigil replay --config` and `--sink` as a user meets them, on the built binary.
@Suite struct DeliveryCommandLineTests {
    @Test func theConfigurationsDefaultSinksApplyUnlessSinkIsGiven() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let configuration = scratch.appendingPathComponent("vigil.json")
        try Data(#"{"state": "state", "defaultSinks": ["archive"], "sinks": {"archive": {"type": "file", "path": "alerts.jsonl"}}}"#.utf8)
            .write(to: configuration)
        let archive = scratch.appendingPathComponent("alerts.jsonl").path
        let replay = ["replay", "--quiet", "--config", configuration.path, "--rules", PipelineFixtures.rules, PipelineFixtures.sampleLogs]

        let withDefaults = try VigilProcess(vigil, replay, outputIn: scratch, label: "defaults")
        #expect(withDefaults.waitForExit(within: 20) == 0, "\(withDefaults.errorOutput)")
        #expect(try String(contentsOfFile: archive, encoding: .utf8).split(separator: "\n").count == 16)
        #expect(try String(contentsOf: withDefaults.standardOutput, encoding: .utf8).isEmpty)
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("state").path),
                "without a webhook the state directory is not touched")

        try FileManager.default.removeItem(atPath: archive)
        let withSink = try VigilProcess(vigil, replay + ["--sink", "stdout"], outputIn: scratch, label: "sink")
        #expect(withSink.waitForExit(within: 20) == 0, "\(withSink.errorOutput)")
        #expect(try String(contentsOf: withSink.standardOutput, encoding: .utf8).split(separator: "\n").count == 16)
        #expect(!FileManager.default.fileExists(atPath: archive), "--sink replaces the configuration's default sinks")
    }

    @Test func aBadConfigurationIsRefusedWithEveryProblemBeforeAnythingIsMade() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let configuration = scratch.appendingPathComponent("vigil.json")
        try Data("""
            {"defaultSinks": ["archive", "pager"],
             "sinks": {"archive": {"type": "file", "path": "alerts.jsonl", "keep": 2},
                       "pager": {"type": "webhook", "url": "http://hooks.example.com/vigil"}}}
            """.utf8).write(to: configuration)
        let run = try VigilProcess(vigil, ["replay", "--config", configuration.path, "--rules", PipelineFixtures.rules,
                                           PipelineFixtures.sampleLogs], outputIn: scratch, label: "bad")
        #expect(run.waitForExit(within: 20) == 2)
        let lines = run.errorOutput.split(separator: "\n").map(String.init)
        #expect(lines.count == 2, "\(lines)")
        #expect(lines.first?.hasPrefix("vigil: \(configuration.path): sinks.archive.keep: ") == true)
        #expect(lines.last?.hasPrefix("vigil: \(configuration.path): sinks.pager.url: The webhook URL http://hooks.example.com/vigil uses http") == true)
        #expect(!FileManager.default.fileExists(atPath: scratch.appendingPathComponent("alerts.jsonl").path))
    }

    @Test func anUnknownTargetIsARuleProblem() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data(#"{"name": "paged", "severity": "high", "eventPattern": {"source": ["aws.rds"]}, "targets": ["pagr"]}"#.utf8)
            .write(to: rules.appendingPathComponent("paged.json"))
        let run = try VigilProcess(vigil, ["replay", "--rules", rules.path, PipelineFixtures.sampleLogs], outputIn: scratch, label: "target")
        #expect(run.waitForExit(within: 20) == 2)
        #expect(run.errorOutput.contains("paged") && run.errorOutput.contains("Unknown sink pagr in targets"), "\(run.errorOutput)")
    }
}

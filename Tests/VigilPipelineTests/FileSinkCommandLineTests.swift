import Foundation
import Testing

/// `--sink file:PATH` where PATH is a symbolic link, on the built binary: refused at start with
/// exit 2 and the reason, in bounded time (a dangling link used to spin at 100 % CPU forever).
@Suite struct FileSinkCommandLineTests {
    @Test func replayRefusesADanglingLinkAsItsFileSink() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let link = scratch.appendingPathComponent("alerts.jsonl").path
        let target = scratch.appendingPathComponent("missing/alerts.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let run = try VigilProcess(vigil, ["replay", "--quiet", "--sink", "file:\(link)", "--rules", PipelineFixtures.rules,
                                           PipelineFixtures.sampleLogs], outputIn: scratch, label: "dangling")
        #expect(run.waitForExit(within: 20) == 2, "\(run.errorOutput)")
        #expect(run.errorOutput.contains("Refusing \(link): it is a symbolic link to \(target), which does not exist."),
                "\(run.errorOutput)")
    }

    @Test func tailRefusesADanglingLinkAsItsFileSinkAtStart() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let logs = scratch.appendingPathComponent("logs")
        try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
        let link = scratch.appendingPathComponent("alerts.jsonl").path
        let target = scratch.appendingPathComponent("missing.jsonl").path
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        let run = try VigilProcess(vigil, ["tail", "--sink", "file:\(link)", "--rules", PipelineFixtures.rules,
                                           "--state", scratch.appendingPathComponent("state").path, "--poll", logs.path],
                                   outputIn: scratch, label: "tail")
        #expect(run.waitForExit(within: 20) == 2, "\(run.errorOutput)")
        #expect(run.errorOutput.contains("Refusing \(link): it is a symbolic link to \(target), which does not exist."),
                "\(run.errorOutput)")
        #expect(!FileManager.default.fileExists(atPath: target))
    }
}

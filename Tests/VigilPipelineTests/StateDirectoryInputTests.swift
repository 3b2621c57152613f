import Foundation
import Testing
import VigilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Vigil's own state directory is never read as a log, wherever it lies and however it is named.
@Suite(.serialized) struct StateDirectoryInputTests {
    @Test func replayPassesOverItsStateDirectoryInsideTheLogs() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let logs = scratch.appendingPathComponent("logs")
        let state = logs.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
        try Data(TailRun.records(from: 0, count: 3)).write(to: logs.appendingPathComponent("a.jsonl"))
        // What a state directory holds: SQLite files, no logs.
        try Data("SQLite format 3\u{0}\u{10}\u{0}".utf8).write(to: state.appendingPathComponent("vigil.sqlite"))
        let rules = scratch.appendingPathComponent("rds.json")
        try Data(DeliveryFixtures.rdsRule.utf8).write(to: rules)

        // The state directory named another way than the logs are: relative and through a link.
        symlink(state.path, scratch.appendingPathComponent("state-link").path)
        for stateArgument in ["logs/state", "state-link", state.path] {
            let replay = try VigilProcess(vigil, ["replay", "--rules", rules.path, "--state", stateArgument, logs.path],
                                          outputIn: scratch, label: "replay", workingDirectory: scratch)
            #expect(replay.waitForExit(within: 20) == 0, "--state \(stateArgument): \(replay.errorOutput)")
            #expect(!replay.errorOutput.contains("vigil.sqlite"), "\(replay.errorOutput)")
            #expect(try String(contentsOf: replay.standardOutput, encoding: .utf8).split(separator: "\n").count == 3)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func tailPassesOverItsStateDirectoryInsideTheLogs() throws {
        let run = try TailRun()
        let state = run.logs.appendingPathComponent("state").path
        try Data(TailRun.records(from: 0, count: 2)).write(to: run.logs.appendingPathComponent("a.jsonl"))
        let tail = try VigilProcess(run.vigil, ["tail", "--rules", run.rules.path, "--sink", "file:" + run.alerts,
                                                "--state", state, "--health-interval", "0", "--settle", "1s", run.logs.path],
                                    outputIn: run.scratch, label: "tail")
        try #require(run.waitUntilFollowing(tail), "\(tail.errorOutput)")
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 2 })
        // The tail writes its state database as it commits; none of that is input.
        try TailRun.writeAtomically(TailRun.records(from: 2, count: 2), to: run.logs.appendingPathComponent("b.jsonl"), hidden: true)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 4 })
        #expect(tail.signal(SIGTERM) == 0)
        #expect(!tail.errorOutput.contains("state/"), "\(tail.errorOutput)")
    }
}

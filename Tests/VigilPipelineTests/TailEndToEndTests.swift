import Foundation
import Testing
import VigilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// `vigil tail` run as a user runs it: the real binary on a directory that a writer fills while
/// the test watches the file sink.
@Suite(.serialized) struct TailEndToEndTests {
    /// Files arriving every way a sync job writes them are alerted on once each, soon after they
    /// are complete, and SIGTERM ends the tail with status 0.
    @Test(.timeLimit(.minutes(2)))
    func followsFilesWrittenEveryWay() throws {
        let run = try TailRun()
        let tail = try run.start()
        try #require(run.waitUntilFollowing(tail), "\(tail.errorOutput)")

        // Renamed into place from a hidden name, and from a visible one.
        try TailRun.writeAtomically(TailRun.records(from: 0, count: 3), to: run.logs.appendingPathComponent("a.json"), hidden: true)
        try TailRun.writeAtomically(TailRun.gzippedCloudTrailFile(from: 3, count: 3),
                                    to: run.logs.appendingPathComponent("b.json.gz"), hidden: false)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 6 }, "\(tail.errorOutput)")

        // A new directory, and in it JSON Lines appended slowly, with a pause inside a line.
        let day = run.logs.appendingPathComponent("2026/11/20")
        try FileManager.default.createDirectory(at: day, withIntermediateDirectories: true)
        try TailRun.writeSlowly(TailRun.records(from: 6, count: 4), to: day.appendingPathComponent("c.jsonl"), parts: 5, pause: 0.3)
        // A gzip file copied in chunks.
        try TailRun.writeSlowly(TailRun.gzippedCloudTrailFile(from: 10, count: 40), to: day.appendingPathComponent("d.json.gz"),
                                parts: 4, pause: 0.3)
        #expect(Polling.eventually(within: 8) { run.alertIDs().count == 50 }, "\(tail.errorOutput)")

        #expect(tail.signal(SIGTERM) == 0, "\(tail.errorOutput)")
        let ids = run.alertIDs()
        #expect(ids.count == Set(ids).count, "no alert twice")
        #expect(Set(ids) == (try run.expectedIDs()))
        #expect(run.brokenAlertLines().isEmpty)
        #expect(!tail.errorOutput.contains("vigil: "), "no problem was reported while files were being written: \(tail.errorOutput)")
    }

    /// The issue's target: a new file's alerts within 2 s of its arrival with inotify, and within
    /// the poll interval plus 1 s when polling. (Checked with room to spare for a loaded machine;
    /// the issue note gives measured figures.)
    @Test(.timeLimit(.minutes(2)), arguments: [false, true])
    func alertsFollowANewFileWithinSeconds(polling: Bool) throws {
        let run = try TailRun()
        let tail = try run.start(polling ? ["--poll", "--poll-interval", "1s"] : [])
        try #require(run.waitUntilFollowing(tail), "\(tail.errorOutput)")
        usleep(500_000)
        var latencies: [Double] = []
        for round in 0..<3 {
            let started = Date()
            try TailRun.writeAtomically(TailRun.gzippedCloudTrailFile(from: round * 10, count: 10),
                                        to: run.logs.appendingPathComponent("file-\(round).json.gz"), hidden: true)
            #expect(Polling.eventually(within: 10) { run.alertIDs().count == (round + 1) * 10 }, "\(tail.errorOutput)")
            latencies.append(Date().timeIntervalSince(started))
        }
        #expect(tail.signal(SIGTERM) == 0)
        let bound = polling ? 1 + 1 + 1.5 : 2 + 1.5
        #expect(latencies.max()! < bound, "latencies \(latencies)")
    }

    /// The issue's crash target: files written every way while the tail is killed with SIGKILL
    /// at random moments, over and over; in the end every alert is in the file sink exactly once.
    @Test(.timeLimit(.minutes(3)))
    func randomKillsLoseNothingAndRepeatNothing() throws {
        let run = try TailRun()
        let fileCount = 2_500
        let kills = 60
        var random = SeededRandom(seed: 20_261_123)

        // The writer: files of 2 to 4 records in new directories, written in five ways.
        let writerDone = DispatchSemaphore(value: 0)
        let logs = run.logs
        let writer = Thread {
            var writerRandom = SeededRandom(seed: 7)
            var next = 0
            for index in 0..<fileCount {
                let count = 2 + Int(writerRandom.next() % 3)
                let directory = logs.appendingPathComponent("day-\(index / 100)")
                try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                do {
                    switch index % 5 {
                    case 0:
                        try TailRun.writeAtomically(TailRun.records(from: next, count: count),
                                                    to: directory.appendingPathComponent("f\(index).jsonl"), hidden: true)
                    case 1:
                        try TailRun.writeAtomically(TailRun.gzippedCloudTrailFile(from: next, count: count),
                                                    to: directory.appendingPathComponent("f\(index).json.gz"), hidden: false)
                    case 2:
                        try TailRun.writeSlowly(TailRun.records(from: next, count: count),
                                                to: directory.appendingPathComponent("f\(index).jsonl"), parts: 3, pause: 0.002)
                    case 3:
                        try TailRun.writeSlowly(TailRun.gzippedCloudTrailFile(from: next, count: count),
                                                to: directory.appendingPathComponent("f\(index).json.gz"), parts: 3, pause: 0.002)
                    default:
                        try Data(TailRun.records(from: next, count: count)).write(to: directory.appendingPathComponent("f\(index).jsonl"))
                    }
                } catch {
                    Issue.record("the writer failed: \(error)")
                }
                next += count
                usleep(4_000)
            }
            writerDone.signal()
        }
        writer.start()

        var outputs: [String] = []
        var killsWhileWriting = 0
        for cycle in 0..<kills {
            let tail = try run.start(label: "tail-\(cycle)")
            usleep(UInt32(150_000 + random.next() % 350_000))
            tail.kill()
            outputs.append(tail.errorOutput)
            if writer.isExecuting { killsWhileWriting += 1 }
        }
        writerDone.wait()
        #expect(killsWhileWriting >= kills / 2, "most kills came while files were still arriving: \(killsWhileWriting)")

        // A last tail reads what is left, then stops.
        let expected = try run.expectedIDs()
        try #require(expected.count >= fileCount * 2)
        let last = try run.start(label: "tail-last")
        let caughtUp = Polling.eventually(within: 60) { Set(run.alertIDs()).count >= expected.count }
        #expect(last.signal(SIGTERM) == 0, "\(last.errorOutput)")
        #expect(caughtUp, "\(last.errorOutput)")

        let ids = run.alertIDs()
        let repeated = Dictionary(grouping: ids, by: { $0 }).filter { $0.value.count > 1 }.keys
        #expect(repeated.isEmpty, "\(repeated.count) alerts written twice")
        #expect(Set(ids) == expected, "missing \(expected.subtracting(ids).count), unexpected \(Set(ids).subtracting(expected).count)")
        #expect(run.brokenAlertLines().isEmpty, "no torn alert line is left in the file")
        let problems = (outputs + [last.errorOutput]).joined().split(separator: "\n").filter { $0.hasPrefix("vigil: ") }
        #expect(problems.isEmpty, "\(problems.prefix(5))")
    }

    /// Kills in the middle of one large file, where commits happen between records: the file
    /// sink must recognize the alerts of a lost batch even after later commits moved its
    /// checkpoint past them (the first tail is killed before its first commit, too).
    /// The file arrives as a chunked copy of a large gzip, read while it grows.
    @Test(.timeLimit(.minutes(2)))
    func killsInTheMiddleOfALargeFileRepeatNothing() throws {
        let run = try TailRun()
        let gzip = try TailRun.gzip(TailRun.records(from: 0, count: 60_000))
        let target = run.logs.appendingPathComponent("big.jsonl.gz")
        let copier = Thread {
            do {
                try TailRun.writeSlowly(gzip, to: target, parts: 25, pause: 0.1)
            } catch {
                Issue.record("the copy failed: \(error)")
            }
        }
        copier.start()
        var random = SeededRandom(seed: 99)
        for cycle in 0..<10 {
            let tail = try run.start(["--health-interval", "0"], label: "tail-\(cycle)")
            usleep(UInt32(cycle == 0 ? 100_000 : 300_000 + random.next() % 900_000))
            tail.kill()
        }
        let last = try run.start(label: "tail-last")
        let caughtUp = Polling.eventually(within: 60) { run.alertIDs().count >= 60_000 }
        #expect(last.signal(SIGTERM) == 0)
        #expect(caughtUp, "\(last.errorOutput)")
        let ids = run.alertIDs()
        #expect(ids.count == 60_000, "\(ids.count - Set(ids).count) written twice")
        #expect(Set(ids).count == 60_000)
    }

    /// A second tail on the same state directory refuses to start and says who holds it.
    @Test(.timeLimit(.minutes(2)))
    func aSecondTailOnTheSameStateRefusesToStart() throws {
        let run = try TailRun()
        let first = try run.start(label: "first")
        try #require(run.waitUntilFollowing(first), "\(first.errorOutput)")
        let second = try run.start(label: "second")
        #expect(second.waitForExit(within: 10) == 2)
        #expect(second.errorOutput.contains("Another vigil tail (pid \(first.process.processIdentifier))"), "\(second.errorOutput)")
        #expect(first.process.isRunning)
        #expect(first.signal(SIGINT) == 0)
    }
}

import Foundation
import Testing
import VigilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Faults the tail must report and survive.
@Suite(.serialized) struct TailFaultTests {
    /// A full disk under the file sink (its path points at /dev/full, which fails every write
    /// with ENOSPC): reported, retried from the last commit, and once there is room every alert
    /// arrives, none twice.
    @Test(.timeLimit(.minutes(2)))
    func aFullDiskIsReportedAndOutlived() throws {
        let run = try TailRun()
        #expect(symlink("/dev/full", run.alerts) == 0)
        try Data(TailRun.records(from: 0, count: 4)).write(to: run.logs.appendingPathComponent("a.jsonl"))
        let tail = try run.start()
        #expect(Polling.eventually(within: 10) { tail.errorOutput.contains("No space left on device") }, "\(tail.errorOutput)")
        #expect(tail.errorOutput.contains("Reading again from the last commit"))
        #expect(tail.process.isRunning, "the tail survives")

        // Room again: the sink's path is a plain file now.
        #expect(unlink(run.alerts) == 0)
        try TailRun.writeAtomically(TailRun.records(from: 4, count: 2), to: run.logs.appendingPathComponent("b.jsonl"), hidden: true)
        #expect(Polling.eventually(within: 15) { run.alertIDs().count == 6 }, "\(tail.errorOutput)")
        #expect(tail.signal(SIGTERM) == 0)
        let ids = run.alertIDs()
        let expected = try run.expectedIDs()
        #expect(ids.count == 6 && Set(ids) == expected)
    }

    /// A file the tail may not read: reported once, the others read meanwhile, and read as soon
    /// as its mode lets it.
    @Test(.timeLimit(.minutes(2)))
    func aFileItMayNotReadIsReportedOnceAndReadWhenAllowed() throws {
        let run = try TailRun()
        let secret = run.logs.appendingPathComponent("secret.jsonl")
        try Data(TailRun.records(from: 0, count: 2)).write(to: secret)
        #expect(chmod(secret.path, 0o000) == 0)
        try Data(TailRun.records(from: 2, count: 1)).write(to: run.logs.appendingPathComponent("open.jsonl"))
        chmod(run.logs.appendingPathComponent("open.jsonl").path, 0o644)
        let tail = try run.startUnprivileged()
        #expect(Polling.eventually(within: 10) { tail.errorOutput.contains("Permission denied") }, "\(tail.errorOutput)")
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 1 }, "\(tail.errorOutput)")
        #expect(chmod(secret.path, 0o644) == 0)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 3 }, "\(tail.errorOutput)")
        #expect(tail.signal(SIGTERM) == 0)
        #expect(tail.errorOutput.components(separatedBy: "Permission denied").count == 2, "reported once: \(tail.errorOutput)")
    }

    /// The watched directory removed and made again: said so, and followed again.
    @Test(.timeLimit(.minutes(2)))
    func aDirectoryThatGoesAndComesBackIsFollowedAgain() throws {
        let run = try TailRun()
        let tail = try run.start()
        try #require(run.waitUntilFollowing(tail))
        try TailRun.writeAtomically(TailRun.records(from: 0, count: 2), to: run.logs.appendingPathComponent("a.jsonl"), hidden: true)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 2 })
        try FileManager.default.removeItem(at: run.logs)
        #expect(Polling.eventually(within: 5) { tail.errorOutput.contains("is gone") }, "\(tail.errorOutput)")
        try FileManager.default.createDirectory(at: run.logs.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data(TailRun.records(from: 2, count: 3)).write(to: run.logs.appendingPathComponent("sub/b.jsonl"))
        #expect(Polling.eventually(within: 10) { run.alertIDs().count == 5 }, "\(tail.errorOutput)")
        #expect(tail.errorOutput.contains("is back"))
        try TailRun.writeAtomically(TailRun.records(from: 5, count: 1), to: run.logs.appendingPathComponent("sub/c.jsonl"), hidden: true)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 6 }, "\(tail.errorOutput)")
        #expect(tail.signal(SIGTERM) == 0)
    }

    /// A gzip file that stays cut short: its whole records are alerted at once; the damage is
    /// reported only once it has stopped changing for the settle time.
    @Test(.timeLimit(.minutes(2)))
    func aFileThatStaysTruncatedIsReportedAfterItSettles() throws {
        let run = try TailRun()
        let tail = try run.start(["--settle", "1s"])
        try #require(run.waitUntilFollowing(tail))
        let gzip = try TailRun.gzip(TailRun.records(from: 0, count: 2000))
        try Data(gzip.prefix(gzip.count / 2)).write(to: run.logs.appendingPathComponent("cut.jsonl.gz"))
        #expect(Polling.eventually(within: 10) { tail.errorOutput.contains("gzip stream ends early") }, "\(tail.errorOutput)")
        let alerted = run.alertIDs().count
        #expect(alerted > 100 && alerted < 2000, "the records before the cut, \(alerted)")
        #expect(tail.signal(SIGTERM) == 0)
    }

    /// A modification time in the future (as after the clock was set back) does not keep a file
    /// waiting forever: settling is timed on a monotonic clock.
    @Test(.timeLimit(.minutes(2)))
    func aFileFromTheFutureStillSettles() throws {
        let run = try TailRun()
        let tail = try run.start(["--settle", "1s"])
        try #require(run.waitUntilFollowing(tail))
        let file = run.logs.appendingPathComponent("future.jsonl")
        // The last record has no newline: it waits for the file to settle.
        try Data(TailRun.records(from: 0, count: 3).dropLast()).write(to: file)
        var times = [timeval(tv_sec: time(nil) + 3600, tv_usec: 0), timeval(tv_sec: time(nil) + 3600, tv_usec: 0)]
        #expect(utimes(file.path, &times) == 0)
        #expect(Polling.eventually(within: 3) { run.alertIDs().count == 2 }, "\(tail.errorOutput)")
        #expect(Polling.eventually(within: 6) { run.alertIDs().count == 3 }, "\(tail.errorOutput)")
        #expect(tail.signal(SIGTERM) == 0)
    }

    /// A large file deleted while it is being read: the open file is read to its end, and the
    /// tail goes on with the next.
    @Test(.timeLimit(.minutes(2)))
    func aFileDeletedWhileBeingReadIsFinishedAndTheTailGoesOn() throws {
        let run = try TailRun()
        let tail = try run.start()
        try #require(run.waitUntilFollowing(tail))
        let big = run.logs.appendingPathComponent("big.jsonl")
        try TailRun.writeAtomically(TailRun.records(from: 0, count: 20_000), to: big, hidden: true)
        #expect(Polling.eventually(within: 10) { !run.alertIDs().isEmpty })
        try FileManager.default.removeItem(at: big)
        try TailRun.writeAtomically(TailRun.records(from: 50_000, count: 1), to: run.logs.appendingPathComponent("next.jsonl"), hidden: true)
        #expect(Polling.eventually(within: 30) { run.alertIDs().count == 20_001 },
                "\(tail.errorOutput)")
        #expect(tail.signal(SIGTERM) == 0)
        #expect(!tail.errorOutput.contains("vigil: "), "\(tail.errorOutput)")
    }
}

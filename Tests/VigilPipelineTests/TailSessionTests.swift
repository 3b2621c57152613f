import Foundation
import Synchronization
import Testing
@testable import VigilAlerts
@testable import VigilIngest
@testable import VigilPipeline

/// A tail session's logic in-process: what it reads of files that grow, settle, move and shrink,
/// when it commits, and what a new session resumes from. Time is a manual clock (the session's
/// `TailClock` seam), so nothing here sleeps; the binary's own tests cover signals and crashes.
@Suite struct TailSessionTests {
    /// A clock the test moves forward.
    final class ManualClock: Sendable {
        private let seconds = Mutex(0.0)
        /// The wall clock starts at the real time, so that files written now are "just changed".
        private let wallStart = Date().timeIntervalSince1970

        func advance(_ by: Double) { seconds.withLock { $0 += by } }
        var clock: TailClock {
            TailClock(monotonic: { [self] in 1_000 + seconds.withLock { $0 } },
                      wall: { [self] in wallStart + seconds.withLock { $0 } })
        }
    }

    /// A log directory, one rule alerting on every RDS API call, a state database and a sink that
    /// records alert ids.
    final class Harness {
        let scratch: URL
        let logs: URL
        let state: TailState
        let rules: RuleSet
        let deliveries = DeliveryLog()
        let time = ManualClock()
        var options: Tail.Options
        var problems: [InputProblem] = []
        var notices: [String] = []
        var ticks = 0

        init(rule: String = DeliveryFixtures.rdsRule) throws {
            scratch = try PipelineFixtures.temporaryDirectory()
            logs = scratch.appendingPathComponent("logs")
            try FileManager.default.createDirectory(at: logs, withIntermediateDirectories: true)
            let ruleFile = scratch.appendingPathComponent("rds.json")
            try Data(rule.utf8).write(to: ruleFile)
            let loaded = RuleLoader.load(paths: [ruleFile.path])
            try #require(loaded.problems.isEmpty)
            rules = RuleSet(loaded.rules)
            state = try TailState(database: StateDatabase(directory: scratch.appendingPathComponent("state").path))
            options = Tail.Options(directories: [logs.path])
        }

        deinit { try? FileManager.default.removeItem(at: scratch) }

        /// A new session on the state as last committed (a restart, or a recovery after a failure).
        func session() throws -> TailSession {
            let setup = TailSetup(rules: rules, watchedFiles: []) { [deliveries] _, sent throws(SinkError) in
                AlertRouter(defaultSinks: [SinkQueue(GatedSink(name: "test", log: deliveries), capacity: 100)], namedSinks: [],
                            remembering: sent, recordsSent: true)
            }
            let output = TailOutput(onProblem: { [unowned self] in problems.append($0) },
                                    onNotice: { [unowned self] in notices.append($0) })
            output.onTick = { [unowned self] _ in ticks += 1 }
            return try TailSession(setup: setup, options: options, state: state, cancellation: ReadCancellation(),
                                   counters: TailCounters(), output: output, clock: time.clock)
        }

        func path(_ name: String) -> String { logs.appendingPathComponent(name).path }

        func write(_ bytes: [UInt8], to name: String) throws {
            try Data(bytes).write(to: logs.appendingPathComponent(name))
        }

        func append(_ bytes: [UInt8], to name: String) throws {
            let handle = try FileHandle(forWritingTo: logs.appendingPathComponent(name))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data(bytes))
            try handle.close()
        }

        /// The alert ids the sink took, once `session` has flushed (and so committed) what it sent.
        func alertIDs(_ session: TailSession) throws -> [String] {
            try session.commit()
            return deliveries.alertIDs
        }
    }

    @Test func aGrowingFileIsReadOnceAndANewSessionResumesAfterTheCommit() throws {
        let harness = try Harness()
        try harness.write(TailRun.records(from: 0, count: 3), to: "a.jsonl")
        let session = try harness.session()
        try session.examine(harness.path("a.jsonl"))
        #expect(try harness.alertIDs(session).count == 3)

        harness.time.advance(1)
        try harness.append(TailRun.records(from: 3, count: 2), to: "a.jsonl")
        try session.examine(harness.path("a.jsonl"))
        #expect(try harness.alertIDs(session).count == 5, "only what the file gained is read")
        try session.commit()
        let committed = try harness.state.load().files
        #expect(committed.count == 1 && committed.first?.records == 5 && committed.first?.isComplete == true)

        // A restart reads nothing again; what is added later is read.
        let restarted = try harness.session()
        try restarted.examine(harness.path("a.jsonl"))
        #expect(try harness.alertIDs(restarted).count == 5)
        try harness.append(TailRun.records(from: 5, count: 1), to: "a.jsonl")
        harness.time.advance(1)
        try restarted.examine(harness.path("a.jsonl"))
        #expect(try harness.alertIDs(restarted).count == 6)
        #expect(Set(try harness.alertIDs(restarted)).count == 6)
        #expect(harness.problems.isEmpty)
    }

    @Test func aDatabaseLogBeingWrittenIsReadLineByLineAndResumedAfterTheCommit() throws {
        let harness = try Harness()
        let line = { (second: Int) in
            "2026-11-20 09:41:\(10 + second) UTC:198.51.100.23(53422):app@billing:[8812]:FATAL:  password authentication failed for user \"app\"\n"
        }
        try harness.write(Array((line(0) + line(1)).utf8), to: "postgresql.log.2026-11-20-09")
        let session = try harness.session()
        try session.examine(harness.path("postgresql.log.2026-11-20-09"))
        #expect(try harness.alertIDs(session).count == 2)
        harness.time.advance(1)
        // A statement over several lines arrives whole, then a line without its newline yet.
        let statement = "2026-11-20 09:41:20 UTC:198.51.100.23(53422):app@billing:[8812]:LOG:  AUDIT: SESSION,1,1,READ,SELECT,TABLE,public.cards,\"SELECT *\n\tFROM cards\",<none>\n"
        try harness.append(Array((statement + String(line(2).dropLast())).utf8), to: "postgresql.log.2026-11-20-09")
        try session.examine(harness.path("postgresql.log.2026-11-20-09"))
        #expect(try harness.alertIDs(session).count == 3, "the unfinished last line waits")
        try session.commit()
        let restarted = try harness.session()
        harness.time.advance(1)
        try harness.append(Array("\n".utf8), to: "postgresql.log.2026-11-20-09")
        try restarted.examine(harness.path("postgresql.log.2026-11-20-09"))
        #expect(try harness.alertIDs(restarted).count == 4)
        #expect(Set(try harness.alertIDs(restarted)).count == 4)
        #expect(harness.problems.isEmpty, "\(harness.problems)")
    }

    @Test func anUnfinishedLastRecordWaitsForTheSettleTimeThenIsReportedOnce() throws {
        let harness = try Harness()
        harness.options.settleTime = 10
        var bytes = TailRun.records(from: 0, count: 2)
        bytes += Array(#"{"eventVersion":"1.08","eventTime":"2026-11-20T10:00:00Z","event"#.utf8)
        try harness.write(bytes, to: "a.jsonl")
        let session = try harness.session()
        try session.examine(harness.path("a.jsonl"))
        #expect(try harness.alertIDs(session).count == 2)
        #expect(harness.problems.isEmpty, "a record still being written is no problem yet")
        #expect(session.filesWaiting == 1)
        let recheck = try #require(session.nextRecheck)
        #expect(session.pathsDue(at: recheck - 0.01).isEmpty)

        harness.time.advance(11)
        #expect(session.pathsDue(at: 1_000 + 11) == [harness.path("a.jsonl")])
        try session.examine(harness.path("a.jsonl"))
        #expect(harness.problems.count == 1, "\(harness.problems)")
        #expect(session.filesWaiting == 0)
        harness.time.advance(11)
        try session.examine(harness.path("a.jsonl"))
        #expect(harness.problems.count == 1, "reported once")
        #expect(try harness.alertIDs(session).count == 2)
    }

    @Test func aRenamedFileIsTheSameFileAndAReplacedOneIsReadFromTheStart() throws {
        let harness = try Harness()
        try harness.write(TailRun.records(from: 0, count: 3), to: "download.tmp")
        let session = try harness.session()
        try session.examine(harness.path("download.tmp"))
        #expect(try harness.alertIDs(session).count == 3)

        // A sync tool's temporary name moved into place: not read again.
        try FileManager.default.moveItem(atPath: harness.path("download.tmp"), toPath: harness.path("a.jsonl"))
        try session.examine(harness.path("a.jsonl"))
        try session.examine(harness.path("download.tmp"))
        #expect(try harness.alertIDs(session).count == 3)
        #expect(session.files.count == 1)

        // Rewritten shorter in place (truncated): read again from the start, and said so.
        harness.time.advance(1)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: harness.path("a.jsonl")))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(TailRun.records(from: 10, count: 2)))
        try handle.close()
        try session.examine(harness.path("a.jsonl"))
        #expect(try harness.alertIDs(session).count == 5)
        #expect(harness.notices.contains { $0.contains("replaced or truncated") }, "\(harness.notices)")
    }

    @Test func fromNowPassesOverWhatWasThereAndReadsWhatIsAdded() throws {
        let harness = try Harness()
        harness.options.fromNow = true
        try harness.write(TailRun.records(from: 0, count: 4), to: "a.jsonl")
        let session = try harness.session()
        try session.examine(harness.path("a.jsonl"), firstLook: true)
        #expect(try harness.alertIDs(session).isEmpty)

        harness.time.advance(1)
        try harness.append(TailRun.records(from: 4, count: 2), to: "a.jsonl")
        try session.examine(harness.path("a.jsonl"))
        #expect(try harness.alertIDs(session).count == 2)
        try harness.write(TailRun.records(from: 6, count: 1), to: "b.jsonl")
        try session.examine(harness.path("b.jsonl"))
        #expect(try harness.alertIDs(session).count == 3, "a file new after the start is read whole")
    }

    @Test func aLargeFileIsCommittedInBatchesWhileItIsRead() throws {
        let harness = try Harness()
        harness.options.batchRecords = 10
        try harness.write(TailRun.records(from: 0, count: 35), to: "a.jsonl")
        let session = try harness.session()
        try session.examine(harness.path("a.jsonl"))
        #expect(harness.ticks == 3, "a commit after every 10 records")
        // The last commit was made at record 30: a crash now would read the last 5 again.
        #expect(try harness.state.load().files.first?.records == 30)
        #expect(session.hasUncommittedWork)
        try session.commit()
        #expect(try harness.state.load().files.first?.records == 35)
        #expect(try harness.alertIDs(session).count == 35)
    }
}

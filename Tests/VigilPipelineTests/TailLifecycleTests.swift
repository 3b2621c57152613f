import Foundation
import Testing
import VigilTestSupport
#if canImport(Glibc)
import Glibc
#endif

/// Reloads, status, `--from-now` and files that change under the tail.
@Suite(.serialized) struct TailLifecycleTests {
    static let iamRule = #"{"name": "e2e-iam-api-call", "severity": "medium", "eventPattern": {"source": ["aws.iam"]}}"#

    static func iamRecords(from first: Int, count: Int) -> [UInt8] {
        Array((first..<(first + count)).map { index in
            #"{"eventVersion":"1.08","eventTime":"2026-11-20T10:00:00Z","eventSource":"iam.amazonaws.com","#
                + #""eventName":"CreateUser","awsRegion":"us-east-1","eventID":"iam-\#(index)","#
                + #""eventType":"AwsApiCall","recipientAccountId":"111122223333"}"# + "\n"
        }.joined().utf8)
    }

    @Test(.timeLimit(.minutes(2)))
    func aBrokenRuleFileIsRefusedAndAFixedOneReloads() throws {
        let run = try TailRun()
        let tail = try run.start()
        try #require(run.waitUntilFollowing(tail), "\(tail.errorOutput)")
        try TailRun.writeAtomically(TailRun.records(from: 0, count: 2), to: run.logs.appendingPathComponent("a.jsonl"), hidden: true)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 2 })

        // An edit that breaks the rule file: refused, the old rules keep alerting.
        try Data(#"{"name": "e2e-rds-api-call", "eventPattern": {"source": ["aws.rds"]"#.utf8)
            .write(to: run.rules.appendingPathComponent("rds.json"))
        #expect(Polling.eventually(within: 8) { tail.errorOutput.contains("refused") }, "\(tail.errorOutput)")
        try TailRun.writeAtomically(TailRun.records(from: 2, count: 2), to: run.logs.appendingPathComponent("b.jsonl"), hidden: true)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 4 }, "\(tail.errorOutput)")

        // Fixed, and a new rule added: reloaded, and the new rule alerts.
        try Data(DeliveryFixtures.rdsRule.utf8).write(to: run.rules.appendingPathComponent("rds.json"))
        try Data(Self.iamRule.utf8).write(to: run.rules.appendingPathComponent("iam.json"))
        #expect(Polling.eventually(within: 8) { tail.errorOutput.contains("reloaded, 2 rules") }, "\(tail.errorOutput)")
        try TailRun.writeAtomically(Self.iamRecords(from: 0, count: 3), to: run.logs.appendingPathComponent("c.jsonl"), hidden: true)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 7 }, "\(tail.errorOutput)")

        // SIGHUP reloads too.
        _ = Glibc.kill(tail.process.processIdentifier, SIGHUP)
        #expect(Polling.eventually(within: 5) { tail.errorOutput.contains("SIGHUP: reloaded") }, "\(tail.errorOutput)")
        #expect(tail.signal(SIGTERM) == 0)
        let ids = run.alertIDs()
        #expect(ids.count == Set(ids).count, "a reload sends nothing twice")
    }

    @Test(.timeLimit(.minutes(2)))
    func aSIGTERMWhileTheRulesLoadStopsTheTailCleanly() throws {
        let run = try TailRun()
        // Enough rules that loading them takes a while: the signal comes in the middle of it.
        let rules = (0..<3_000).map { index in
            #"{"name": "r\#(index)", "severity": "low", "eventPattern": {"source": ["aws.rds"], "detail": {"eventName": ["E\#(index)"]}}}"#
        }
        try Data(("[" + rules.joined(separator: ",\n") + "]").utf8).write(to: run.rules.appendingPathComponent("many.json"))
        // Started as a shell starts it, with SIGTERM neither blocked nor ignored (the test runner
        // blocks it in the processes it starts, which would hide the defect).
        let launcher = "import os, signal, sys\n"
            + "signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM, signal.SIGINT})\n"
            + "signal.signal(signal.SIGTERM, signal.SIG_DFL)\n"
            + "os.execv(sys.argv[1], sys.argv[1:])\n"
        let tail = try VigilProcess(URL(fileURLWithPath: "/usr/bin/python3"),
                                    ["-c", launcher, run.vigil.path, "tail", "--rules", run.rules.path, "--sink", "file:" + run.alerts,
                                     "--state", run.state, "--health-interval", "0", run.logs.path],
                                    outputIn: run.scratch, label: "tail")
        // The signal comes as soon as vigil catches SIGTERM (its handlers installed), or 1.5 s after the
        // exec when it does not catch it by then: either way while the 3,000 rules still load.
        let pid = tail.process.processIdentifier
        var executable = [CChar](repeating: 0, count: 4096)
        var execed: Date?
        let started = Date()
        while Date().timeIntervalSince(started) < 10 {
            if execed == nil {
                let count = readlink("/proc/\(pid)/exe", &executable, executable.count - 1)
                if count > 0, String(decoding: executable[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self) == run.vigil.path {
                    execed = Date()
                }
            }
            if let execed {
                if Self.catchesSIGTERM(pid) || Date().timeIntervalSince(execed) > 1.5 { break }
            }
            usleep(1_000)
        }
        #expect(!tail.errorOutput.contains("following"), "the signal was meant to come while the rules load")
        #expect(tail.signal(SIGTERM) == 0, "\(tail.errorOutput)")
        #expect(tail.process.terminationReason == .exit)
    }

    /// Whether process `pid` has a handler for SIGTERM (the SigCgt mask of /proc/PID/status).
    static func catchesSIGTERM(_ pid: Int32) -> Bool {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("SigCgt:") }),
              let mask = UInt64(line.dropFirst("SigCgt:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return mask & (1 << (UInt64(SIGTERM) - 1)) != 0
    }

    @Test(.timeLimit(.minutes(2)))
    func statusReportsARunningAndAStoppedTail() throws {
        let run = try TailRun()
        try Data(TailRun.records(from: 0, count: 5)).write(to: run.logs.appendingPathComponent("a.jsonl"))
        let tail = try run.start()
        try #require(run.waitUntilFollowing(tail))
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 5 })
        let running = try VigilProcess(run.vigil, ["status", "--state", run.state], outputIn: run.scratch, label: "status-running")
        #expect(running.waitForExit(within: 10) == 0)
        let text = try String(contentsOf: running.standardOutput, encoding: .utf8)
        #expect(text.contains("tail: running (pid \(tail.process.processIdentifier))"), "\(text)")
        #expect(text.contains("5 records, 5 alerts"), "\(text)")
        #expect(text.contains("files: 1 tracked"), "\(text)")

        #expect(tail.signal(SIGINT) == 0)
        let stopped = try VigilProcess(run.vigil, ["status", "--state", run.state], outputIn: run.scratch, label: "status-stopped")
        #expect(stopped.waitForExit(within: 10) == 1, "exit 1: no tail is running")
        #expect(try String(contentsOf: stopped.standardOutput, encoding: .utf8).contains("not running (last state: stopped)"))
    }

    @Test(.timeLimit(.minutes(2)))
    func fromNowSkipsWhatIsThereButNotWhatIsAdded() throws {
        let run = try TailRun()
        let existing = run.logs.appendingPathComponent("existing.jsonl")
        try Data(TailRun.records(from: 0, count: 3)).write(to: existing)
        try Data(TailRun.gzippedCloudTrailFile(from: 3, count: 3)).write(to: run.logs.appendingPathComponent("old.json.gz"))
        let tail = try run.start(["--from-now"])
        try #require(run.waitUntilFollowing(tail))
        usleep(1_000_000)
        #expect(run.alertIDs().isEmpty, "what was there is skipped")

        let handle = try FileHandle(forWritingTo: existing)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(TailRun.records(from: 10, count: 2)))
        try handle.close()
        try TailRun.writeAtomically(TailRun.records(from: 20, count: 1), to: run.logs.appendingPathComponent("new.jsonl"), hidden: true)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 3 }, "\(tail.errorOutput)")
        #expect(tail.signal(SIGTERM) == 0)

        // A restart remembers where the files stood, and reads what arrived while it was
        // stopped, --from-now or not: that option is for the first start only.
        try Data(TailRun.records(from: 30, count: 2)).write(to: run.logs.appendingPathComponent("while-stopped.jsonl"))
        let again = try run.start(["--from-now"], label: "again")
        try #require(run.waitUntilFollowing(again))
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 5 }, "\(again.errorOutput)")
        usleep(500_000)
        #expect(again.signal(SIGTERM) == 0)
        #expect(run.alertIDs().count == 5)
    }

    @Test(.timeLimit(.minutes(2)))
    func replacedTruncatedAndRecreatedFilesAreReadAgain() throws {
        let run = try TailRun()
        let tail = try run.start()
        try #require(run.waitUntilFollowing(tail))
        let file = run.logs.appendingPathComponent("a.jsonl")
        try TailRun.writeAtomically(TailRun.records(from: 0, count: 3), to: file, hidden: true)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 3 })
        // Replaced by rename.
        try TailRun.writeAtomically(TailRun.records(from: 10, count: 3), to: file, hidden: true)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 6 }, "\(tail.errorOutput)")
        // Truncated and written again in place (copytruncate).
        let handle = try FileHandle(forWritingTo: file)
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(TailRun.records(from: 20, count: 2)))
        try handle.close()
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 8 }, "\(tail.errorOutput)")
        // Deleted, and a new file under the same name (the inode may be reused).
        try FileManager.default.removeItem(at: file)
        try Data(TailRun.records(from: 30, count: 1)).write(to: file)
        #expect(Polling.eventually(within: 5) { run.alertIDs().count == 9 }, "\(tail.errorOutput)")
        #expect(tail.signal(SIGTERM) == 0)
        #expect(Set(run.alertIDs()).count == 9)
    }
}

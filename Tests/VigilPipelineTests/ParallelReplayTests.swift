import Foundation
import Testing
import VigilTestSupport
import VigilPipeline

/// A replay on several threads gives what one thread gives: the same alerts in the same order,
/// the same dedup and threshold decisions across files, the same problems in the same order.
@Suite struct ParallelReplayTests {
    @Test(arguments: [2, 4])
    func theSampleLogsGiveTheSameAlertsInTheSameOrder(jobs: Int) throws {
        let one = try PipelineFixtures.replay([PipelineFixtures.sampleLogs])
        let many = try PipelineFixtures.replay([PipelineFixtures.sampleLogs], jobs: jobs)
        #expect(one.lines.count == 16)
        #expect(many.lines == one.lines)
        #expect(many.summary.records == one.summary.records && many.summary.events == one.summary.events)
        #expect(many.summary.suppressedByDedup == one.summary.suppressedByDedup)
        #expect(many.summary.heldByThreshold == one.summary.heldByThreshold)
        #expect(many.summary.duplicateAlerts == one.summary.duplicateAlerts)
    }

    /// Thresholds and dedup windows that span many files, bad files between good ones, and
    /// files of every size: decided as one thread decides them.
    @Test func windowsAcrossFilesAndProblemsComeOutAsOnOneThread() throws {
        let directory = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var random = SeededRandom(seed: 6)
        let start = 1_763_629_200
        for file in 0..<40 {
            // Rejected probes of PostgreSQL from a few internet sources, spread thinly over files
            // so that every threshold burst spans several of them.
            var lines = ["version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"]
            let count = Int(random.next() % 60)
            for line in 0..<count {
                let source = "203.0.113.\(random.next() % 3 + 1)"
                let time = start + file * 20 + line % 20
                lines.append("2 111122223333 eni-0a1b2c3d \(source) 10.0.1.5 \(40_000 + line) 5432 6 1 40 \(time) \(time + 10) REJECT OK")
            }
            let name = String(format: "%03d-flows.log", file)
            try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: directory.appendingPathComponent(name))
            if file % 9 == 4 {
                try Data("{\"Records\":[{\"eventVersion\":".utf8).write(to: directory.appendingPathComponent(String(format: "%03d-broken.json", file)))
            }
        }
        let one = try PipelineFixtures.replay([directory.path])
        #expect(one.lines.count > 5, "thresholds fire")
        #expect(!one.problems.isEmpty)
        for jobs in [2, 3, 8] {
            let many = try PipelineFixtures.replay([directory.path], jobs: jobs)
            #expect(many.lines == one.lines, "jobs \(jobs)")
            #expect(many.problems == one.problems, "jobs \(jobs)")
            #expect(many.summary.heldByThreshold == one.summary.heldByThreshold, "jobs \(jobs)")
            #expect(many.summary.records == one.summary.records, "jobs \(jobs)")
        }
    }
}

import Foundation
import Testing
import VigilAlerts

/// Loading grows linearly with the number of rules in a file, and still locates each one.
@Suite("Rule files at scale")
struct RuleLoaderScaleTests {
    /// `count` rules in one array, one per line after the first.
    static func ruleFile(count: Int) -> String {
        let rules = (0..<count).map { index in
            #"{"name":"rule-\#(index)","severity":"low","eventPattern":{"source":["aws.s3"],"detail":{"eventName":["Action\#(index)"]}}}"#
        }
        return "[\n" + rules.joined(separator: ",\n") + "\n]\n"
    }

    /// CPU time of this thread (not wall time, so that other tests and builds running alongside
    /// do not count) for loading `file`, the least of three runs.
    static func loadingTime(_ file: String) -> (seconds: Double, result: RuleLoader.Result) {
        var best = Double.infinity
        var result: RuleLoader.Result?
        for _ in 0..<3 {
            let start = threadTime()
            result = RuleLoader.load(paths: [file])
            best = min(best, threadTime() - start)
        }
        return (best, result!)
    }

    static func threadTime() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }

    @Test func fourTimesTheRulesCostAboutFourTimesTheTime() throws {
        let directory = try AlertsFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var files: [String] = []
        for count in [1_000, 4_000] {
            let file = directory.appendingPathComponent("rules-\(count).json")
            try Data(Self.ruleFile(count: count).utf8).write(to: file)
            files.append(file.path)
        }
        let small = Self.loadingTime(files[0])
        let large = Self.loadingTime(files[1])
        #expect(large.result.problems.isEmpty)
        #expect(large.result.rules.count == 4_000)
        #expect(large.result.rules.last?.line == 4_001, "each rule is located on its own line")
        #expect(large.result.rules.first?.line == 2)
        // Linear growth gives about 4; the quadratic loader this replaced gave about 15.
        let ratio = large.seconds / small.seconds
        #expect(ratio < 8, "1,000 rules \(small.seconds) s, 4,000 rules \(large.seconds) s: \(ratio) x")
    }
}

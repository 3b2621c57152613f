import Foundation
import Testing
import VigilAlerts
import VigilPattern

/// Loading rules grows linearly with the number of rules in a file (and still locates each one),
/// and compiling them with the number of values in a pattern.
@Suite("Rules at scale")
struct RuleLoaderScaleTests {
    /// `count` rules in one array, one per line after the first.
    static func ruleFile(count: Int) -> String {
        let rules = (0..<count).map { index in
            #"{"name":"rule-\#(index)","severity":"low","eventPattern":{"source":["aws.s3"],"detail":{"eventName":["Action\#(index)"]}}}"#
        }
        return "[\n" + rules.joined(separator: ",\n") + "\n]\n"
    }

    /// CPU time of this thread (not wall time, so that other tests and builds running alongside
    /// do not count) for `work`, the least of three runs, with the last run's result.
    static func threadTime<Result>(of work: () throws -> Result) rethrows -> (seconds: Double, result: Result) {
        var best = Double.infinity
        var result: Result?
        for _ in 0..<3 {
            let start = threadTime()
            result = try work()
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
        let small = Self.threadTime { RuleLoader.load(paths: [files[0]]) }
        let large = Self.threadTime { RuleLoader.load(paths: [files[1]]) }
        #expect(large.result.problems.isEmpty)
        #expect(large.result.rules.count == 4_000)
        #expect(large.result.rules.last?.line == 4_001, "each rule is located on its own line")
        #expect(large.result.rules.first?.line == 2)
        // Linear growth gives about 4; the quadratic loader this replaced gave about 15.
        let ratio = large.seconds / small.seconds
        #expect(ratio < 8, "1,000 rules \(small.seconds) s, 4,000 rules \(large.seconds) s: \(ratio) x")
    }

    @Test func fourTimesTheValuesInAPatternCostAboutFourTimesTheTimeToCompile() throws {
        func pattern(values: Int) throws -> EventPattern {
            try EventPattern(json: #"{"detail":{"eventName":["# + (0..<values).map { "\"Action\($0)\"" }.joined(separator: ",") + "]}}")
        }
        let (smallPattern, largePattern) = (try pattern(values: 2_000), try pattern(values: 8_000))
        let small = Self.threadTime { CompiledPatternSet([(name: "small", pattern: smallPattern)]) }
        let large = Self.threadTime { CompiledPatternSet([(name: "large", pattern: largePattern)]) }
        #expect(try large.result.matchingNames(json: #"{"detail":{"eventName":"Action7999"}}"#) == ["large"])
        // Linear growth gives about 4; the compiler this replaced gave about 16.
        let ratio = large.seconds / small.seconds
        #expect(ratio < 8, "2,000 values \(small.seconds) s, 8,000 values \(large.seconds) s: \(ratio) x")
    }
}

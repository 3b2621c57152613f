import Foundation
import Testing

/// `vigil hunt` as a user runs it: PATTERN told from paths, the exit status as grep's (0 found, 1
/// none, 2 an error, input problems included even with matches), `--explain`.
@Suite struct HuntCommandLineTests {
    struct Run {
        var status: Int32?
        var output: String
        var errors: String
    }

    static func vigil(_ arguments: [String]) throws -> Run {
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let process = try VigilProcess(try VigilExecutable.url(), ["hunt"] + arguments, outputIn: scratch, label: "hunt")
        let status = process.waitForExit(within: 120)
        let output = (try? String(contentsOf: process.standardOutput, encoding: .utf8)) ?? ""
        return Run(status: status, output: output, errors: process.errorOutput)
    }

    @Test func foundIsZeroNoneIsOne() throws {
        let found = try Self.vigil(["--quiet", "--ip", "198.51.100.23", PipelineFixtures.sampleLogs])
        #expect(found.status == 0, "\(found.errors)")
        #expect(found.output.split(separator: "\n").count > 40)
        #expect(found.errors.isEmpty, "--quiet prints no summary: \(found.errors)")
        let none = try Self.vigil(["{\"detail\":{\"eventName\":[\"NoSuchCall\"]}}", PipelineFixtures.sampleLogs])
        #expect(none.status == 1, "\(none.errors)")
        #expect(none.output.isEmpty)
        #expect(none.errors.contains("vigil hunt: "), "the summary goes to stderr")
    }

    @Test func inputProblemsMakeItTwoEvenWithMatches() throws {
        let directory = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let good = #"{"Records":[{"eventVersion":"1.08","eventTime":"2026-11-20T10:00:00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"us-east-1","eventID":"e1","eventType":"AwsApiCall","recipientAccountId":"111122223333"}]}"#
        try Data(good.utf8).write(to: directory.appendingPathComponent("a.json"))
        try Data(#"{"Records":[{"eventName":"StopLogging", oops}]}"#.utf8).write(to: directory.appendingPathComponent("b.json"))
        let run = try Self.vigil(["--quiet", #"{"detail":{"eventName":["StopLogging"]}}"#, directory.path])
        #expect(run.status == 2, "\(run.errors)")
        #expect(run.output.split(separator: "\n").count == 1, "the match is printed all the same")
        #expect(run.errors.contains("b.json"), "the problem is reported with its file: \(run.errors)")
    }

    @Test func aBadPatternOrPivotIsTwo() throws {
        let pattern = try Self.vigil([#"{"detail":["#, PipelineFixtures.sampleLogs])
        #expect(pattern.status == 2)
        #expect(pattern.errors.contains("pattern: invalid pattern"), "\(pattern.errors)")
        let pivot = try Self.vigil(["--ip", "orders-db", PipelineFixtures.sampleLogs])
        #expect(pivot.status == 2)
        #expect(pivot.errors.contains("not an IP address or CIDR block"), "\(pivot.errors)")
    }

    @Test func explainPrintsThePatternsAndReadsNothing() throws {
        let run = try Self.vigil(["--explain", "--ip", "198.51.100.23", "--resource", "orders-db", "/nonexistent"])
        #expect(run.status == 0, "\(run.errors)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix("# an event is shown when it matches every pattern") == true)
        let patterns = lines.filter { !$0.hasPrefix("#") }
        #expect(patterns.count == 2)
        for pattern in patterns {
            #expect((try? JSONSerialization.jsonObject(with: Data(pattern.utf8))) != nil, "\(pattern)")
        }
        #expect(patterns[0].contains(#""sourceIPAddress":["198.51.100.23"]"#))
        #expect(patterns[1].contains(#"{"suffix":":orders-db"}"#))
    }

    @Test func fieldsAndLimit() throws {
        let run = try Self.vigil(["--quiet", "--limit", "2", "--fields", "time,detail.srcaddr,detail.action",
                                  "--ip", "198.51.100.23", PipelineFixtures.sampleLogs])
        #expect(run.status == 0, "\(run.errors)")
        let lines = run.output.split(separator: "\n").map(String.init)
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0.split(separator: "\t", omittingEmptySubsequences: false).count == 3 })
    }
}

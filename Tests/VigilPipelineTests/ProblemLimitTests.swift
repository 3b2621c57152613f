import Foundation
import Testing
import VigilIngest
import VigilPipeline

/// A file of many bad records: its first problems are listed, the rest counted in one line, and
/// the summary counts every one, on one thread or several.
@Suite struct ProblemLimitTests {
    @Test func problemsPastTheLimitAreCountedInOneLine() throws {
        let directory = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        // 5,000 records that are no kind of event, then a file with one bad record after it.
        try Data(String(repeating: "{}\n", count: 5_000).utf8).write(to: directory.appendingPathComponent("a-empty.json"))
        try Data("{\"Records\":[{\"eventVersion\":".utf8).write(to: directory.appendingPathComponent("b-broken.json"))
        let one = try PipelineFixtures.replay([directory.path])
        #expect(one.summary.problems[.unrecognizedRecord] == 5_000)
        #expect(one.problems.count == ListedProblems.standardLimit + 2)
        let summary = try #require(one.problems.dropLast().last)
        #expect(summary.description.hasSuffix("a-empty.json: … and 4,900 more like it (unrecognized record), not listed one by one"))
        #expect(one.problems.last?.path.hasSuffix("b-broken.json") == true)
        // Several threads print the same, in file order.
        let many = try PipelineFixtures.replay([directory.path], jobs: 2)
        #expect(many.problems == one.problems)
    }
}

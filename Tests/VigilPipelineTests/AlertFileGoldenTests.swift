import Foundation
import Testing
import VigilPipeline

/// The alert file's bytes, against a golden file written by commit a946f28's `vigil replay` (the
/// build before alerts were written by copying bytes; main at 1e7a755 writes the same): however
/// alerts are assembled, buffered and written, the file a user gets must not change by a byte.
///
/// The input is every source of SampleLogs plus the pretty-printed fixtures (CloudTrail, Config,
/// Security Hub: their records must come out compacted); the rules are the shipped pack (its
/// thresholds add members to an alert), the alert-heavy benchmark set (several alerts for one
/// event) and a rule that matches every event, so that every event of every kind is written.
/// Paths in the golden file start with `REPO/` where the repository's path was.
///
/// Written by: `vigil replay --jobs 1 --rules Rules --rules Benchmarks/alert-heavy-rules
/// --rules Tests/Fixtures/alerts/every-event.json --sink file:OUT $PWD/SampleLogs
/// $PWD/Tests/Fixtures/cloudtrail $PWD/Tests/Fixtures/config $PWD/Tests/Fixtures/securityhub`,
/// then `$PWD` replaced by `REPO`.
@Suite("Alert file bytes against the golden file of a946f28")
struct AlertFileGoldenTests {
    static let fixtures = PipelineFixtures.repository.appendingPathComponent("Tests/Fixtures")
    static let inputs = [PipelineFixtures.sampleLogs] + ["cloudtrail", "config", "securityhub"].map {
        fixtures.appendingPathComponent($0).path
    }
    static let rules = [PipelineFixtures.rules,
                        PipelineFixtures.repository.appendingPathComponent("Benchmarks/alert-heavy-rules").path,
                        fixtures.appendingPathComponent("alerts/every-event.json").path]

    @Test(arguments: [1, 2])
    func alertFileIsByteForByteTheGolden(jobs: Int) throws {
        let golden = try String(contentsOf: Self.fixtures.appendingPathComponent("alerts/golden-alerts.jsonl"), encoding: .utf8)
        let outcome = try PipelineFixtures.replay(Self.inputs, rules: Self.rules, jobs: jobs)
        let written = outcome.text.replacingOccurrences(of: PipelineFixtures.repository.path + "/", with: "REPO/")
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.lines.count > 400)
        let goldenLines = golden.split(separator: "\n", omittingEmptySubsequences: false)
        let writtenLines = written.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(writtenLines.count == goldenLines.count)
        // The first line that differs, rather than two files of 600 lines each in the failure.
        if let first = zip(writtenLines, goldenLines).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            Issue.record("line \(first + 1) differs:\n\(writtenLines[first])\nexpected:\n\(goldenLines[first])")
        }
        #expect(written == golden)
    }
}

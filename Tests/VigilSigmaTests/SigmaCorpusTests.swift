import Foundation
import Testing
import VigilAlerts
import VigilSigma
import VigilTestSupport

/// SigmaHQ's 57 AWS CloudTrail rules (../shared/corpus/sigma-aws/cloudtrail): how many convert,
/// that each refusal says why, that every converted rule loads and passes its generated tests, and
/// that it decides every CloudTrail record of the corpus as pySigma's DuckDB backend does.
@Suite("SigmaHQ's CloudTrail rules", .enabled(if: SigmaCorpus.isPresent, "../shared/corpus is not beside the package"))
struct SigmaCorpusTests {
    /// Issue 19's target.
    static let minimumConverted = 45

    @Test("at least 45 of the 57 rules convert; every refusal names its reason; every rule passes its tests")
    func corpusConverts() throws {
        let outcome = SigmaImport.run(paths: [SigmaCorpus.rules.path])
        #expect(outcome.files == 57)
        #expect(outcome.rules.count >= Self.minimumConverted,
                "\(outcome.rules.count) converted; refused: \(outcome.problems.map(\.description).joined(separator: "\n"))")
        #expect(outcome.problems.allSatisfy { $0.kind == .refused && $0.reason.count > 20 },
                "\(outcome.problems.map(\.description))")
        for rule in outcome.rules {
            let loaded = try SigmaFixtures.load(rule)
            #expect(loaded.problems.isEmpty, "\(rule.name): \(loaded.problems.map(\.description))")
            let vigilRule = try #require(loaded.rules.first)
            let outcomes = RuleTestRunner.run(vigilRule)
            #expect(rule.matchingTests >= 1 && rule.nonMatchingTests >= 1, "\(rule.name)")
            #expect(outcomes.count == rule.matchingTests + rule.nonMatchingTests)
            for failed in outcomes where !failed.passed {
                Issue.record("\(rule.name): test \(failed.test.name) failed")
            }
        }
    }

    /// pySigma and DuckDB come from PyPI (`.ci/run` installs them); outside CI their absence skips.
    static var agreementCanRun: Bool {
        if ProcessInfo.processInfo.environment["CI"].map({ !$0.isEmpty }) ?? false { return true }
        let probe = Process()
        probe.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        probe.arguments = ["python3", "-c", "import sigma, sigma_backend_duckdb, duckdb"]
        probe.standardOutput = FileHandle.nullDevice
        probe.standardError = FileHandle.nullDevice
        guard (try? probe.run()) != nil else { return false }
        probe.waitUntilExit()
        return probe.terminationStatus == 0
    }

    @Test("every converted rule agrees with pySigma's DuckDB backend on every corpus record and generated test",
          .enabled(if: agreementCanRun, "pySigma, pysigma-backend-duckdb or duckdb is not installed (pip install pysigma pysigma-backend-duckdb duckdb)"))
    func agreementWithPySigma() throws {
        let script = SigmaCorpus.packageRoot.appendingPathComponent("Tests/VigilSigmaTests/Support/sigma_agreement.py").path
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sigma-agreement-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--vigil", try VigilExecutable.url().path, "--sigma", SigmaCorpus.rules.path,
                             "--corpus", SigmaCorpus.cloudTrail.path, "--work", work.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(text)")
        #expect(text.contains(": 0 disagreements"), "\(text)")
    }
}

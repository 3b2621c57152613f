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
        let (status, text) = try Self.runAgreement()
        #expect(status == 0, "\(text)")
        #expect(text.contains(": 0 disagreements"), "\(text)")
    }

    /// SigmaHQ's rules use few of the constructs (no number, no `re`, no `cased`, no array of
    /// objects): rules written for this test use each, over the corpus and records made to probe
    /// the edges (other case, numbers and booleans as text, null, absent fields, two array
    /// elements). Tests/Fixtures/sigma-constructs; before integers matched JSON numbers, 16 of
    /// its records disagreed.
    @Test("rules written to use every converted construct agree with pySigma on the corpus and edge records",
          .enabled(if: agreementCanRun, "pySigma, pysigma-backend-duckdb or duckdb is not installed"))
    func constructsAgreeWithPySigma() throws {
        let fixtures = SigmaCorpus.packageRoot.appendingPathComponent("Tests/Fixtures/sigma-constructs")
        let (status, text) = try Self.runAgreement(sigma: fixtures.appendingPathComponent("rules").path,
                                                   ["--corpus", fixtures.appendingPathComponent("records.jsonl").path])
        #expect(status == 0, "\(text)")
        #expect(text.contains("9 of 9 Sigma rules converted"), "\(text)")
        #expect(text.contains(": 0 disagreements"), "\(text)")
    }

    /// The check above can fail: the converted rules made case-sensitive (each `equals-ignore-case`
    /// replaced by its plain value, the generated tests dropped so that only the corpus decides)
    /// disagree with pySigma where the corpus spells a value otherwise than the Sigma rule
    /// (SigmaHQ's `MFAUsed: 'NO'`, CloudTrail's `"No"`).
    @Test("the agreement check catches a conversion that compares case-sensitively",
          .enabled(if: agreementCanRun, "pySigma, pysigma-backend-duckdb or duckdb is not installed"))
    func agreementCatchesCaseSensitiveRules() throws {
        let outcome = SigmaImport.run(paths: [SigmaCorpus.rules.path])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sigma-mutated-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for rule in outcome.rules {
            var object = try #require(try JSONSerialization.jsonObject(with: Data(rule.text.utf8)) as? [String: Any])
            object["eventPattern"] = Self.caseSensitive(object["eventPattern"]!)
            object["tests"] = []
            let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
            try data.write(to: directory.appendingPathComponent(rule.name + ".json"))
        }
        let (status, text) = try Self.runAgreement(["--rules", directory.path])
        #expect(status == 1, "\(text)")
        #expect(text.contains("DISAGREE aws_cloudtrail_console_login_success_without_mfa.yml"), "\(text)")
        #expect(!text.contains(": 0 disagreements"), "\(text)")
    }

    /// `{"equals-ignore-case": X}` replaced by `X` throughout a pattern.
    static func caseSensitive(_ value: Any) -> Any {
        if let object = value as? [String: Any] {
            if object.count == 1, let text = object["equals-ignore-case"] { return text }
            return object.mapValues(caseSensitive)
        }
        if let array = value as? [Any] { return array.map(caseSensitive) }
        return value
    }

    /// Runs Support/sigma_agreement.py on the Sigma rules in `sigma` over the shared corpus, with
    /// `arguments` added: its exit status and everything it printed.
    static func runAgreement(sigma: String = SigmaCorpus.rules.path, _ arguments: [String] = []) throws -> (Int32, String) {
        let script = SigmaCorpus.packageRoot.appendingPathComponent("Tests/VigilSigmaTests/Support/sigma_agreement.py").path
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("sigma-agreement-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: work) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, "--vigil", try VigilExecutable.url().path, "--sigma", sigma,
                             "--corpus", SigmaCorpus.cloudTrail.path, "--work", work.path] + arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, text)
    }
}

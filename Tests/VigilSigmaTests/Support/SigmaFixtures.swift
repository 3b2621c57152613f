import Foundation
import VigilAlerts
import VigilSigma

/// The shared corpus's SigmaHQ rules (`../shared/corpus/sigma-aws/cloudtrail`, DRL 1.1, from
/// SigmaHQ/sigma at 8eaafff; see its SOURCES.md) and helpers the Sigma tests share.
enum SigmaCorpus {
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // VigilSigmaTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root

    static let corpus = packageRoot.appendingPathComponent("../shared/corpus").standardizedFileURL
    static let rules = corpus.appendingPathComponent("sigma-aws/cloudtrail")
    static let cloudTrail = corpus.appendingPathComponent("cloudtrail")

    static var isPresent: Bool { FileManager.default.fileExists(atPath: rules.path) }
}

enum SigmaFixtures {
    /// Converts `yaml` as if read from `file`; the problem's reason on failure.
    static func convert(_ yaml: String, file: String = "rule.yml") -> Result<ConvertedSigmaRule, SigmaProblem> {
        SigmaConverter.convert(yaml: yaml, file: file)
    }

    /// A Sigma CloudTrail rule around `detection` (indented YAML of the detection's members).
    static func rule(_ detection: String, level: String = "medium", extra: String = "") -> String {
        """
        title: Test Rule
        id: 00000000-1111-4222-8333-444444444444
        status: test
        description: A rule written for these tests.
        author: Vigil tests
        date: 2026-12-07
        tags:
            - attack.defense-evasion
            - attack.t1562.008
        references:
            - https://example.com/sigma
        logsource:
            product: aws
            service: cloudtrail
        detection:
        \(detection)
        falsepositives:
            - Administrators
        level: \(level)
        \(extra)
        """
    }

    /// Loads a converted rule as `vigil rules validate` and `vigil rules test` would.
    static func load(_ rule: ConvertedSigmaRule) throws -> RuleLoader.Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sigma-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(rule.name + ".json")
        try Data(rule.text.utf8).write(to: file)
        return RuleLoader.load(paths: [file.path])
    }

    /// The rule file's event pattern as compact JSON text.
    static func pattern(_ rule: ConvertedSigmaRule) throws -> String {
        let object = try JSONSerialization.jsonObject(with: Data(rule.text.utf8)) as! [String: Any]
        let data = try JSONSerialization.data(withJSONObject: object["eventPattern"]!, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self)
    }
}

import Foundation
import Testing
@testable import VigilAlerts

@Suite("Rule export")
struct RuleExportTests {
    static let pack = #"""
        [{"name": "root-login", "description": "Root \"console\" sign-in", "severity": "high",
          "eventPattern": {"detail-type": ["AWS Console Sign In via CloudTrail"], "detail": {"userIdentity": {"type": ["Root"]}, "n": [1.50]}},
          "dedup": {"keys": ["$.detail.sourceIPAddress"], "window": "1h"}},
         {"name": "kms-off", "severity": "low", "state": "DISABLED", "eventPattern": {"source": ["aws.kms"]}}]
        """#

    func loadPack(extra: [String: String] = [:]) throws -> (RuleLoader.Result, URL) {
        let directory = try AlertsFixtures.temporaryDirectory()
        try Data(Self.pack.utf8).write(to: directory.appendingPathComponent("pack.json"))
        for (name, text) in extra { try Data(text.utf8).write(to: directory.appendingPathComponent(name)) }
        return (RuleLoader.load(paths: [directory.path]), directory)
    }

    @Test func theCloudFormationExportLoadsBackAsTheSameRules() throws {
        let (loaded, directory) = try loadPack()
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        let output = RuleExport.export(loaded.rules, format: .cloudformation)
        #expect(output.refused.isEmpty)
        #expect(output.notCarried.map(\.rule) == ["root-login"])
        #expect(output.notCarried.first?.reason.hasPrefix("dedup is not carried over") == true)
        let exported = directory.appendingPathComponent("exported.template")
        try Data(output.text.utf8).write(to: exported)
        let back = RuleLoader.load(paths: [exported.path])
        #expect(back.problems.isEmpty, "\(back.problems)")
        #expect(back.rules.map(\.name) == loaded.rules.map(\.name))
        #expect(back.rules.map(\.patternJSON) == loaded.rules.map(\.patternJSON))
        #expect(back.rules.map(\.isEnabled) == loaded.rules.map(\.isEnabled))
        #expect(back.rules.map(\.description) == loaded.rules.map(\.description))
    }

    @Test func theJSONExportLoadsBackAndTerraformCarriesPatternsAsText() throws {
        let (loaded, directory) = try loadPack()
        defer { try? FileManager.default.removeItem(at: directory) }
        let json = RuleExport.export(loaded.rules, format: .json)
        let exported = directory.appendingPathComponent("list-rules.out")
        try Data(json.text.utf8).write(to: exported)
        let back = RuleLoader.load(paths: [exported.path])
        #expect(back.rules.map(\.patternJSON) == loaded.rules.map(\.patternJSON))
        let terraform = RuleExport.export(loaded.rules, format: .terraform)
        let object = try JSONSerialization.jsonObject(with: Data(terraform.text.utf8)) as? [String: Any]
        let rules = (object?["resource"] as? [String: Any])?["aws_cloudwatch_event_rule"] as? [String: [String: Any]]
        #expect(rules?["rule_root-login"]?["event_pattern"] as? String == String(decoding: loaded.rules[0].patternJSON, as: UTF8.self))
        #expect(rules?["rule_kms-off"]?["state"] as? String == "DISABLED")
    }

    @Test func aPatternOverEventBridgesLimitIsLeftOut() throws {
        let values = (0..<300).map { "\"value-\($0)\"" }.joined(separator: ",")
        let (loaded, directory) = try loadPack(extra: ["long.json": #"{"name":"long","severity":"low","eventPattern":{"detail":{"x":[\#(values)]}}}"#])
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = RuleExport.export(loaded.rules, format: .cloudformation)
        #expect(output.refused.map(\.rule) == ["long"])
        #expect(output.refused.first?.reason.contains("over EventBridge's 2048") == true)
        #expect(!output.text.contains("value-299"))
    }

    /// cfn-lint (AWS's linter, from PyPI) checks the export of the shipped pack against
    /// CloudFormation's resource schemas (it caught descriptions over EventBridge's 512
    /// characters). Skipped only where it is not installed and this is not CI.
    @Test func theCloudFormationExportPassesCfnLint() throws {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin"
        let lint = path.split(separator: ":").map { "\($0)/cfn-lint" }.first { FileManager.default.isExecutableFile(atPath: $0) }
        guard let lint else {
            #expect(ProcessInfo.processInfo.environment["CI"] == nil, "cfn-lint is required in CI")
            return
        }
        let (pack, directory) = try loadPack()
        defer { try? FileManager.default.removeItem(at: directory) }
        let shipped = RuleLoader.load(paths: [AlertsFixtures.rules])
        let output = RuleExport.export(pack.rules + shipped.rules, format: .cloudformation)
        #expect(output.notCarried.contains { $0.reason.hasPrefix("the description is cut") })
        let exported = directory.appendingPathComponent("exported.json")
        try Data(output.text.utf8).write(to: exported)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: lint)
        process.arguments = [exported.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let report = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(report)")
    }

    @Test func listingShowsThePatternAsEventBridgeReceivesIt() throws {
        let (loaded, directory) = try loadPack()
        defer { try? FileManager.default.removeItem(at: directory) }
        let line = RuleListing.jsonLine(loaded.rules[1])
        #expect(line == #"{"name":"kms-off","file":"\#(directory.path)/pack.json","state":"DISABLED","eventPattern":{"source":["aws.kms"]}}"#)
        let table = RuleListing.table(loaded.rules)
        #expect(table.hasPrefix("NAME"))
        #expect(table.contains("kms-off     DISABLED"))
    }
}

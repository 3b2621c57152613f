import Foundation
import Testing

/// `--parameter`, `--parameters-file` and `--import-value` on the built binary, wherever rules are
/// loaded: `vigil rules validate|list` and `vigil replay` over SampleLogs.
@Suite struct TemplateCommandLineTests {
    /// A rule whose name, pattern and target need all three kinds of outside value: a parameter
    /// without default (from the parameters file), pseudo parameters and another stack's export.
    static let template = """
        Parameters:
          pEnv: {Type: String}
        Resources:
          rSecrets:
            Type: AWS::Events::Rule
            Properties:
              Name: !Sub ${pEnv}-secret-reads
              EventPattern:
                account: [!Ref AWS::AccountId]
                detail:
                  eventSource: [!ImportValue secrets-source]
                  eventName: [GetSecretValue]
              Targets:
                - Arn: !Sub arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:alerts
                  Id: alerts
          rHelper:
            Type: AWS::Lambda::Function
            Properties:
              Code: !Rain::Embed handler.py
        """

    static func run(_ vigil: URL, _ arguments: [String]) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = vigil
        process.arguments = arguments
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        // stdout is small here; read stderr after it (both pipes drain before the process ends).
        let out = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let err = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, out, err)
    }

    @Test func templateOptionsResolveTheRuleInRulesCommandsAndReplay() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let template = scratch.appendingPathComponent("secrets.yaml").path
        try Data(Self.template.utf8).write(to: URL(fileURLWithPath: template))
        let parametersFile = scratch.appendingPathComponent("parameters.json").path
        try Data(#"[{"ParameterKey": "pEnv", "ParameterValue": "prod"}, {"ParameterKey": "AWS::AccountId", "ParameterValue": "999999999999"}]"#.utf8)
            .write(to: URL(fileURLWithPath: parametersFile))
        let options = ["--parameters-file", parametersFile, "--parameter", "AWS::AccountId=111122223333",
                       "--parameter", "AWS::Region=us-east-1", "--import-value", "secrets-source=secretsmanager.amazonaws.com"]

        // Without the values, the rule is refused and the message says what to pass.
        let bare = try Self.run(vigil, ["rules", "validate", template])
        #expect(bare.status == 2)
        #expect(bare.errors.contains("pass --parameter pEnv=VALUE"), "\(bare.errors)")

        #expect(try Self.run(vigil, ["rules", "validate"] + options + [template]).status == 0)
        // --parameter wins over the parameters file (AWS::AccountId); the Rain tag outside the rule is not looked at.
        let listed = try Self.run(vigil, ["rules", "list", "--json"] + options + [template])
        #expect(listed.status == 0, "\(listed.errors)")
        #expect(listed.output == #"""
            {"name":"prod-secret-reads","file":"\#(template)","logicalId":"rSecrets","state":"ENABLED","eventPattern":{"account":["111122223333"],"detail":{"eventSource":["secretsmanager.amazonaws.com"],"eventName":["GetSecretValue"]}},"importedTargets":["arn:aws:sns:us-east-1:111122223333:alerts"]}

            """#)

        let alerts = scratch.appendingPathComponent("alerts.jsonl").path
        let replay = try Self.run(vigil, ["replay", "--quiet", "--state", scratch.appendingPathComponent("state").path,
                                          "--sink", "file:\(alerts)", "--rules", template] + options + [PipelineFixtures.sampleLogs])
        #expect(replay.status == 0, "\(replay.errors)")
        let lines = try String(contentsOfFile: alerts, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 4, "SampleLogs' CloudTrail holds four GetSecretValue calls")
        #expect(lines.allSatisfy { $0.contains(#""rule":"prod-secret-reads""#) })
    }
}

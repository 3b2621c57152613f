import Foundation
import Testing

/// A pattern nested far past the depth limit, in every form a command takes it, ends with event-ruler's
/// message instead of a stack overflow. Run on the built binary, so that a crash fails the test
/// instead of ending the test process.
@Suite struct PatternDepthCommandLineTests {
    /// Objects nested `levels` deep around a value list, as pattern text; far past the limit of
    /// 1,000 levels, and deep enough that a parser recursing once per level overflows its stack.
    static func deepPattern(levels: Int = 100_000) -> String {
        String(repeating: #"{"a":"#, count: levels) + "[1]" + String(repeating: "}", count: levels)
    }

    /// The pattern as a JSON string holding its text, as the AWS APIs carry it.
    static var deepPatternAsString: String {
        "\"" + deepPattern().replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static let refusal = "Document nesting depth (1001) exceeds the maximum allowed (1000"

    @Test func testPatternRefusesADeepPatternArgument() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pattern = scratch.appendingPathComponent("pattern.json")
        try Data(Self.deepPattern().utf8).write(to: pattern)
        let run = try VigilProcess(vigil, ["test-pattern", "@" + pattern.path, #"{"a":1}"#], outputIn: scratch, label: "argument")
        #expect(run.waitForExit(within: 60) == 2, "\(run.errorOutput)")
        #expect(run.errorOutput.contains(Self.refusal), "\(run.errorOutput)")
    }

    @Test func testPatternBatchAnswersADeepPatternStringWithAnError() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let lines = scratch.appendingPathComponent("lines.jsonl")
        try Data((#"{"pattern":"# + Self.deepPatternAsString + #","event":{"a":1}}"# + "\n"
                  + #"{"pattern":{"a":[1]},"event":{"a":1}}"# + "\n").utf8).write(to: lines)
        let process = Process()
        process.executableURL = vigil
        process.arguments = ["test-pattern", "--batch"]
        process.standardInput = try FileHandle(forReadingFrom: lines)
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let answers = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let answerLines = answers.split(separator: "\n")
        #expect(answerLines.count == 2, "\(answers)")
        #expect(answerLines.first?.hasPrefix(#"{"error":"Event pattern is not valid: "# + Self.refusal) == true, "\(answers)")
        #expect(answerLines.last == #"{"result":true}"#, "the next line is still answered")
    }

    @Test func rulesValidateAndReplayRefuseADeepPatternString() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let rules = scratch.appendingPathComponent("rules")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try Data((#"{"name": "deep", "severity": "low", "eventPattern": "# + Self.deepPatternAsString + "}").utf8)
            .write(to: rules.appendingPathComponent("deep.json"))
        try Data(#"{"name": "shallow", "severity": "low", "eventPattern": {"source": ["aws.rds"]}}"#.utf8)
            .write(to: rules.appendingPathComponent("shallow.json"))

        let validate = try VigilProcess(vigil, ["rules", "validate", rules.path], outputIn: scratch, label: "validate")
        #expect(validate.waitForExit(within: 60) == 2, "\(validate.errorOutput)")
        let validateOutput = validate.errorOutput + ((try? String(contentsOf: validate.standardOutput, encoding: .utf8)) ?? "")
        #expect(validateOutput.contains("deep") && validateOutput.contains(Self.refusal), "\(validateOutput)")

        let replay = try VigilProcess(vigil, ["replay", "--quiet", "--rules", rules.path, PipelineFixtures.sampleLogs],
                                      outputIn: scratch, label: "replay")
        #expect(replay.waitForExit(within: 60) == 2, "\(replay.errorOutput)")
        #expect(replay.errorOutput.contains(Self.refusal), "\(replay.errorOutput)")
    }
}

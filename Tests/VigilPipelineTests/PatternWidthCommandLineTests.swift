import Foundation
import Testing

/// A pattern of 60,000 fields — `test-pattern` applies no limit on fields, as event-ruler does
/// not — is matched and explained without a stack overflow: the walk of a branch, which goes one
/// field deeper per field that holds, used to recurse once per field, and the release binary
/// crashed (exit 139) from about 60,000 fields on (issue 16 found it at 200,000). Run on the built
/// binary, so that a crash fails the test instead of ending the test process. 60,000 and not more
/// because parsing and compiling such a pattern takes most of the test's time in a debug build.
@Suite struct PatternWidthCommandLineTests {
    static let fieldCount = 60_000

    /// `{"detail":{"f0":["a"],"f1":["a"],…}}`.
    static var widePattern: String {
        #"{"detail":{"# + (0..<fieldCount).map { #""f\#($0)":["a"]"# }.joined(separator: ",") + "}}"
    }

    /// An event with the fields `fields`, each `"a"`, or `["a"]` if `inArrays`.
    static func event(fields: Range<Int>, inArrays: Bool = false) -> String {
        let value = inArrays ? #"["a"]"# : #""a""#
        return #"{"detail":{"# + fields.map { #""f\#($0)":\#(value)"# }.joined(separator: ",") + "}}"
    }

    /// Runs `vigil test-pattern ARGUMENTS` with the pattern and the event in files given as `@FILE`.
    private static func testPattern(_ options: [String], event: String) throws -> (status: Int32?, output: String) {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let pattern = scratch.appendingPathComponent("pattern.json")
        let eventFile = scratch.appendingPathComponent("event.json")
        try Data(widePattern.utf8).write(to: pattern)
        try Data(event.utf8).write(to: eventFile)
        let run = try VigilProcess(vigil, ["test-pattern"] + options + ["@" + pattern.path, "@" + eventFile.path],
                                   outputIn: scratch, label: "test-pattern")
        let status = run.waitForExit(within: 120)
        let output = (try? String(contentsOf: run.standardOutput, encoding: .utf8)) ?? ""
        return (status, output + run.errorOutput)
    }

    /// Every field but `f59999` holds; fields are walked in path order (`f0`, `f1`, `f10`, …), so the
    /// explanation's walk goes 55,555 fields deep before it misses it.
    @Test func explainsAMissingLastFieldOfAWidePattern() throws {
        let (status, output) = try Self.testPattern(["--explain"], event: Self.event(fields: 0..<(Self.fieldCount - 1)))
        #expect(status == 1, "\(output.prefix(2_000))")
        #expect(output.contains("field detail.f59999: the pattern wants [\"a\"], the event does not have this field"),
                "\(output.prefix(2_000))")
    }

    /// Values in arrays make the matcher check that they can come from one element of each array:
    /// the same walk, 60,000 fields deep when the event matches.
    @Test func matchesAWidePatternWhoseValuesAreInArrays() throws {
        let (status, output) = try Self.testPattern([], event: Self.event(fields: 0..<Self.fieldCount, inArrays: true))
        #expect(status == 0, "\(output.prefix(2_000))")
        #expect(output.hasPrefix("true"), "\(output.prefix(2_000))")
    }
}

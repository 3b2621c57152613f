import Foundation
import Testing
import VigilIngest
import VigilPattern
import VigilPipeline

/// The envelope is matched in parts, never written (ARCHITECTURE.md: the envelope is virtual);
/// whatever a pattern asks, the verdict must be the one for the event as written.
@Suite("Matching an envelope in parts equals matching the event as written")
struct EnvelopeMatcherTests {
    static let findingsFile = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/securityhub/get-findings-rds-public-access.json")

    static let findingID = "arn:aws:securityhub:us-east-1:111122223333:security-control/RDS.2/finding/5f0d7e7c-3b6e-4c55-9d51-0d6a7e3c1a42"

    /// Patterns on `resources` and on the written `{"findings":[…]}` detail, matching and not.
    static let patterns: [(pattern: String, matches: Bool)] = [
        (#"{"resources":["\#(findingID)"]}"#, true),
        (#"{"resources":[{"prefix":"arn:aws:securityhub:us-east-1:111122223333:security-control/RDS."}]}"#, true),
        (#"{"resources":["arn:aws:rds:us-east-1:111122223333:db:billing-pg"]}"#, false),
        (#"{"resources":[{"exists":true}]}"#, true),
        (#"{"resources":[{"exists":false}]}"#, false),
        (#"{"resources":[{"anything-but":"x"}]}"#, true),
        (#"{"source":["aws.securityhub"],"detail":{"findings":{"Compliance":{"Status":["FAILED"]}}}}"#, true),
        (#"{"detail":{"findings":{"Resources":{"Type":[{"prefix":"AwsRds"}]},"Severity":{"Label":["CRITICAL"]}}}}"#, true),
        (#"{"detail":{"findings":{"RecordState":["ARCHIVED"]}}}"#, false),
        (#"{"detail-type":["Security Hub Findings - Imported"],"time":[{"prefix":"2026-11-20T09:52:41"}]}"#, true),
    ]

    @Test("Security Hub: resources and the written detail", arguments: patterns)
    func securityHub(pattern: String, matches: Bool) throws {
        let input = try DecodedInput(path: Self.findingsFile.path)
        var visitor = FirstEnvelope(pattern: try EventPattern(json: pattern))
        LogFileReader(input: input).read(into: &visitor)
        let written = try #require(visitor.written, "no event: \(visitor.problems)")
        #expect(visitor.composedVerdict == matches)
        // The same pattern on the event as written, through the matcher that conformance checks.
        #expect(PatternTester.test(pattern: Array(pattern.utf8), event: written) == (matches ? .match : .noMatch))
    }

    /// Normalizes the first record, matches it in parts and writes it.
    struct FirstEnvelope: RecordVisitor {
        let matcher: EnvelopeMatcher
        var normalizer = EventNormalizer()
        var composedVerdict: Bool?
        var written: [UInt8]?
        var problems: [String] = []

        init(pattern: EventPattern) {
            matcher = EnvelopeMatcher(CompiledPatternSet([(name: "p", pattern: pattern)]))
        }

        mutating func visit(_ record: LogRecord) {
            guard written == nil else { return }
            do {
                let envelope = try normalizer.normalize(record, context: LogFileContext(path: "findings.json"))
                composedVerdict = try !matcher.match(envelope).isEmpty
                var json: [UInt8] = []
                EnvelopeWriter.append(envelope, to: &json)
                written = json
            } catch {
                problems.append("\(error)")
            }
        }

        mutating func report(_ problem: InputProblem) { problems.append(problem.reason) }
        mutating func skip(_ reason: SkipReason) {}
    }
}

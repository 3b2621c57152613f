import Testing
import VigilPattern

/// `mayMatch(withValuesStillToComeUnder:)`: after an event's other values, whether some pattern can
/// still match whatever its `detail` holds. A false answer lets the envelope matcher skip the
/// detail, so it must never be false where the whole event would match.
@Suite("Leaving a key's values out when nothing else can match")
struct PendingKeyTests {
    /// Adds `source` and `detail-type` as an envelope does, then asks about `detail`.
    static func mayMatch(_ patterns: [String], source: String, detailType: String = "AWS API Call via CloudTrail") throws
        -> Bool {
        let set = CompiledPatternSet(try patterns.enumerated().map { (name: "p\($0.offset)", pattern: try EventPattern(json: $0.element)) })
        let matcher = set.makeMatcher()
        matcher.beginComposedEvent()
        if let key = matcher.topLevelKey("source") {
            Array(source.utf8).withUnsafeBytes { matcher.addString($0, for: key) }
        }
        if let key = matcher.topLevelKey("detail-type") {
            Array(detailType.utf8).withUnsafeBytes { matcher.addString($0, for: key) }
        }
        let detail = try #require(matcher.topLevelKey("detail"))
        return matcher.mayMatch(withValuesStillToComeUnder: detail)
    }

    static let huntPattern = #"{"source":["aws.rds"],"detail":{"eventName":["DeleteDBInstance"]}}"#

    @Test func aSourceThatRulesTheOnlyPatternOutLeavesNothingToScan() throws {
        #expect(try !Self.mayMatch([Self.huntPattern], source: "aws.s3"))
        #expect(try Self.mayMatch([Self.huntPattern], source: "aws.rds"))
    }

    @Test func everyRequiredClauseOutsideTheKeyMustBeMet() throws {
        let pattern = #"{"source":["aws.rds"],"detail-type":["AWS Console Sign In via CloudTrail"],"detail":{"x":["y"]}}"#
        #expect(try !Self.mayMatch([pattern], source: "aws.rds"))
        #expect(try Self.mayMatch([pattern], source: "aws.rds", detailType: "AWS Console Sign In via CloudTrail"))
    }

    @Test func aPatternOnlyOnTheKeyMayAlwaysMatch() throws {
        #expect(try Self.mayMatch([Self.huntPattern, #"{"detail":{"eventName":["GetObject"]}}"#], source: "aws.s3"))
    }

    /// `exists: false` is met by absence, so it never rules a pattern out; `anything-but` and
    /// `prefix` are tests like any other.
    @Test func absenceAndOtherOperatorsOutsideTheKey() throws {
        #expect(try Self.mayMatch([#"{"account":[{"exists":false}],"detail":{"x":["y"]}}"#], source: "aws.s3"))
        #expect(try !Self.mayMatch([#"{"source":[{"anything-but":"aws.s3"}],"detail":{"x":["y"]}}"#], source: "aws.s3"))
        #expect(try Self.mayMatch([#"{"source":[{"anything-but":"aws.s3"}],"detail":{"x":["y"]}}"#], source: "aws.ec2"))
        #expect(try Self.mayMatch([#"{"source":[{"prefix":"aws.r"}],"detail":{"x":["y"]}}"#], source: "aws.rds"))
        // A field no envelope has (`region` never added here) cannot be met.
        #expect(try !Self.mayMatch([#"{"region":["us-east-1"],"detail":{"x":["y"]}}"#], source: "aws.rds"))
    }

    /// `$or` makes branches: one branch surviving is enough.
    @Test func oneBranchOfAnOrIsEnough() throws {
        let pattern = #"{"$or":[{"source":["aws.rds"]},{"detail":{"eventName":["GetObject"]}}],"detail-type":["AWS API Call via CloudTrail"]}"#
        #expect(try Self.mayMatch([pattern], source: "aws.s3"))
        let bothOutside = #"{"$or":[{"source":["aws.rds"]},{"source":["aws.ec2"]}],"detail":{"eventName":["X"]}}"#
        #expect(try !Self.mayMatch([bothOutside], source: "aws.s3"))
        #expect(try Self.mayMatch([bothOutside], source: "aws.ec2"))
    }

    /// Many patterns: the answer is false only when every one is ruled out.
    @Test func manyPatternsOfOtherServices() throws {
        let patterns = (0..<200).map { #"{"source":["aws.service\#($0)"],"detail":{"eventName":["Call\#($0)"]}}"# }
        #expect(try !Self.mayMatch(patterns, source: "aws.s3"))
        #expect(try Self.mayMatch(patterns, source: "aws.service117"))
    }
}

import Foundation
import Testing
@testable import VigilAlerts
@testable import VigilIngest
@testable import VigilPipeline

/// A tail diffs a Config item against the last item of its resource that it has seen, in this
/// session or before a restart (kept in `tail_config_items`).
@Suite struct TailConfigTests {
    static let madePublicRule = #"{"name": "made-public", "severity": "high", "eventPattern": {"source": ["aws.config"], "#
        + #""detail": {"configurationItemDiff": {"changedProperties": {"Configuration.PubliclyAccessible": "#
        + #"{"previousValue": [false], "updatedValue": [true]}}}}}}"#

    static func history(_ capture: String, isPublic: Bool) -> [UInt8] {
        Array((#"{"fileVersion":"1.0","configurationItems":[{"configuration":{"dBInstanceIdentifier":"orders-db","#
            + #""publiclyAccessible":\#(isPublic)},"configurationItemCaptureTime":"\#(capture)","awsAccountId":"111122223333","#
            + #""configurationItemStatus":"OK","resourceType":"AWS::RDS::DBInstance","resourceId":"db-ORDERS","#
            + #""ARN":"arn:aws:rds:us-east-1:111122223333:db:orders-db","awsRegion":"us-east-1"}]}"#).utf8)
    }

    @Test func theLastItemOfAResourceIsKeptAcrossARestart() throws {
        let harness = try TailSessionTests.Harness(rule: Self.madePublicRule)
        try harness.write(Self.history("2026-11-20T09:00:00.000Z", isPublic: false), to: "a.json")
        let session = try harness.session()
        try session.examine(harness.path("a.json"))
        #expect(try harness.alertIDs(session).isEmpty)
        try session.commit()

        // A new session (a restart) remembers the private item: the public one that follows is a change.
        let restarted = try harness.session()
        harness.time.advance(1)
        try harness.write(Self.history("2026-11-20T09:31:02.000Z", isPublic: true), to: "b.json")
        try restarted.examine(harness.path("b.json"))
        #expect(try harness.alertIDs(restarted).count == 1)
        #expect(harness.problems.isEmpty)
    }

    @Test func withoutTheStateTheFirstItemAfterARestartHasNoDiff() throws {
        // The same files read by a tail whose state never saw the first: no previous item, no alert.
        let harness = try TailSessionTests.Harness(rule: Self.madePublicRule)
        try harness.write(Self.history("2026-11-20T09:31:02.000Z", isPublic: true), to: "b.json")
        let session = try harness.session()
        try session.examine(harness.path("b.json"))
        #expect(try harness.alertIDs(session).isEmpty)
    }
}

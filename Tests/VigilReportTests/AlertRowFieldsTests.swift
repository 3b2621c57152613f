import Foundation
import Testing
@testable import VigilReport

@Suite struct AlertRowFieldsTests {
    @Test func cloudTrailCallSaysWhoFromWhereWhatAndTheResourceItsParametersName() throws {
        let fields = AlertRowFields(try AlertFixtures.document(AlertFixtures.line(id: "a1", event: AlertFixtures.cloudTrail())))
        #expect(fields.time == "2026-11-20T09:14:07Z")
        #expect(fields.severity == "high")
        #expect(fields.rule == "rds-snapshot-shared-publicly")
        #expect(fields.who == "ci-deploy")
        #expect(fields.from == "203.0.113.50")
        #expect(fields.what == "rds:ModifyDBSnapshotAttribute")
        #expect(fields.resource == "billing-pg-final")
        #expect(fields.account == "111122223333")
    }

    @Test(arguments: [
        // The most specific parameter wins wherever it stands among the members.
        (#"{"dBInstanceIdentifier":"orders-db","dBSnapshotIdentifier":"orders-final"}"#, "orders-final"),
        (#"{"name":"n","dBInstanceIdentifier":"orders-db"}"#, "orders-db"),
        // An empty value, or an object, does not name the resource; the next one does.
        (#"{"dBSnapshotIdentifier":"","bucketName":"logs"}"#, "logs"),
        (#"{"dBSnapshotIdentifier":{"a":1},"bucketName":"logs"}"#, "logs"),
        // A key written with escapes is the same key.
        (#"{"name":"n","\u0062ucketName":"escaped"}"#, "escaped"),
        (#"{"unrelated":"x"}"#, "-"),
    ])
    func cloudTrailResourceIsTheMostSpecificRequestParameter(parameters: String, expected: String) throws {
        let event = AlertFixtures.cloudTrail().replacingOccurrences(
            of: #""requestParameters":{"dBSnapshotIdentifier":"billing-pg-final","attributeName":"restore","valuesToAdd":["all"]}"#,
            with: #""requestParameters":"# + parameters)
        #expect(event != AlertFixtures.cloudTrail())
        let fields = AlertRowFields(try AlertFixtures.document(AlertFixtures.line(id: "p", event: event)))
        #expect((fields.resource ?? "-") == expected)
    }

    @Test func flowRecordIsSourceToDestinationWithItsAction() throws {
        let fields = AlertRowFields(try AlertFixtures.document(AlertFixtures.line(id: "a2", event: AlertFixtures.flow)))
        #expect(fields.from == "10.0.1.25:49152")
        #expect(fields.what == "→ 203.0.113.50:443 ACCEPT")
        #expect(fields.resource == "eni-0a1b2c3d")
    }

    @Test func guardDutyFindingGivesTitleRemoteAddressAndAccessKey() throws {
        let fields = AlertRowFields(try AlertFixtures.document(AlertFixtures.line(id: "a3", event: AlertFixtures.guardDuty)))
        #expect(fields.who == "ci-deploy")
        #expect(fields.from == "203.0.113.50")
        #expect(fields.what == "API ModifyDBSnapshotAttribute was invoked from a known malicious IP address.")
        #expect(fields.resource == "AKIAEXAMPLELEAKED01")
    }

    @Test func securityHubFindingGivesTitleNetworkSourceAndFirstResource() throws {
        let fields = AlertRowFields(try AlertFixtures.document(AlertFixtures.line(id: "a4", event: AlertFixtures.securityHub)))
        #expect(fields.what == "RDS snapshot should be private")
        #expect(fields.from == "198.51.100.7")
        #expect(fields.resource == "arn:aws:rds:eu-west-1:111122223333:snapshot:billing-pg-final")
    }

    @Test func configItemGivesTypeChangeAndResourceName() throws {
        let fields = AlertRowFields(try AlertFixtures.document(AlertFixtures.line(id: "a5", event: AlertFixtures.config)))
        #expect(fields.what == "AWS::RDS::DBSnapshot UPDATE")
        #expect(fields.resource == "billing-pg-final")
    }

    @Test func databaseAuditGivesUserClientCommandAndInstance() throws {
        let fields = AlertRowFields(try AlertFixtures.document(AlertFixtures.line(id: "a6", event: AlertFixtures.databaseAudit(sql: "SELECT * FROM cards"))))
        #expect(fields.who == "app_admin")
        #expect(fields.from == "203.0.113.50:50123")
        #expect(fields.what == "QUERY SELECT * FROM cards")
        #expect(fields.resource == "billing-pg/billing")
    }

    @Test func huntLineWithoutRuleOrSeverityStillHasItsRow() throws {
        let line = #"{"source":{"file":"f","record":0},"event":\#(AlertFixtures.flow)}"#
        let document = try AlertFixtures.document(line)
        let fields = AlertRowFields(document)
        #expect(document.id == nil && fields.rule == nil && fields.severity == nil)
        #expect(fields.time == "2026-11-20T09:20:00Z")
        #expect(fields.from == "10.0.1.25:49152")
    }

    @Test func principalsAreNamedAsPeopleSayThem() {
        #expect(AlertRowFields.principalName("arn:aws:iam::111122223333:user/anaya") == "anaya")
        #expect(AlertRowFields.principalName("arn:aws:sts::111122223333:assumed-role/Deploy/ci-42") == "Deploy/ci-42")
        #expect(AlertRowFields.principalName("arn:aws:iam::111122223333:root") == "root")
        #expect(AlertRowFields.principalName("AIDAEXAMPLE") == "AIDAEXAMPLE")
    }

    @Test func aLineThatIsNoAlertIsRefusedWithTheReason() {
        #expect(throws: AlertDocument.Problem.self) { try AlertDocument(line: Array(#"{"id":"x"}"#.utf8)) }
        #expect(throws: AlertDocument.Problem.self) { try AlertDocument(line: Array(#"{"id":"x","event":{"#.utf8)) }
    }
}

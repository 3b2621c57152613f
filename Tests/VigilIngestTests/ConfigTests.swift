import Foundation
import Testing
import VigilIngest

// AWS Config in every form Vigil reads — history and snapshot files, `configservice` output, SNS
// notifications bare and in their envelope — normalized as EventBridge delivers Config's events
// (ARCHITECTURE.md), and each form damaged. Items are written in the shape of AWS's documented
// examples (Tests/Fixtures/config, the developer guide) and of the AWS::RDS::DBInstance
// properties Config records (awslabs/aws-config-resource-schema).

/// The fixtures copied from AWS's documentation (see Tests/Fixtures/SOURCES.md).
private let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("Fixtures/config")

/// An RDS instance's configuration item as a history file holds it.
func rdsItem(capture: String = "2026-11-20T09:31:02.120Z", publiclyAccessible: Bool = false, status: String = "OK",
             account: String = "111122223333", extra: String = "") -> String {
    #"{"relatedEvents":[],"relationships":[{"resourceId":"sg-0d8b3306c1a2b3c4d","resourceName":null,"#
        + #""resourceType":"AWS::EC2::SecurityGroup","name":"Is associated with SecurityGroup"}],"#
        + #""configuration":{"dBInstanceIdentifier":"orders-db","engine":"mysql","publiclyAccessible":\#(publiclyAccessible),"#
        + #""storageEncrypted":false,"backupRetentionPeriod":7,"endpoint":{"address":"orders-db.example","port":3306}},"#
        + #""supplementaryConfiguration":{},"tags":{"team":"orders"},"configurationItemVersion":"1.3","#
        + #""configurationItemCaptureTime":"\#(capture)","configurationStateId":1763631062120,"#
        + #""awsAccountId":"\#(account)","configurationItemStatus":"\#(status)","resourceType":"AWS::RDS::DBInstance","#
        + #""resourceId":"db-ORDERSDB4EXAMPLE","resourceName":"orders-db","#
        + #""ARN":"arn:aws:rds:us-east-1:111122223333:db:orders-db","awsRegion":"us-east-1","#
        + #""availabilityZone":"us-east-1a","configurationStateMd5Hash":"","resourceCreationTime":"2023-04-02T10:00:00.000Z"\#(extra)}"#
}

private let historyPath = "AWSLogs/111122223333/Config/us-east-1/2026/11/20/ConfigHistory/"
    + "111122223333_Config_us-east-1_ConfigHistory_AWS::RDS::DBInstance_20261120T090000Z_20261120T150000Z_1.json.gz"

@Suite("AWS Config: files and command output")
struct ConfigFileTests {
    @Test("A history file, gzipped and pretty-printed, is streamed item by item into Config Configuration Item Change events")
    func historyFile() throws {
        let file = #"{"fileVersion":"1.0","configurationItems":["# + rdsItem() + "," + rdsItem(capture: "2026-11-20T09:40:00.000Z") + "]}"
        let read = Harness.read(Harness.gzip(Array(Fixture.pretty(file).utf8)), name: historyPath)
        #expect(read.problems.isEmpty)
        #expect(read.records.map(\.kind) == [.config, .config])
        let (envelopes, refused) = Harness.normalize(read.records, path: historyPath)
        #expect(refused.isEmpty)
        let event = try #require(envelopes.first)
        #expect(event["source"] == "aws.config")
        #expect(event["detail-type"] == "Config Configuration Item Change")
        #expect(event["account"] == "111122223333")
        #expect(event["region"] == "us-east-1")
        #expect(event["time"] == "2026-11-20T09:31:02Z")
        #expect(event.object["resources"] as? [String] == ["arn:aws:rds:us-east-1:111122223333:db:orders-db"])
        let detail = try #require(event.detail)
        #expect(detail["messageType"] as? String == "ConfigurationItemChangeNotification")
        #expect(detail["recordVersion"] as? String == "1.3")
        #expect(detail["notificationCreationTime"] as? String == "2026-11-20T09:31:02.120Z")
        let item = try #require(detail["configurationItem"] as? [String: Any])
        #expect((item["configuration"] as? [String: Any])?["publiclyAccessible"] as? Bool == false)
        #expect(detail["configurationItemDiff"] == nil, "the normalizer alone remembers nothing")
        #expect(event.identity == "AWS::RDS::DBInstance/db-ORDERSDB4EXAMPLE@2026-11-20T09:31:02.120Z")
        #expect(envelopes[1].identity != event.identity)
    }

    @Test("A snapshot file: the array after fileVersion and configSnapshotId is streamed, not held whole")
    func snapshotFileIsStreamed() throws {
        var file = #"{"fileVersion":"1.0","configSnapshotId":"6d6bd5b9-e0b5-4e1b-a1d1-0a9cf7e8c5d4","configurationItems":["#
        let count = 3_000
        for index in 0..<count {
            if index > 0 { file += "," }
            file += rdsItem(capture: "2026-11-20T09:31:02.120Z", extra: #","resourceNote":"\#(index)""#)
        }
        file += "]}"
        let reader = LogFileReader(input: DecodedInput(bytes: Array(file.utf8), name: "snapshot.json"))
        let (collector, largest) = Harness.readNotingLargestWindow(reader)
        #expect(collector.problems.isEmpty)
        #expect(collector.recordCount == count)
        #expect(largest < file.utf8.count / 4, "the window never held the file: \(largest) of \(file.utf8.count) bytes")
    }

    @Test("The documented snapshot file, with its older spellings, is written with today's")
    func documentedSnapshot() throws {
        let read = try Harness.read(path: fixtures.appendingPathComponent("aws-docs_deliver-snapshot-cli__block1.json").path)
        #expect(read.problems.isEmpty)
        #expect(read.records.count >= 2)
        let (envelopes, refused) = Harness.normalize(read.records, path: "snapshot.json")
        #expect(refused.isEmpty)
        let item = try #require(envelopes.first?.detail?["configurationItem"] as? [String: Any])
        #expect(item["ARN"] as? String == "arn:aws:us-west-2b:123456789012:volume/vol-ce676ccc")
        #expect(item["awsAccountId"] as? String == "12345678910")
        #expect(item["configurationStateId"] as? String == "3e660fdf-4e34-4f32-afeb-0ace5bf3d63a")
        #expect(item["arn"] == nil && item["accountId"] == nil)
    }

    @Test("get-resource-config-history output: JSON-text configuration and supplementaryConfiguration become objects, API names the files'")
    func resourceConfigHistory() throws {
        let configuration = #"{\"dBInstanceIdentifier\":\"orders-db\",\"publiclyAccessible\":true,\"vpcSecurityGroups\":[{\"vpcSecurityGroupId\":\"sg-0d8b3306c1a2b3c4d\",\"status\":\"active\"}]}"#
        let output = #"{"configurationItems":[{"version":"1.3","accountId":"111122223333","#
            + #""configurationItemCaptureTime":"2026-11-20T09:31:02.120000+00:00","configurationItemStatus":"OK","#
            + #""configurationStateId":"1763631062120","configurationItemMD5Hash":"","arn":"arn:aws:rds:us-east-1:111122223333:db:orders-db","#
            + #""resourceType":"AWS::RDS::DBInstance","resourceId":"db-ORDERSDB4EXAMPLE","resourceName":"orders-db","#
            + #""awsRegion":"us-east-1","availabilityZone":"us-east-1a","tags":{},"relatedEvents":[],"#
            + #""relationships":[{"resourceType":"AWS::EC2::SecurityGroup","resourceId":"sg-0d8b3306c1a2b3c4d","relationshipName":"Is associated with SecurityGroup"}],"#
            + #""configuration":"\#(configuration)","supplementaryConfiguration":{"Tags":"[]","IsDeleted":"false"}}],"nextToken":"abc"}"#
        let read = Harness.read(output)
        #expect(read.problems.isEmpty)
        let (envelopes, refused) = Harness.normalize(read.records, path: "history.json")
        #expect(refused.isEmpty)
        let event = try #require(envelopes.first)
        #expect(event["time"] == "2026-11-20T09:31:02Z")
        #expect(event["account"] == "111122223333")
        let item = try #require(event.detail?["configurationItem"] as? [String: Any])
        #expect((item["configuration"] as? [String: Any])?["publiclyAccessible"] as? Bool == true)
        let supplementary = try #require(item["supplementaryConfiguration"] as? [String: Any])
        #expect(supplementary["IsDeleted"] as? Bool == false)
        #expect((supplementary["Tags"] as? [Any])?.isEmpty == true)
        #expect(item["ARN"] as? String == "arn:aws:rds:us-east-1:111122223333:db:orders-db")
        #expect(item["awsAccountId"] as? String == "111122223333")
        #expect(item["configurationItemVersion"] as? String == "1.3")
        #expect(item["configurationStateMd5Hash"] as? String == "")
        let relationship = try #require((item["relationships"] as? [[String: Any]])?.first)
        #expect(relationship["name"] as? String == "Is associated with SecurityGroup")
        #expect(relationship["relationshipName"] == nil)
    }

    @Test("batch-get-resource-config output: the base items are read, the unprocessed keys passed over")
    func batchGetResourceConfig() throws {
        let output = #"{"baseConfigurationItems":[{"version":"1.3","accountId":"111122223333","#
            + #""configurationItemCaptureTime":"2026-11-20T09:34:12.000Z","configurationItemStatus":"OK","#
            + #""arn":"arn:aws:rds:us-east-1:111122223333:snapshot:orders-db-manual-2026-11-20","#
            + #""resourceType":"AWS::RDS::DBSnapshot","resourceId":"orders-db-manual-2026-11-20","awsRegion":"us-east-1","#
            + #""configuration":"{\"encrypted\":false}","#
            + #""supplementaryConfiguration":{"DBSnapshotAttributes":"[{\"attributeName\":\"restore\",\"attributeValues\":[\"all\"]}]"}}],"#
            + #""unprocessedResourceKeys":[{"resourceType":"AWS::RDS::DBInstance","resourceId":"db-GONE"}]}"#
        let read = Harness.read(output)
        #expect(read.problems.isEmpty)
        #expect(read.records.count == 1)
        let event = try #require(Harness.normalize(read.records, path: "batch.json").envelopes.first)
        let item = try #require(event.detail?["configurationItem"] as? [String: Any])
        let attributes = try #require((item["supplementaryConfiguration"] as? [String: Any])?["DBSnapshotAttributes"] as? [[String: Any]])
        #expect(attributes.first?["attributeValues"] as? [String] == ["all"])
    }

    @Test("A history file's delivery time is the end of the window its name gives, not the start")
    func historyFileDeliveryTime() throws {
        let context = LogFileContext(path: "/data/" + historyPath)
        #expect(context.service == "Config")
        #expect(context.account == "111122223333" && context.region == "us-east-1")
        #expect(context.deliveredAt == Timestamps.parse("2026-11-20T15:00:00Z"))
        #expect(context.folderDay == Timestamps.parse("2026-11-20"))
        // Config's days are unpadded.
        let january = LogFileContext(path: "AWSLogs/111122223333/Config/us-east-1/2026/1/5/ConfigSnapshot/"
            + "111122223333_Config_us-east-1_ConfigSnapshot_20260105T221004Z_5f0c.json.gz")
        #expect(january.folderDay == Timestamps.parse("2026-01-05"))
        #expect(january.deliveredAt == Timestamps.parse("2026-01-05T22:10:04Z"))
    }

    @Test("EventBridge's own Config events pass through as EventBridge events")
    func eventBridgeConfigEvent() throws {
        let event = #"{"version":"0","id":"0c8a9a4e-7d1f-4f9b-9b6c-2f2d1c0e1a11","detail-type":"Config Configuration Item Change","#
            + #""source":"aws.config","account":"111122223333","time":"2026-11-20T09:31:03Z","region":"us-east-1","#
            + #""resources":["arn:aws:rds:us-east-1:111122223333:db:orders-db"],"detail":{"messageType":"ConfigurationItemChangeNotification","#
            + #""configurationItem":"# + rdsItem() + "}}"
        let read = Harness.read(event)
        #expect(read.records.map(\.kind) == [.eventBridgeEvent])
    }
}

@Suite("AWS Config: SNS notifications")
struct ConfigNotificationTests {
    @Test("The documented notifications, in their SNS envelope: one event each, Config's own diff kept", arguments: [0, 1, 2])
    func documentedNotifications(block: Int) throws {
        let read = try Harness.read(path: fixtures.appendingPathComponent("aws-docs_example-sns-notification__block\(block).json").path)
        #expect(read.problems.isEmpty)
        let (envelopes, refused) = Harness.normalize(read.records, path: "notification.json")
        #expect(refused.isEmpty)
        let event = try #require(envelopes.first)
        #expect(event["detail-type"] == "Config Configuration Item Change")
        let diff = try #require(event.detail?["configurationItemDiff"] as? [String: Any])
        #expect(diff["changeType"] as? String == (block == 2 ? "CREATE" : "UPDATE"))
        #expect(event.detail?["configurationItem"] is [String: Any])
    }

    /// An SNS notification as SNS delivers it: the message is JSON text.
    private func snsEnvelope(_ message: String) -> String {
        let text = String(decoding: try! JSONSerialization.data(withJSONObject: [message], options: []), as: UTF8.self).dropFirst().dropLast()
        return #"{"Type":"Notification","MessageId":"9f4bb2e7-0c3b-5a53-8e45-0e3d4a2c1b10","TopicArn":"arn:aws:sns:us-east-1:111122223333:config-topic","#
            + #""Subject":"[AWS Config:us-east-1] AWS::RDS::DBInstance orders-db Updated","Message":\#(text),"#
            + #""Timestamp":"2026-11-20T09:31:04.000Z","SignatureVersion":"1","Signature":"EXAMPLE"}"#
    }

    private let itemChange = #"{"configurationItemDiff":{"changedProperties":{"Configuration.PubliclyAccessible":"#
        + #"{"previousValue":false,"updatedValue":true,"changeType":"UPDATE"}},"changeType":"UPDATE"},"configurationItem":"#
        + rdsItem(publiclyAccessible: true)
        + #","notificationCreationTime":"2026-11-20T09:31:03.400Z","messageType":"ConfigurationItemChangeNotification","recordVersion":"1.3"}"#

    @Test("An item change notification, bare and as SNS delivers it (Message as JSON text), gives the same event")
    func itemChangeBareAndWrapped() throws {
        let bare = Harness.normalize(Harness.read(itemChange).records, path: "n.json").envelopes
        let wrapped = Harness.normalize(Harness.read(snsEnvelope(itemChange)).records, path: "n.json").envelopes
        #expect(bare.count == 1 && wrapped.count == 1)
        #expect(bare.first?.text == wrapped.first?.text)
        let detail = try #require(bare.first?.detail)
        #expect(detail["notificationCreationTime"] as? String == "2026-11-20T09:31:03.400Z")
        let changed = (detail["configurationItemDiff"] as? [String: Any])?["changedProperties"] as? [String: Any]
        #expect(changed?["Configuration.PubliclyAccessible"] != nil)
    }

    @Test("An oversized item change notification: its summary gives the envelope, and its messageType says it was oversized")
    func oversized() throws {
        let message = #"{"configurationItemSummary":{"changeType":"UPDATE","configurationItemVersion":"1.3","#
            + #""configurationItemCaptureTime":"2026-11-20T09:31:02.120Z","configurationStateId":0,"awsAccountId":"111122223333","#
            + #""configurationItemStatus":"OK","resourceType":"AWS::RDS::DBInstance","resourceId":"db-ORDERSDB4EXAMPLE","#
            + #""resourceName":"orders-db","ARN":"arn:aws:rds:us-east-1:111122223333:db:orders-db","awsRegion":"us-east-1","#
            + #""availabilityZone":"us-east-1a","configurationStateMd5Hash":"","resourceCreationTime":"2023-04-02T10:00:00.000Z"},"#
            + #""s3DeliverySummary":{"s3BucketLocation":"config-bucket/AWSLogs/111122223333/Config/us-east-1/2026/11/20/OversizedChangeNotification/AWS::RDS::DBInstance/db-ORDERSDB4EXAMPLE/x.json.gz","errorCode":null,"errorMessage":null},"#
            + #""notificationCreationTime":"2026-11-20T09:31:03.400Z","messageType":"OversizedConfigurationItemChangeNotification","recordVersion":"1.0"}"#
        let event = try #require(Harness.normalize(Harness.read(snsEnvelope(message)).records, path: "n.json").envelopes.first)
        #expect(event["detail-type"] == "Config Configuration Item Change")
        #expect(event["time"] == "2026-11-20T09:31:02Z")
        #expect(event.object["resources"] as? [String] == ["arn:aws:rds:us-east-1:111122223333:db:orders-db"])
        #expect(event.detail?["messageType"] as? String == "OversizedConfigurationItemChangeNotification")
        #expect(event.detail?["configurationItemSummary"] is [String: Any])
        // The same item as the whole one in S3: one identity, one alert.
        #expect(event.identity == "AWS::RDS::DBInstance/db-ORDERSDB4EXAMPLE@2026-11-20T09:31:02.120Z")
    }

    static let complianceChange = #"{"awsAccountId":"111122223333","configRuleName":"rds-instance-public-access-check","#
        + #""configRuleARN":"arn:aws:config:us-east-1:111122223333:config-rule/config-rule-a1b2c3","#
        + #""resourceType":"AWS::RDS::DBInstance","resourceId":"db-ORDERSDB4EXAMPLE","awsRegion":"us-east-1","#
        + #""newEvaluationResult":{"evaluationResultIdentifier":{"evaluationResultQualifier":{"configRuleName":"rds-instance-public-access-check","#
        + #""resourceType":"AWS::RDS::DBInstance","resourceId":"db-ORDERSDB4EXAMPLE"},"orderingTimestamp":"2026-11-20T09:31:10.000Z"},"#
        + #""complianceType":"NON_COMPLIANT","resultRecordedTime":"2026-11-20T09:31:12.000Z","configRuleInvokedTime":"2026-11-20T09:31:11.000Z","#
        + #""annotation":null,"resultToken":null},"oldEvaluationResult":{"evaluationResultIdentifier":{"evaluationResultQualifier":"#
        + #"{"configRuleName":"rds-instance-public-access-check","resourceType":"AWS::RDS::DBInstance","resourceId":"db-ORDERSDB4EXAMPLE"},"#
        + #""orderingTimestamp":"2026-11-19T09:31:10.000Z"},"complianceType":"COMPLIANT","resultRecordedTime":"2026-11-19T09:31:12.000Z","#
        + #""configRuleInvokedTime":"2026-11-19T09:31:11.000Z","annotation":null,"resultToken":null},"#
        + #""notificationCreationTime":"2026-11-20T09:31:13.250Z","messageType":"ComplianceChangeNotification","recordVersion":"1.0"}"#

    @Test("A compliance change notification is a Config Rules Compliance Change event, timed by its notification")
    func complianceChange() throws {
        let event = try #require(Harness.normalize(Harness.read(snsEnvelope(Self.complianceChange)).records, path: "n.json").envelopes.first)
        #expect(event["source"] == "aws.config")
        #expect(event["detail-type"] == "Config Rules Compliance Change")
        #expect(event["time"] == "2026-11-20T09:31:13Z")
        #expect(event["account"] == "111122223333")
        #expect(event["region"] == "us-east-1")
        #expect((event.detail?["newEvaluationResult"] as? [String: Any])?["complianceType"] as? String == "NON_COMPLIANT")
    }

    @Test("Delivery notices are skipped and counted, bare or in their SNS envelope", arguments: [
        "ConfigurationHistoryDeliveryCompleted", "ConfigurationSnapshotDeliveryStarted", "ConfigurationSnapshotDeliveryCompleted",
        "OversizedConfigurationItemChangeDeliveryFailed",
    ])
    func deliveryNotices(messageType: String) throws {
        let notice = #"{"s3ObjectKey":"AWSLogs/111122223333/Config/us-east-1/2026/11/20/ConfigHistory/x.json.gz","#
            + #""s3Bucket":"config-bucket","notificationCreationTime":"2026-11-20T15:37:05.217Z","messageType":"\#(messageType)","recordVersion":"1.1"}"#
        for text in [notice, snsEnvelope(notice)] {
            let read = Harness.read(text)
            #expect(read.records.isEmpty && read.problems.isEmpty)
            #expect(read.skips == [.configDeliveryNotice])
        }
    }
}

@Suite("AWS Config: damaged input")
struct ConfigDamageTests {
    @Test("A truncated gzip history file: the items before the cut are read, the cut is reported")
    func truncatedGzip() throws {
        var file = #"{"fileVersion":"1.0","configurationItems":["#
        for index in 0..<400 { file += (index > 0 ? "," : "") + rdsItem(extra: #","n":\#(index)"#) }
        file += "]}"
        let gzipped = Harness.gzip(Array(file.utf8))
        let read = Harness.read(Array(gzipped.prefix(gzipped.count * 2 / 3)), name: historyPath)
        #expect(read.records.count > 50 && read.records.count < 400)
        #expect(!read.problems.isEmpty)
    }

    @Test("A bad item among good ones is refused alone, located, and the rest are read", arguments: [
        (#"{"resourceType":"AWS::RDS::DBInstance","resourceId":"db-X","awsAccountId":"111122223333"}"#, "configurationItemCaptureTime"),
        (#"{"resourceType":"AWS::RDS::DBInstance","resourceId":"db-X","configurationItemCaptureTime":"yesterday"}"#, "not a date and time"),
        (#"{"configurationItemCaptureTime":"2026-11-20T09:00:00.000Z","resourceId":"db-X"}"#, "resourceType and resourceId"),
        (#"{"resourceType":"AWS::RDS::DBInstance","resourceId":"db-X","configurationItemCaptureTime":"2026-11-20T09:00:00.000Z","configuration":"{\"publiclyAccessible\":tru"}"#, "JSON text that is not JSON"),
    ])
    func badItemAmongGood(bad: String, reason: String) throws {
        let file = #"{"fileVersion":"1.0","configurationItems":["# + rdsItem() + "," + bad + "," + rdsItem(capture: "2026-11-20T10:00:00.000Z") + "]}"
        let read = Harness.read(file, name: historyPath)
        #expect(read.problems.isEmpty)
        let (envelopes, refused) = Harness.normalize(read.records, path: historyPath)
        #expect(envelopes.count == 2)
        #expect(refused.map(\.ordinal) == [1])
        #expect(refused.first?.problem.reason.contains(reason) == true, "\(refused.first?.problem.reason ?? "")")
    }

    @Test("A malformed item is a malformed record; the items around it are read")
    func malformedItem() throws {
        let file = #"{"fileVersion":"1.0","configurationItems":["# + rdsItem() + #",{"resourceType":"AWS::RDS::DBInstance",,},"#
            + rdsItem(capture: "2026-11-20T10:00:00.000Z") + "]}"
        let read = Harness.read(file, name: historyPath)
        #expect(read.records.count == 2)
        #expect(read.problems.count == 1)
    }

    @Test("An item without ARN has no resources, and is still an event")
    func withoutARN() throws {
        let item = rdsItem().replacingOccurrences(of: #""ARN":"arn:aws:rds:us-east-1:111122223333:db:orders-db","#, with: "")
        let event = try Harness.envelope(.config, item)
        #expect(event.object["resources"] as? [String] == [])
    }

    @Test("An SNS notification whose Message is not JSON is reported, not dropped")
    func snsMessageNotJSON() throws {
        let read = Harness.read(#"{"Type":"Notification","MessageId":"m","TopicArn":"arn:aws:sns:us-east-1:111122223333:t","Message":"hello"}"#)
        #expect(read.records.isEmpty)
        #expect(read.problems.first?.reason.contains("not a JSON object") == true)
    }

    @Test("A notification without its item, and an item change whose item array holds two, are refused")
    func notificationWithoutItem() throws {
        #expect(throws: InputProblem.self) {
            try Harness.envelope(.config, #"{"messageType":"ConfigurationItemChangeNotification","notificationCreationTime":"2026-11-20T09:31:03.400Z"}"#)
        }
        #expect(throws: InputProblem.self) {
            try Harness.envelope(.config, #"{"messageType":"ConfigurationItemChangeNotification","configurationItem":["# + rdsItem() + "," + rdsItem() + "]}")
        }
    }
}

import Foundation
import Testing
@testable import VigilAWS

/// SQS message bodies announcing S3 objects, in each form AWS delivers them.
@Suite("S3 event notifications")
struct S3EventNotificationTests {
    /// An S3 event notification as S3 sends it straight to SQS: the shape of AWS's "Event message
    /// structure" page (docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html),
    /// version 2.1, with one record per `(eventName, key)`.
    static func direct(_ records: [(eventName: String, key: String)], bucket: String = "org-trail-logs") -> String {
        let rendered = records.enumerated().map { index, record in
            """
            {
              "eventVersion": "2.1",
              "eventSource": "aws:s3",
              "awsRegion": "us-east-1",
              "eventTime": "2026-11-20T00:05:13.482Z",
              "eventName": "\(record.eventName)",
              "userIdentity": {"principalId": "AWS:AROAEXAMPLEID:regionalDeliverySession"},
              "requestParameters": {"sourceIPAddress": "198.51.100.10"},
              "responseElements": {"x-amz-request-id": "C3D13FE58DE4C81\(index)", "x-amz-id-2": "FMyUVURIY8/IgAtTv8xRjskZQpcIZ9KG4V5Wp6S7S/JRWeUWerMUE5JgHvANOjpD"},
              "s3": {
                "s3SchemaVersion": "1.0",
                "configurationId": "vigil-new-logs",
                "bucket": {"name": "\(bucket)", "ownerIdentity": {"principalId": "A3NL1KOZZKExample"}, "arn": "arn:aws:s3:::\(bucket)"},
                "object": {"key": "\(record.key)", "size": \(1024 + index), "eTag": "d41d8cd98f00b204e9800998ecf8427\(index)", "sequencer": "0055AED6DCD9028\(index)"}
              }
            }
            """
        }
        return "{\"Records\": [\(rendered.joined(separator: ",\n"))]}"
    }

    /// The test event S3 sends when a notification configuration is saved, verbatim from AWS's
    /// "Event message structure" page.
    static let testEvent = """
        {
           "Service":"Amazon S3",
           "Event":"s3:TestEvent",
           "Time":"2014-10-13T15:57:02.089Z",
           "Bucket":"amzn-s3-demo-bucket",
           "RequestId":"5582815E1AEA5ADF",
           "HostId":"8cLeGAmw098X5cv4Zkwcmo8vvZa3eH3eKxsPzbB9wrR+YstdA6Knx4Ip8EXAMPLE"
        }
        """

    /// The "Object created" example of AWS's "EventBridge event message structure" page
    /// (docs.aws.amazon.com/AmazonS3/latest/userguide/ev-events.html), verbatim.
    static let eventBridgeObjectCreated = """
        {
          "version": "0",
          "id": "17793124-05d4-b198-2fde-7ededc63b103",
          "detail-type": "Object Created",
          "source": "aws.s3",
          "account": "111122223333",
          "time": "2021-11-12T00:00:00Z",
          "region": "ca-central-1",
          "resources": [
            "arn:aws:s3:::amzn-s3-demo-bucket1"
          ],
          "detail": {
            "version": "0",
            "bucket": {
              "name": "amzn-s3-demo-bucket1"
            },
            "object": {
              "key": "example-key",
              "size": 5,
              "etag": "b1946ac92492d2347c6235b4d2611184",
              "version-id": "IYV3p45BT0ac8hjHg1houSdS1a.Mro8e",
              "sequencer": "617f08299329d189"
            },
            "request-id": "N4N7GDK58NMKJ12R",
            "requester": "123456789012",
            "source-ip-address": "1.2.3.4",
            "reason": "PutObject"
          }
        }
        """

    static func eventBridge(detailType: String, key: String, source: String = "aws.s3") -> String {
        """
        {"version":"0","id":"2ee9cc15-d022-99ea-1fb8-1b1bac4850f9","detail-type":"\(detailType)","source":"\(source)",
         "account":"111122223333","time":"2026-11-20T00:05:14Z","region":"us-east-1","resources":["arn:aws:s3:::org-trail-logs"],
         "detail":{"version":"0","bucket":{"name":"org-trail-logs"},"object":{"key":"\(key)","size":2048,
         "etag":"0c2f0f3b6b1b4c9e8a2f5d7e9a1b3c5d","sequencer":"00617F08299329D189"},
         "request-id":"N4N7GDK58NMKJ12R","requester":"cloudtrail.amazonaws.com","reason":"PutObject"}}
        """
    }

    /// An SNS envelope as SNS delivers it to an SQS subscriber without raw message delivery (the
    /// shape of the SNS developer guide's HTTP/S notification example); the message is JSON text.
    static func sns(type: String = "Notification", message: String) throws -> String {
        let envelope: [String: String] = [
            "Type": type,
            "MessageId": "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324",
            "TopicArn": "arn:aws:sns:us-east-1:111122223333:log-delivery",
            "Subject": "Amazon S3 Notification",
            "Message": message,
            "Timestamp": "2026-11-20T00:05:14.012Z",
            "SignatureVersion": "1",
            "Signature": "EXAMPLEpH+DcEwjAPg8O9mY8dReBSwksfg2S7WKQcikcNKWLQjwu6A4VbeS0QHVCkhRS7fUQvi2egU3N858fiTDN6bkkOxYDVrY0Ad8L10Hs3zH81mtnPk5uvvolIC1CXGu43obcgFxeL3khZl8IKvO61GWB6jI9b5+gLPoBc1Q=",
            "SigningCertURL": "https://sns.us-east-1.amazonaws.com/SimpleNotificationService-f3ecfb7224c7233fe7bb5f59f96de52f.pem",
            "UnsubscribeURL": "https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=arn:aws:sns:us-east-1:111122223333:log-delivery:c9135db0-26c4-47ec-8998-413945fb5a96",
        ]
        let data = try JSONSerialization.data(withJSONObject: envelope, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    static func keys(_ parsed: S3EventNotification.Parsed) -> [String]? {
        guard case .objects(let objects) = parsed else { return nil }
        return objects.map(\.key)
    }

    static func isNotANotification(_ parsed: S3EventNotification.Parsed, saying part: String) -> Bool {
        guard case .notAnS3Notification(let reason) = parsed else { return false }
        return reason.contains(part)
    }

    // MARK: - Straight to SQS

    @Test func directNotificationGivesTheObjectWithItsDecodedKey() {
        let body = Self.direct([("ObjectCreated:Put", "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/file+name%3D.json.gz")])
        #expect(S3EventNotification.parse(body) == .objects([S3ObjectReference(
            bucket: "org-trail-logs",
            key: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/file name=.json.gz",
            size: 1024,
            eTag: "d41d8cd98f00b204e9800998ecf84270",
            sequencer: "0055AED6DCD90280"
        )]))
    }

    @Test(arguments: [
        ("red+flower.jpg", "red flower.jpg"),  // AWS's own example
        ("this+im+%2B+age+blah.txt", "this im + age blah.txt"),  // aws/aws-sdk-net#640
        ("c%2B%2B.json.gz", "c++.json.gz"),
        ("dt%3D2026-11-20%2Fpart.gz", "dt=2026-11-20/part.gz"),
        ("caf%C3%A9/r%C3%A9sum%C3%A9.json", "café/résumé.json"),
        ("AWSLogs%2F111122223333%2Fa.json.gz", "AWSLogs/111122223333/a.json.gz"),  // moto's quote_plus
        ("100%25.json", "100%.json"),
        ("AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/05/f.log.gz", "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/05/f.log.gz"),
    ])
    func directKeysAreFormURLDecoded(encoded: String, key: String) {
        #expect(Self.keys(S3EventNotification.parse(Self.direct([("ObjectCreated:Put", encoded)]))) == [key])
    }

    @Test(arguments: ["bad%2", "bad%zz.json", "%FF%FE.json"])
    func keysThatAreNotURLEncodedUTF8AreReported(encoded: String) {
        let parsed = S3EventNotification.parse(Self.direct([("ObjectCreated:Put", encoded)]))
        #expect(Self.isNotANotification(parsed, saying: "not URL-encoded UTF-8"))
    }

    @Test func severalRecordsGiveEveryCreatedObjectInOrder() {
        let body = Self.direct([
            ("ObjectCreated:Put", "a.json.gz"),
            ("ObjectRemoved:Delete", "old.json.gz"),
            ("ObjectCreated:CompleteMultipartUpload", "b.json.gz"),
            ("ObjectCreated:Copy", "c.json.gz"),
        ])
        guard case .objects(let objects) = S3EventNotification.parse(body) else {
            Issue.record("expected objects")
            return
        }
        #expect(objects.map(\.key) == ["a.json.gz", "b.json.gz", "c.json.gz"])
        #expect(objects.map(\.size) == [1024, 1026, 1027])
        #expect(objects.map(\.url) == ["s3://org-trail-logs/a.json.gz", "s3://org-trail-logs/b.json.gz", "s3://org-trail-logs/c.json.gz"])
    }

    @Test(arguments: [
        "ObjectRemoved:Delete", "ObjectRemoved:DeleteMarkerCreated", "ObjectRestore:Completed", "Replication:OperationFailedReplication",
        "LifecycleExpiration:Delete", "LifecycleTransition", "ObjectTagging:Put", "ObjectAcl:Put", "IntelligentTiering",
    ])
    func eventsOtherThanCreationAreIgnoredWithTheirName(eventName: String) {
        #expect(S3EventNotification.parse(Self.direct([(eventName, "a.json.gz")])) == .ignored(eventName))
    }

    @Test func ignoredReasonNamesEachEventOnce() {
        let body = Self.direct([
            ("ObjectRemoved:Delete", "a"), ("ObjectRemoved:DeleteMarkerCreated", "b"), ("ObjectRemoved:Delete", "c"),
        ])
        #expect(S3EventNotification.parse(body) == .ignored("ObjectRemoved:Delete, ObjectRemoved:DeleteMarkerCreated"))
    }

    @Test func s3CompatibleStoresWithPrefixedEventNamesAreRead() {
        // MinIO says `minio:s3` and `s3:ObjectCreated:Put`.
        let body = Self.direct([("s3:ObjectCreated:Put", "logs%2Fa+b.json")]).replacingOccurrences(of: "aws:s3", with: "minio:s3")
        #expect(Self.keys(S3EventNotification.parse(body)) == ["logs/a b.json"])
    }

    @Test func createdRecordWithoutKeyIsReported() {
        let body = #"{"Records":[{"eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"b"},"object":{"size":1}}}]}"#
        #expect(Self.isNotANotification(S3EventNotification.parse(body), saying: "record 1 (ObjectCreated:Put) has no s3.object.key"))
    }

    @Test func recordsFromAnotherServiceAreNotS3() {
        let body = #"{"Records":[{"eventID":"1","eventName":"INSERT","eventSource":"aws:dynamodb","dynamodb":{}}]}"#
        #expect(Self.isNotANotification(S3EventNotification.parse(body), saying: "aws:dynamodb"))
    }

    @Test func testEventIsRecognized() {
        #expect(S3EventNotification.parse(Self.testEvent) == .testEvent)
    }

    // MARK: - Through SNS

    @Test func snsEnvelopeIsOpened() throws {
        let inner = Self.direct([("ObjectCreated:Put", "AWSLogs/111122223333/GuardDuty/us-east-1/2026/11/20/a+b%2B.jsonl.gz")])
        let parsed = S3EventNotification.parse(try Self.sns(message: inner))
        #expect(Self.keys(parsed) == ["AWSLogs/111122223333/GuardDuty/us-east-1/2026/11/20/a b+.jsonl.gz"])
    }

    @Test func snsEnvelopeHoldingTheTestEventIsTheTestEvent() throws {
        #expect(S3EventNotification.parse(try Self.sns(message: Self.testEvent)) == .testEvent)
    }

    @Test func snsEnvelopeHoldingAnEventBridgeEventIsOpened() throws {
        #expect(Self.keys(S3EventNotification.parse(try Self.sns(message: Self.eventBridgeObjectCreated))) == ["example-key"])
    }

    @Test func snsEnvelopeHoldingRemovalsIsIgnored() throws {
        let inner = Self.direct([("ObjectRemoved:Delete", "a.json.gz")])
        #expect(S3EventNotification.parse(try Self.sns(message: inner)) == .ignored("ObjectRemoved:Delete"))
    }

    @Test(arguments: ["SubscriptionConfirmation", "UnsubscribeConfirmation"])
    func snsConfirmationsAreIgnored(type: String) throws {
        let message = "You have chosen to subscribe to the topic arn:aws:sns:us-east-1:111122223333:log-delivery.\nTo confirm the subscription, visit the SubscribeURL included in this message."
        #expect(S3EventNotification.parse(try Self.sns(type: type, message: message)) == .ignored("SNS \(type)"))
    }

    @Test func snsEnvelopeHoldingSomethingElseSaysSo() throws {
        let parsed = S3EventNotification.parse(try Self.sns(message: "Hello world!"))
        #expect(Self.isNotANotification(parsed, saying: "SNS notification whose Message is not an S3 notification"))
        #expect(Self.isNotANotification(parsed, saying: "not JSON"))
    }

    @Test func snsInsideSNSIsRefused() throws {
        let twice = try Self.sns(message: try Self.sns(message: Self.testEvent))
        #expect(Self.isNotANotification(S3EventNotification.parse(twice), saying: "SNS envelope inside an SNS envelope"))
    }

    // MARK: - EventBridge

    @Test func eventBridgeObjectCreatedFromAWSDocumentation() {
        #expect(S3EventNotification.parse(Self.eventBridgeObjectCreated) == .objects([S3ObjectReference(
            bucket: "amzn-s3-demo-bucket1", key: "example-key", size: 5,
            eTag: "b1946ac92492d2347c6235b4d2611184", sequencer: "617f08299329d189"
        )]))
    }

    @Test func eventBridgeKeysAreTakenAsTheyAre() {
        let key = "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/c++ file%2B.json.gz"
        #expect(Self.keys(S3EventNotification.parse(Self.eventBridge(detailType: "Object Created", key: key))) == [key])
    }

    @Test func eventBridgeETagAsMotoWritesIt() {
        let body = Self.eventBridge(detailType: "Object Created", key: "k").replacingOccurrences(of: "\"etag\"", with: "\"eTag\"")
        guard case .objects(let objects) = S3EventNotification.parse(body) else {
            Issue.record("expected objects")
            return
        }
        #expect(objects.first?.eTag == "0c2f0f3b6b1b4c9e8a2f5d7e9a1b3c5d")
    }

    @Test(arguments: ["Object Deleted", "Object Restore Completed", "Object Storage Class Changed", "Object Tags Added"])
    func otherEventBridgeDetailTypesAreIgnored(detailType: String) {
        #expect(S3EventNotification.parse(Self.eventBridge(detailType: detailType, key: "a.json.gz")) == .ignored(detailType))
    }

    @Test func eventBridgeEventFromAnotherSourceIsNotS3() {
        let body = Self.eventBridge(detailType: "GuardDuty Finding", key: "a", source: "aws.guardduty")
        #expect(Self.isNotANotification(S3EventNotification.parse(body), saying: "from aws.guardduty"))
    }

    // MARK: - Not a notification

    @Test func malformedJSONSaysHowItStarts() {
        let parsed = S3EventNotification.parse(#"{"Records": [{"eventSource": "aws:s3""#)
        #expect(Self.isNotANotification(parsed, saying: "not JSON (it starts with \"{\"Records\": [{\"eventSource\": \"aws:s3\"\""))
    }

    @Test func jsonArrayIsNotANotification() {
        let parsed = S3EventNotification.parse(#"[{"Records": []}]"#)
        #expect(parsed == .notAnS3Notification("the message body is a JSON array, not a JSON object"))
    }

    @Test(arguments: ["", "   \n\t"])
    func emptyBodyIsNotANotification(body: String) {
        #expect(S3EventNotification.parse(body) == .notAnS3Notification("the message body is empty"))
    }

    @Test func otherJSONValuesAreNamed() {
        #expect(Self.isNotANotification(S3EventNotification.parse(#""hello""#), saying: "a JSON string"))
        #expect(Self.isNotANotification(S3EventNotification.parse("42"), saying: "a JSON number"))
        #expect(Self.isNotANotification(S3EventNotification.parse("null"), saying: "null"))
    }

    @Test func otherObjectsListTheirKeys() {
        let parsed = S3EventNotification.parse(#"{"eventVersion":"1.08","eventName":"ConsoleLogin","awsRegion":"us-east-1"}"#)
        #expect(Self.isNotANotification(parsed, saying: "keys: awsRegion, eventName, eventVersion"))
    }

    @Test func recordsThatAreNotAnArrayOrEmptyAreReported() {
        #expect(Self.isNotANotification(S3EventNotification.parse(#"{"Records":{}}"#), saying: "Records is a JSON object, not an array"))
        #expect(S3EventNotification.parse(#"{"Records":[]}"#) == .notAnS3Notification("Records is empty"))
    }
}

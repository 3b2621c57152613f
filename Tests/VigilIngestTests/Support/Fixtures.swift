import Foundation
import VigilPattern

/// Small, realistic records written as compact JSON text, the same for the same arguments.
enum Fixture {
    /// A CloudTrail log file `{"Records":[…]}` of at least `size` bytes, in which every
    /// `bigEvery`-th record (counting from `bigEvery / 2`) is padded to about 900 KB, close to a
    /// 1 MiB record limit: what a reader's window must grow for and then give back. Returns the
    /// file's bytes, its record count and how many records are big.
    static func largeCloudTrailFile(atLeast size: Int, bigEvery: Int) -> (body: [UInt8], records: Int, bigRecords: Int) {
        var body = Array(#"{"Records":["#.utf8)
        var index = 0
        var bigRecords = 0
        while body.count < size {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            let padding = index % bigEvery == bigEvery / 2 ? 900_000 : 0
            if padding > 0 { bigRecords += 1 }
            body.append(contentsOf: cloudTrail(index, padding: padding).utf8)
            index += 1
        }
        body.append(contentsOf: "]}".utf8)
        return (body, index, bigRecords)
    }

    /// A CloudTrail record (eventVersion 1.08) on one line.
    static func cloudTrail(_ index: Int, eventName: String = "GetObject", eventSource: String = "s3.amazonaws.com",
                           eventType: String = "AwsApiCall", padding: Int = 0) -> String {
        let pad = padding > 0 ? #","padding":"\#(String(repeating: "x", count: padding))""# : ""
        return #"{"eventVersion":"1.08","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE\#(index)","#
            + #""arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"#
            + #""eventTime":"2026-11-20T09:\#(twoDigits(index / 60 % 60)):\#(twoDigits(index % 60))Z","#
            + #""eventSource":"\#(eventSource)","eventName":"\#(eventName)","awsRegion":"us-east-1","#
            + #""sourceIPAddress":"198.51.100.\#(index % 256)","userAgent":"aws-cli/2.15","#
            + #""requestParameters":{"bucketName":"logs","key":"k/\#(index)"},"responseElements":null,"#
            + #""eventID":"\#(eventID(index))","readOnly":true,"eventType":"\#(eventType)","#
            + #""managementEvent":false,"recipientAccountId":"111122223333","eventCategory":"Data"\#(pad)}"#
    }

    static func eventID(_ index: Int) -> String {
        let hex = String(index, radix: 16)
        return "0000aaaa-bbbb-4ccc-8ddd-" + String(repeating: "0", count: max(0, 12 - hex.count)) + hex
    }

    /// A raw GuardDuty finding.
    static func finding(_ index: Int, updatedAt: String = "2026-11-20T09:05:00.123Z") -> String {
        #"{"schemaVersion":"2.0","accountId":"111122223333","region":"eu-west-1","partition":"aws","#
            + #""id":"finding\#(index)","arn":"arn:aws:guardduty:eu-west-1:111122223333:detector/d/finding/finding\#(index)","#
            + #""type":"Recon:EC2/PortProbeUnprotectedPort","resource":{"resourceType":"Instance"},"#
            + #""service":{"serviceName":"guardduty","count":\#(index + 1)},"severity":2,"#
            + #""createdAt":"2026-11-20T08:00:00.000Z","updatedAt":"\#(updatedAt)","title":"t","description":"d"}"#
    }

    /// An EventBridge "GuardDuty Finding" event around `finding(index)`.
    static func guardDutyEvent(_ index: Int) -> String {
        #"{"version":"0","id":"c8c4daa7-a20c-2f03-0070-b7393dd542a\#(index % 10)","detail-type":"GuardDuty Finding","#
            + #""source":"aws.guardduty","account":"111122223333","time":"2026-11-20T09:05:00Z","region":"eu-west-1","#
            + #""resources":[],"detail":\#(finding(index))}"#
    }

    /// A default-format (v2) flow log line.
    static func flowLine(_ index: Int, action: String = "ACCEPT") -> String {
        "2 111122223333 eni-0a1b2c3d4e5f60718 10.0.1.\(index % 250) 10.0.2.5 \(40000 + index) 443 6 \(index + 1) \(840 * (index + 1)) "
            + "\(1763629200 + index) \(1763629260 + index) \(action) OK"
    }

    static let v5Header = "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
        + "action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region az-id "
        + "sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path"

    static func v5Line(_ index: Int) -> String {
        "5 111122223333 eni-0a1b2c3d4e5f60718 10.0.1.\(index) 52.95.128.179 \(50000 + index) 443 6 10 5000 1763629200 1763629260 "
            + "ACCEPT OK vpc-0abc subnet-0abc i-0abc 19 IPv4 10.0.1.\(index) 52.95.128.179 eu-west-1 euw1-az1 - - - S3 8 egress"
    }

    /// Pretty-printed (multi-line) JSON for a compact object.
    static func pretty(_ json: String) -> String {
        let object = try! JSONSerialization.jsonObject(with: Data(json.utf8))
        let data = try! JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private static func twoDigits(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}

import Foundation
import VigilAlerts
@testable import VigilReport

/// Alert lines in ARCHITECTURE.md's shape, one per source, their events shaped as the envelope
/// table says (field names from AWS's documentation, values from SampleLogs' story), with hostile
/// text where an attacker writes it.
enum AlertFixtures {
    /// A user agent an attacker chose: markup that would run in a page, and a terminal escape
    /// that would clear the screen.
    static let hostileUserAgent = #"<script>window.__pwned=1;console.error('pwned')</script><img src=x onerror=\"window.__pwned=2\">\u001b[2J\u009b31m"#

    static func line(id: String, rule: String = "rds-snapshot-shared-publicly", severity: String = "high",
                     time: String = "2026-11-20T09:14:07Z", file: String = "SampleLogs/ct.json.gz", record: Int = 3,
                     event: String) -> String {
        #"{"id":"\#(id)","rule":"\#(rule)","severity":"\#(severity)","time":"\#(time)","source":{"file":"\#(file)","record":\#(record)},"event":\#(event)}"#
    }

    static func cloudTrail(userAgent: String = "aws-cli/2.15.0", userName: String = "ci-deploy", time: String = "2026-11-20T09:14:07Z") -> String {
        #"{"version":"0","id":"6f1b","detail-type":"AWS API Call via CloudTrail","source":"aws.rds","account":"111122223333","time":"\#(time)","region":"eu-west-1","resources":[],"detail":{"eventVersion":"1.09","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLE","arn":"arn:aws:iam::111122223333:user/\#(userName)","accountId":"111122223333","accessKeyId":"AKIAEXAMPLELEAKED01","userName":"\#(userName)"},"eventTime":"\#(time)","eventSource":"rds.amazonaws.com","eventName":"ModifyDBSnapshotAttribute","awsRegion":"eu-west-1","sourceIPAddress":"203.0.113.50","userAgent":"\#(userAgent)","requestParameters":{"dBSnapshotIdentifier":"billing-pg-final","attributeName":"restore","valuesToAdd":["all"]},"responseElements":null,"eventID":"e1","eventType":"AwsApiCall","recipientAccountId":"111122223333"}}"#
    }

    static let flow = #"{"version":"0","id":"f1","detail-type":"VPC Flow Log Record","source":"aws.vpcflowlogs","account":"111122223333","time":"2026-11-20T09:20:00Z","region":"eu-west-1","resources":[],"detail":{"version":2,"account-id":"111122223333","interface-id":"eni-0a1b2c3d","srcaddr":"10.0.1.25","dstaddr":"203.0.113.50","srcport":49152,"dstport":443,"protocol":6,"packets":20,"bytes":4000000,"start":1795166400,"end":1795166460,"action":"ACCEPT","log-status":"OK"}}"#

    static let guardDuty = #"{"version":"0","id":"g1","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"111122223333","time":"2026-11-20T09:30:00Z","region":"eu-west-1","resources":[],"detail":{"id":"abc","type":"UnauthorizedAccess:IAMUser/MaliciousIPCaller","title":"API ModifyDBSnapshotAttribute was invoked from a known malicious IP address.","resource":{"resourceType":"AccessKey","accessKeyDetails":{"accessKeyId":"AKIAEXAMPLELEAKED01","principalId":"AIDAEXAMPLE","userName":"ci-deploy","userType":"IAMUser"}},"service":{"action":{"actionType":"AWS_API_CALL","awsApiCallAction":{"api":"ModifyDBSnapshotAttribute","remoteIpDetails":{"ipAddressV4":"203.0.113.50"}}}},"severity":8,"updatedAt":"2026-11-20T09:30:00.000Z"}}"#

    static let securityHub = #"{"version":"0","id":"s1","detail-type":"Security Hub Findings - Imported","source":"aws.securityhub","account":"111122223333","time":"2026-11-20T10:00:00Z","region":"eu-west-1","resources":["arn:aws:securityhub:eu-west-1:111122223333:subscription/aws-foundational-security-best-practices/v/1.0.0/RDS.1/finding/1"],"detail":{"findings":[{"SchemaVersion":"2018-10-08","Id":"f","Title":"RDS snapshot should be private","Network":{"SourceIpV4":"198.51.100.7"},"Resources":[{"Type":"AwsRdsDbSnapshot","Id":"arn:aws:rds:eu-west-1:111122223333:snapshot:billing-pg-final"}]}]}}"#

    static let config = #"{"version":"0","id":"c1","detail-type":"Config Configuration Item Change","source":"aws.config","account":"111122223333","time":"2026-11-20T09:15:00Z","region":"eu-west-1","resources":["arn:aws:rds:eu-west-1:111122223333:snapshot:billing-pg-final"],"detail":{"recordVersion":"1.3","messageType":"ConfigurationItemChangeNotification","configurationItem":{"resourceType":"AWS::RDS::DBSnapshot","resourceId":"billing-pg-final","resourceName":"billing-pg-final","configurationItemStatus":"OK","relatedEvents":["e1"]},"configurationItemDiff":{"changeType":"UPDATE","changedProperties":{}}}}"#

    static func databaseAudit(sql: String) -> String {
        #"{"version":"0","id":"d1","detail-type":"RDS Database Activity Event","source":"aws.rds","account":"111122223333","time":"2026-11-20T09:40:00Z","region":"eu-west-1","resources":[],"detail":{"logTime":"2026-11-20T09:40:00Z","dbUserName":"app_admin","remoteHost":"203.0.113.50","remotePort":50123,"databaseName":"billing","command":"QUERY","commandText":"\#(sql)","engine":"mysql","dbInstance":"billing-pg"}}"#
    }

    static func document(_ line: String) throws -> AlertDocument {
        try AlertDocument(line: Array(line.utf8))
    }
}

import Foundation
import Testing
import VigilPattern
@testable import VigilPipeline

/// Pivots expanded into patterns, tested with the pattern engine (`vigil test-pattern`'s semantics)
/// on hand-written envelopes shaped as each source's reader writes them (ARCHITECTURE.md's envelope
/// table; /work/shared/DESIGN.md for Config, database audit and Security Hub, whose readers land on
/// main separately): each finds the event carrying the value and not a neighbour that does not.
@Suite struct PivotTests {
    static func matches(_ pivot: Pivot, _ event: String) -> Bool {
        PatternTester.test(pattern: Array(pivot.pattern.utf8), event: Array(event.utf8)) == .match
    }

    static func envelope(source: String, detailType: String, detail: String, resources: String = "[]") -> String {
        #"{"version":"0","id":"7f0a7b5c-0000-0000-0000-000000000000","detail-type":"\#(detailType)","source":"\#(source)","#
            + #""account":"111122223333","time":"2026-11-20T09:20:00Z","region":"us-east-1","resources":\#(resources),"detail":\#(detail)}"#
    }

    static func cloudTrail(_ detail: String) -> String {
        envelope(source: "aws.rds", detailType: "AWS API Call via CloudTrail", detail: detail)
    }

    // MARK: every row of the tables

    /// A value in the spelling a field holds it.
    static func sample(_ spelling: PivotField.Spelling, name: String) -> String {
        switch spelling {
        case .address: name
        case .name, .qualifiedName: name
        case .arn: "arn:aws:rds:us-east-1:111122223333:db:\(name)"
        case .nameOrARN: name
        }
    }

    /// `{"a":{"b":VALUE}}` for the field's path, with its companion member.
    static func event(for field: PivotField, value: String) -> String {
        var inner = "\"\(field.path.last!)\":\"\(value)\""
        if let alongside = field.alongside { inner += ",\"\(alongside.member)\":\"\(alongside.values[0])\"" }
        var text = "{" + inner + "}"
        for name in field.path.dropLast().reversed() { text = "{\"\(name)\":" + text + "}" }
        return text
    }

    @Test(arguments: Pivot.Kind.allCases)
    func everyFieldOfTheTableFindsItsValueAndNotAnother(kind: Pivot.Kind) throws {
        let wanted = kind == .ip ? "198.51.100.23" : "orders-db"
        let other = kind == .ip ? "198.51.100.24" : "orders-db-staging"
        let pivot = try Pivot(kind, values: [wanted])
        for field in PivotFields.fields(of: kind) {
            #expect(Self.matches(pivot, Self.event(for: field, value: Self.sample(field.spelling, name: wanted))),
                    "\(field.source) \(field.path.joined(separator: "."))")
            #expect(!Self.matches(pivot, Self.event(for: field, value: Self.sample(field.spelling, name: other))),
                    "\(field.source) \(field.path.joined(separator: "."))")
        }
    }

    // MARK: --ip, source by source

    @Test func ipFindsCloudTrailSourceAddressAndCIDR() throws {
        let call = Self.cloudTrail(#"{"eventName":"GetSecretValue","sourceIPAddress":"198.51.100.23","userAgent":"aws-cli"}"#)
        let neighbour = Self.cloudTrail(#"{"eventName":"GetSecretValue","sourceIPAddress":"203.0.113.10","userAgent":"198.51.100.23"}"#)
        let service = Self.cloudTrail(#"{"eventName":"AssumeRole","sourceIPAddress":"lambda.amazonaws.com"}"#)
        for value in ["198.51.100.23", "198.51.100.0/24", "198.51.100.23/32"] {
            let pivot = try Pivot(.ip, values: [value])
            #expect(Self.matches(pivot, call), "\(value)")
            #expect(!Self.matches(pivot, neighbour), "an address elsewhere (a user agent) is not the caller's: \(value)")
            #expect(!Self.matches(pivot, service), "\(value)")
        }
    }

    @Test func ipFindsFlowRecordsByEveryAddressField() throws {
        let pivot = try Pivot(.ip, values: ["198.51.100.23"])
        for field in ["srcaddr", "dstaddr", "pkt-srcaddr", "pkt-dstaddr"] {
            let detail = #"{"version":2,"account-id":"111122223333","interface-id":"eni-1","\#(field)":"198.51.100.23","srcport":3306,"action":"REJECT"}"#
            #expect(Self.matches(pivot, Self.envelope(source: "aws.vpcflowlogs", detailType: "VPC Flow Log Record", detail: detail)), "\(field)")
        }
        let neighbour = #"{"version":2,"srcaddr":"198.51.100.22","dstaddr":"10.0.12.34","srcport":23}"#
        #expect(!Self.matches(pivot, Self.envelope(source: "aws.vpcflowlogs", detailType: "VPC Flow Log Record", detail: neighbour)))
    }

    @Test func ipFindsGuardDutyRemoteAddressesOfEveryActionKind() throws {
        let pivot = try Pivot(.ip, values: ["198.51.100.23"])
        let actions = [
            #"{"actionType":"PORT_PROBE","portProbeAction":{"blocked":false,"portProbeDetails":[{"localPortDetails":{"port":22},"remoteIpDetails":{"ipAddressV4":"192.0.2.99"}},{"localPortDetails":{"port":3306},"remoteIpDetails":{"ipAddressV4":"198.51.100.23"}}]}}"#,
            #"{"actionType":"AWS_API_CALL","awsApiCallAction":{"api":"StopLogging","remoteIpDetails":{"ipAddressV4":"198.51.100.23","organization":{"asn":"64500"}}}}"#,
            #"{"actionType":"NETWORK_CONNECTION","networkConnectionAction":{"connectionDirection":"INBOUND","remoteIpDetails":{"ipAddressV4":"198.51.100.23"}}}"#,
            #"{"actionType":"KUBERNETES_API_CALL","kubernetesApiCallAction":{"requestUri":"/api","remoteIpDetails":{"ipAddressV4":"198.51.100.23"}}}"#,
            #"{"actionType":"RDS_LOGIN_ATTEMPT","rdsLoginAttemptAction":{"remoteIpDetails":{"ipAddressV4":"198.51.100.23"},"loginAttributes":[{"user":"app"}]}}"#,
        ]
        for action in actions {
            let finding = #"{"schemaVersion":"2.0","accountId":"111122223333","type":"T","service":{"serviceName":"guardduty","action":\#(action)}}"#
            #expect(Self.matches(pivot, Self.envelope(source: "aws.guardduty", detailType: "GuardDuty Finding", detail: finding)), "\(action)")
            let elsewhere = action.replacingOccurrences(of: "198.51.100.23", with: "198.51.100.230")
            let neighbour = #"{"schemaVersion":"2.0","type":"T","service":{"action":\#(elsewhere)},"description":"198.51.100.23"}"#
            #expect(!Self.matches(pivot, Self.envelope(source: "aws.guardduty", detailType: "GuardDuty Finding", detail: neighbour)), "\(action)")
        }
        let instance = #"{"resource":{"resourceType":"Instance","instanceDetails":{"networkInterfaces":[{"privateIpAddress":"10.0.1.5","publicIp":"198.51.100.23"}]}}}"#
        #expect(Self.matches(pivot, Self.envelope(source: "aws.guardduty", detailType: "GuardDuty Finding", detail: instance)))
    }

    @Test func ipFindsSecurityHubNetworkAndActionAddresses() throws {
        let pivot = try Pivot(.ip, values: ["198.51.100.0/24"])
        let network = #"{"findings":[{"SchemaVersion":"2018-10-08","Id":"f1","Network":{"Direction":"IN","SourceIpV4":"198.51.100.23","DestinationIpV4":"10.0.12.34"}}]}"#
        let action = #"{"findings":[{"SchemaVersion":"2018-10-08","Id":"f2","Action":{"ActionType":"PORT_PROBE","PortProbeAction":{"PortProbeDetails":[{"RemoteIpDetails":{"IpAddressV4":"198.51.100.7"}}]}}}]}"#
        let neighbour = #"{"findings":[{"SchemaVersion":"2018-10-08","Id":"198.51.100.23","Network":{"SourceIpV4":"203.0.113.10"}}]}"#
        for (detail, expected) in [(network, true), (action, true), (neighbour, false)] {
            let event = Self.envelope(source: "aws.securityhub", detailType: "Security Hub Findings - Imported", detail: detail)
            #expect(Self.matches(pivot, event) == expected, "\(detail)")
        }
    }

    @Test func ipFindsConfigItemsAndAuditRecords() throws {
        let pivot = try Pivot(.ip, values: ["198.51.100.23"])
        let item = #"{"messageType":"ConfigurationItemChangeNotification","configurationItem":{"resourceType":"AWS::EC2::NetworkInterface","resourceId":"eni-1","configuration":{"privateIpAddress":"10.0.1.5","association":{"publicIp":"198.51.100.23"}}}}"#
        let otherItem = item.replacingOccurrences(of: "198.51.100.23", with: "198.51.100.29")
        #expect(Self.matches(pivot, Self.envelope(source: "aws.config", detailType: "Config Configuration Item Change", detail: item)))
        #expect(!Self.matches(pivot, Self.envelope(source: "aws.config", detailType: "Config Configuration Item Change", detail: otherItem)))
        let audit = #"{"logTime":"2026-11-20T09:26:10Z","dbUserName":"app","remoteHost":"198.51.100.23","command":"CONNECT","engine":"mysql","dbInstance":"orders-db"}"#
        let otherAudit = #"{"logTime":"2026-11-20T09:26:10Z","dbUserName":"app","remoteHost":"10.0.1.5","commandText":"select '198.51.100.23'","engine":"mysql"}"#
        #expect(Self.matches(pivot, Self.envelope(source: "aws.rds", detailType: "RDS Database Activity Event", detail: audit)))
        #expect(!Self.matches(pivot, Self.envelope(source: "aws.rds", detailType: "RDS Database Activity Event", detail: otherAudit)))
    }

    @Test func ipValuesAreChecked() {
        #expect(throws: Pivot.ValueError.self) { try Pivot(.ip, values: ["orders-db"]) }
        #expect(throws: Pivot.ValueError.self) { try Pivot(.ip, values: ["10.0.0.0/33"]) }
        #expect(throws: Pivot.ValueError.self) { try Pivot(.principal, values: [""]) }
    }

    // MARK: --principal

    @Test func principalFindsAKeyAUserASessionAndAnARN() throws {
        let attacker = Self.cloudTrail(#"{"eventName":"StopLogging","userIdentity":{"type":"IAMUser","principalId":"AIDAEXAMPLECIDEPLOY","arn":"arn:aws:iam::111122223333:user/ci-deploy","accountId":"111122223333","accessKeyId":"AKIAEXAMPLELEAKED01","userName":"ci-deploy"}}"#)
        let session = Self.cloudTrail(#"{"eventName":"CreateDBSnapshot","userIdentity":{"type":"AssumedRole","principalId":"AROAEXAMPLEROLE:snapshot-run-42","arn":"arn:aws:sts::111122223333:assumed-role/rds-snapshot-automation/snapshot-run-42","sessionContext":{"sessionIssuer":{"type":"Role","arn":"arn:aws:iam::111122223333:role/rds-snapshot-automation","userName":"rds-snapshot-automation"}}}}"#)
        let neighbour = Self.cloudTrail(#"{"eventName":"ListUsers","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/ci-deploy-2","accessKeyId":"AKIAEXAMPLEOTHER001","userName":"ci-deploy-2"},"requestParameters":{"userName":"ci-deploy"}}"#)
        for value in ["ci-deploy", "AKIAEXAMPLELEAKED01", "arn:aws:iam::111122223333:user/ci-deploy"] {
            let pivot = try Pivot(.principal, values: [value])
            #expect(Self.matches(pivot, attacker), "\(value)")
            #expect(!Self.matches(pivot, neighbour), "\(value)")
            #expect(!Self.matches(pivot, session), "\(value)")
        }
        for value in ["snapshot-run-42", "rds-snapshot-automation", "arn:aws:sts::111122223333:assumed-role/rds-snapshot-automation/snapshot-run-42"] {
            #expect(Self.matches(try Pivot(.principal, values: [value]), session), "\(value)")
            #expect(!Self.matches(try Pivot(.principal, values: [value]), attacker), "\(value)")
        }
    }

    @Test func principalFindsGuardDutySecurityHubAndAuditRecords() throws {
        let pivot = try Pivot(.principal, values: ["AKIAEXAMPLELEAKED01", "app"])
        let finding = #"{"type":"Stealth:IAMUser/CloudTrailLoggingDisabled","resource":{"resourceType":"AccessKey","accessKeyDetails":{"accessKeyId":"AKIAEXAMPLELEAKED01","principalId":"AIDAEXAMPLECIDEPLOY","userName":"ci-deploy","userType":"IAMUser"}}}"#
        #expect(Self.matches(pivot, Self.envelope(source: "aws.guardduty", detailType: "GuardDuty Finding", detail: finding)))
        let asff = #"{"findings":[{"Id":"f3","Resources":[{"Type":"AwsIamAccessKey","Id":"AKIAEXAMPLELEAKED01","Details":{"AwsIamAccessKey":{"PrincipalName":"ci-deploy"}}}]}]}"#
        let asffOther = #"{"findings":[{"Id":"f4","Resources":[{"Type":"AwsS3Bucket","Id":"arn:aws:s3:::app"}]}]}"#
        #expect(Self.matches(pivot, Self.envelope(source: "aws.securityhub", detailType: "Security Hub Findings - Imported", detail: asff)))
        #expect(!Self.matches(pivot, Self.envelope(source: "aws.securityhub", detailType: "Security Hub Findings - Imported", detail: asffOther)),
                "a bucket named like the user is no principal")
        let audit = #"{"dbUserName":"app","remoteHost":"10.0.1.5","command":"QUERY"}"#
        let auditOther = #"{"dbUserName":"reporting","remoteHost":"10.0.1.5","command":"QUERY","commandText":"grant select to app"}"#
        #expect(Self.matches(pivot, Self.envelope(source: "aws.rds", detailType: "RDS Database Activity Event", detail: audit)))
        #expect(!Self.matches(pivot, Self.envelope(source: "aws.rds", detailType: "RDS Database Activity Event", detail: auditOther)))
    }

    // MARK: --resource

    @Test func resourceFindsANameInRequestsResponsesAndARNs() throws {
        let pivot = try Pivot(.resource, values: ["orders-db"])
        let modify = Self.cloudTrail(#"{"eventName":"ModifyDBInstance","requestParameters":{"dBInstanceIdentifier":"orders-db"}}"#)
        let tags = Self.cloudTrail(#"{"eventName":"AddTagsToResource","requestParameters":{"resourceName":"arn:aws:rds:us-east-1:111122223333:db:orders-db"}}"#)
        let created = Self.cloudTrail(#"{"eventName":"CreateDBInstance","responseElements":{"dBInstanceArn":"arn:aws:rds:us-east-1:111122223333:db:orders-db"}}"#)
        let neighbour = Self.cloudTrail(#"{"eventName":"ModifyDBInstance","requestParameters":{"dBInstanceIdentifier":"orders-db-staging","description":"orders-db"}}"#)
        #expect(Self.matches(pivot, modify))
        #expect(Self.matches(pivot, tags))
        #expect(Self.matches(pivot, created))
        #expect(!Self.matches(pivot, neighbour))
        let byARN = try Pivot(.resource, values: ["arn:aws:rds:us-east-1:111122223333:db:orders-db"])
        #expect(Self.matches(byARN, modify), "an ARN finds the bare id too")
        #expect(Self.matches(byARN, tags))
        #expect(!Self.matches(byARN, neighbour))
    }

    @Test func resourceFindsSecurityGroupsSnapshotsAndBuckets() throws {
        let ingress = Self.cloudTrail(#"{"eventName":"AuthorizeSecurityGroupIngress","requestParameters":{"groupId":"sg-0d8b3306c1a2b3c4d"}}"#)
        #expect(Self.matches(try Pivot(.resource, values: ["sg-0d8b3306c1a2b3c4d"]), ingress))
        #expect(!Self.matches(try Pivot(.resource, values: ["sg-0d8b3306c1a2b3c4e"]), ingress))
        let share = Self.cloudTrail(#"{"eventName":"ModifyDBSnapshotAttribute","requestParameters":{"dBSnapshotIdentifier":"orders-db-manual-2026-11-20","attributeName":"restore"}}"#)
        #expect(Self.matches(try Pivot(.resource, values: ["orders-db-manual-2026-11-20"]), share))
        #expect(!Self.matches(try Pivot(.resource, values: ["orders-db"]), share), "a snapshot of orders-db is not orders-db")
        let asff = #"{"findings":[{"Id":"f5","Resources":[{"Type":"AwsS3Bucket","Id":"arn:aws:s3:::orders-web-assets"}]}]}"#
        let event = Self.envelope(source: "aws.securityhub", detailType: "Security Hub Findings - Imported", detail: asff)
        #expect(Self.matches(try Pivot(.resource, values: ["orders-web-assets"]), event))
        #expect(!Self.matches(try Pivot(.resource, values: ["web-assets"]), event))
    }

    @Test func resourceFindsConfigGuardDutyAndAuditRecords() throws {
        let pivot = try Pivot(.resource, values: ["orders-db"])
        let item = #"{"configurationItem":{"resourceType":"AWS::RDS::DBInstance","resourceId":"db-ABCDEFGHIJKLMNOP","resourceName":"orders-db","ARN":"arn:aws:rds:us-east-1:111122223333:db:orders-db"}}"#
        let otherItem = #"{"configurationItem":{"resourceType":"AWS::RDS::DBInstance","resourceId":"db-QRSTUVWXYZ","resourceName":"reporting-db","configuration":{"dBName":"orders-db"}}}"#
        #expect(Self.matches(pivot, Self.envelope(source: "aws.config", detailType: "Config Configuration Item Change", detail: item)))
        #expect(!Self.matches(pivot, Self.envelope(source: "aws.config", detailType: "Config Configuration Item Change", detail: otherItem)))
        let finding = #"{"type":"CredentialAccess:RDS/AnomalousBehavior.SuccessfulLogin","resource":{"resourceType":"RDSDBInstance","rdsDbInstanceDetails":{"dbInstanceIdentifier":"orders-db","engine":"MySQL"}}}"#
        #expect(Self.matches(pivot, Self.envelope(source: "aws.guardduty", detailType: "GuardDuty Finding", detail: finding)))
        let audit = #"{"dbUserName":"app","command":"QUERY","engine":"mysql","dbInstance":"orders-db"}"#
        let otherAudit = #"{"dbUserName":"app","command":"QUERY","engine":"mysql","dbInstance":"reporting-db","databaseName":"orders-db"}"#
        #expect(Self.matches(pivot, Self.envelope(source: "aws.rds", detailType: "RDS Database Activity Event", detail: audit)))
        #expect(!Self.matches(pivot, Self.envelope(source: "aws.rds", detailType: "RDS Database Activity Event", detail: otherAudit)))
        let cluster = #"{"dbUserName":"app","engine":"postgres","dbCluster":"orders-db"}"#
        #expect(Self.matches(pivot, Self.envelope(source: "aws.rds", detailType: "RDS Database Activity Event", detail: cluster)))
    }

    // MARK: combining

    @Test func aPatternAndPivotsCombineWithAnd() throws {
        let query = try HuntQuery(pattern: Array(#"{"detail":{"eventName":["StopLogging"]}}"#.utf8),
                                  pivots: [try Pivot(.ip, values: ["198.51.100.23"]), try Pivot(.principal, values: ["ci-deploy"])])
        let matcher = query.patterns.makeMatcher()
        func count(_ event: String) throws -> Int { try matcher.match(Array(event.utf8)).count }
        let all = Self.cloudTrail(#"{"eventName":"StopLogging","sourceIPAddress":"198.51.100.23","userIdentity":{"userName":"ci-deploy"}}"#)
        let twoOfThree = Self.cloudTrail(#"{"eventName":"StopLogging","sourceIPAddress":"198.51.100.23","userIdentity":{"userName":"anaya"}}"#)
        #expect(try count(all) == 3)
        #expect(try count(twoOfThree) == 2)
        #expect(query.parts.map(\.name) == ["pattern", "--ip", "--principal"])
        #expect(query.explanation.split(separator: "\n").count == 7)
        #expect(throws: HuntQuery.Invalid.self) { try HuntQuery(pattern: nil, pivots: []) }
        #expect(throws: HuntQuery.Invalid.self) { try HuntQuery(pattern: Array(#"{"detail":["#.utf8), pivots: []) }
    }

    @Test func anARNsLastPartIsItsName() {
        #expect(Pivot.lastPart(ofARN: "arn:aws:rds:us-east-1:111122223333:db:orders-db") == "orders-db")
        #expect(Pivot.lastPart(ofARN: "arn:aws:ec2:us-east-1:111122223333:security-group/sg-1") == "sg-1")
        #expect(Pivot.lastPart(ofARN: "arn:aws:s3:::orders-web-assets") == "orders-web-assets")
        #expect(Pivot.lastPart(ofARN: "arn:aws:sts::111122223333:assumed-role/Role/session") == "session")
    }
}

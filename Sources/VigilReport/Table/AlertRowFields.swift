/// What a person reads first about an alert or event, one short text per column: when, how bad,
/// which rule, who did it, from where, what was done, and to which resource.
///
/// Each source says these things in its own fields (ARCHITECTURE.md's envelope table); this type
/// is the one place that knows where. The texts are as logged, not yet made safe to show: a
/// table escapes them for a terminal (`TerminalText`), a report for HTML or Markdown.
public struct AlertRowFields: Sendable, Hashable {
    public var time: String
    /// nil for an event that is no alert (`vigil hunt`'s rows).
    public var severity: String?
    public var rule: String?
    /// The principal: an IAM ARN or user name, a database user, a finding's access key user.
    public var who: String?
    /// The address the action came from: an IP address (with its port for flows and database
    /// connections) or the AWS service that acted.
    public var from: String?
    /// The action: an API call, a flow and its verdict, a finding's title, a SQL command.
    public var what: String?
    /// The resource acted on: a DB instance, snapshot, bucket, security group, network interface…
    public var resource: String?
    /// The account the event belongs to.
    public var account: String?
    /// The envelope's `source` (`aws.rds`, `aws.vpcflowlogs`, …).
    public var source: String

    public init(time: String, severity: String? = nil, rule: String? = nil, who: String? = nil, from: String? = nil,
                what: String? = nil, resource: String? = nil, account: String? = nil, source: String = "") {
        self.time = time
        self.severity = severity
        self.rule = rule
        self.who = who
        self.from = from
        self.what = what
        self.resource = resource
        self.account = account
        self.source = source
    }

    /// The fields of `document`, by the kind of its event.
    public init(_ document: AlertDocument) {
        let source = document.eventText("source") ?? ""
        let detailType = document.eventText("detail-type") ?? ""
        self.init(time: document.time, severity: document.severity, rule: document.rule,
                  account: document.eventText("account"), source: source)
        switch source {
        case "aws.vpcflowlogs": fillFlow(document)
        case "aws.guardduty": fillGuardDuty(document)
        case "aws.securityhub": fillSecurityHub(document)
        case "aws.config": fillConfig(document, detailType: detailType)
        case "aws.rds" where detailType == "RDS Database Activity Event": fillDatabaseAudit(document)
        default:
            if detailType.hasSuffix("via CloudTrail") || document.eventHas(["detail", "eventName"]) {
                fillCloudTrail(document)
            } else {
                what = detailType.isEmpty ? nil : detailType
                resource = document.eventText("resources", 0)
            }
        }
    }

    /// Request parameters that name the resource of a call, most specific first: RDS, S3, EC2
    /// and IAM, KMS, CloudTrail, Secrets Manager, Lambda, then common names.
    static let resourceParameters: [String] = [
        "dBSnapshotIdentifier", "dBClusterSnapshotIdentifier", "targetDBSnapshotIdentifier",
        "dBInstanceIdentifier", "dBClusterIdentifier", "targetDBInstanceIdentifier", "sourceDBInstanceIdentifier",
        "dBParameterGroupName", "dBClusterParameterGroupName", "dBSubnetGroupName", "resourceArn", "resourceName",
        "bucketName", "groupId", "groupName", "instanceId", "snapshotId", "volumeId", "vpcId", "subnetId",
        "networkInterfaceId", "userName", "roleName", "policyArn", "accessKeyId", "keyId", "trailName", "name",
        "secretId", "functionName", "logGroupName", "detectorId", "exportTaskIdentifier", "key",
    ]

    private static let resourceParameterNames = resourceParameters.map { Array($0.utf8) }

    private mutating func fillCloudTrail(_ document: AlertDocument) {
        who = document.firstEventText([
            ["detail", "userIdentity", "arn"], ["detail", "userIdentity", "userName"],
            ["detail", "userIdentity", "invokedBy"], ["detail", "userIdentity", "principalId"],
            ["detail", "userIdentity", "type"],
        ]).map(Self.principalName)
        from = document.eventText("detail", "sourceIPAddress")
        if let name = document.eventText("detail", "eventName") {
            let service = document.eventText("detail", "eventSource").map { $0.split(separator: ".").first.map(String.init) ?? $0 }
            var action = service.map { "\($0):\(name)" } ?? name
            if let error = document.eventText("detail", "errorCode") { action += " (\(error))" }
            what = action
        }
        resource = document.firstMemberText(of: ["detail", "requestParameters"], among: Self.resourceParameterNames)
            ?? document.firstEventText([["detail", "resources", 0, "ARN"], ["detail", "serviceEventDetails", "snapshotId"]])
    }

    private mutating func fillFlow(_ document: AlertDocument) {
        who = document.eventText("detail", "interface-id")
        let source = Self.address(document.eventText("detail", "srcaddr"), port: document.eventText("detail", "srcport"))
        let destination = Self.address(document.eventText("detail", "dstaddr"), port: document.eventText("detail", "dstport"))
        from = source
        // With the source in "from where", the row reads `srcaddr:srcport  → dstaddr:dstport ACCEPT`.
        var flow = "→ \(destination ?? "?")"
        if let action = document.eventText("detail", "action") { flow += " \(action)" }
        if let status = document.eventText("detail", "log-status"), status != "OK" { flow += " \(status)" }
        what = flow
        resource = document.firstEventText([["detail", "instance-id"], ["detail", "interface-id"], ["detail", "vpc-id"]])
    }

    /// GuardDuty's action kinds that carry the remote party of a finding.
    static let guardDutyRemotePaths: [[JSONLookup.Step]] = [
        ["detail", "service", "action", "awsApiCallAction", "remoteIpDetails", "ipAddressV4"],
        ["detail", "service", "action", "networkConnectionAction", "remoteIpDetails", "ipAddressV4"],
        ["detail", "service", "action", "rdsLoginAttemptAction", "remoteIpDetails", "ipAddressV4"],
        ["detail", "service", "action", "kubernetesApiCallAction", "remoteIpDetails", "ipAddressV4"],
        ["detail", "service", "action", "portProbeAction", "portProbeDetails", 0, "remoteIpDetails", "ipAddressV4"],
        ["detail", "service", "action", "awsApiCallAction", "domainDetails", "domain"],
        ["detail", "service", "action", "dnsRequestAction", "domain"],
    ]

    private mutating func fillGuardDuty(_ document: AlertDocument) {
        who = document.firstEventText([
            ["detail", "resource", "accessKeyDetails", "userName"], ["detail", "resource", "accessKeyDetails", "principalId"],
            ["detail", "resource", "rdsDbUserDetails", "user"], ["detail", "resource", "kubernetesDetails", "kubernetesUserDetails", "username"],
            ["detail", "service", "action", "rdsLoginAttemptAction", "loginAttributes", 0, "user"],
        ])
        from = document.firstEventText(Self.guardDutyRemotePaths)
        what = document.firstEventText([["detail", "title"], ["detail", "type"]])
        resource = document.firstEventText([
            ["detail", "resource", "rdsDbInstanceDetails", "dbInstanceIdentifier"],
            ["detail", "resource", "instanceDetails", "instanceId"],
            ["detail", "resource", "s3BucketDetails", 0, "name"],
            ["detail", "resource", "accessKeyDetails", "accessKeyId"],
            ["detail", "resource", "eksClusterDetails", "name"],
            ["detail", "resource", "resourceType"],
        ])
    }

    private mutating func fillSecurityHub(_ document: AlertDocument) {
        let finding: [JSONLookup.Step] = ["detail", "findings", 0]
        who = document.firstEventText([
            finding + ["Resources", 0, "Details", "AwsIamAccessKey", "PrincipalName"],
            finding + ["Resources", 0, "Details", "AwsIamUser", "UserName"],
            finding + ["Resources", 0, "Details", "AwsIamRole", "RoleName"],
        ])
        from = document.firstEventText([
            finding + ["Network", "SourceIpV4"], finding + ["Network", "SourceIpV6"],
            finding + ["Action", "NetworkConnectionAction", "RemoteIpDetails", "IpAddressV4"],
            finding + ["Action", "AwsApiCallAction", "RemoteIpDetails", "IpAddressV4"],
            finding + ["Action", "PortProbeAction", "PortProbeDetails", 0, "RemoteIpDetails", "IpAddressV4"],
        ])
        what = document.firstEventText([finding + ["Title"], finding + ["Types", 0]])
        resource = document.firstEventText([finding + ["Resources", 0, "Id"]])
    }

    private mutating func fillConfig(_ document: AlertDocument, detailType: String) {
        if detailType == "Config Rules Compliance Change" {
            let rule = document.eventText("detail", "configRuleName")
            let verdict = document.eventText("detail", "newEvaluationResult", "complianceType")
            what = [rule, verdict].compactMap { $0 }.joined(separator: ": ")
            resource = document.firstEventText([["detail", "resourceId"], ["resources", 0]])
            return
        }
        let item: [JSONLookup.Step] = ["detail", "configurationItem"]
        let type = document.eventText(item + ["resourceType"])
        let change = document.firstEventText([["detail", "configurationItemDiff", "changeType"], item + ["configurationItemStatus"]])
        what = [type, change].compactMap { $0 }.joined(separator: " ")
        who = document.eventText(item + ["relatedEvents", 0]).map { "event \($0)" }
        resource = document.firstEventText([item + ["resourceName"], item + ["resourceId"], ["resources", 0]])
    }

    private mutating func fillDatabaseAudit(_ document: AlertDocument) {
        who = document.eventText("detail", "dbUserName")
        from = Self.address(document.eventText("detail", "remoteHost"), port: document.eventText("detail", "remotePort"))
        let command = document.eventText("detail", "command")
        let text = document.eventText("detail", "commandText")
        what = [command, text].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        let instance = document.firstEventText([["detail", "dbInstance"], ["detail", "dbCluster"], ["detail", "serverHost"]])
        let database = document.eventText("detail", "databaseName")
        resource = [instance, database].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: "/")
        if resource?.isEmpty == true { resource = nil }
    }

    /// The short name of an IAM principal's ARN, as people say it: `user/anaya` → `anaya`,
    /// `assumed-role/Deploy/ci-42` → `Deploy/ci-42`, an account's root → `root`; other text as it is.
    static func principalName(_ arn: String) -> String {
        guard arn.hasPrefix("arn:") else { return arn }
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6 else { return arn }
        let resource = parts[5]
        if resource == "root" { return "root" }
        for prefix in ["user/", "assumed-role/", "role/", "federated-user/"] where resource.hasPrefix(prefix) {
            return String(resource.dropFirst(prefix.count))
        }
        return arn
    }

    /// `address:port`, `[v6]:port` for an IPv6 address, the address alone without a port.
    static func address(_ address: String?, port: String?) -> String? {
        guard let address, !address.isEmpty else { return nil }
        guard let port, !port.isEmpty else { return address }
        return address.contains(":") ? "[\(address)]:\(port)" : "\(address):\(port)"
    }
}

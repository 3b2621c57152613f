/// Where each kind of value a hunt pivots on is found, source by source: the one table `--ip`,
/// `--principal` and `--resource` are expanded from (`Pivot.pattern`).
///
/// Paths are in the normalized envelope (ARCHITECTURE.md's envelope table, /work/shared/DESIGN.md for
/// Config, database audit and Security Hub), written as EventBridge patterns see them: an array
/// on the way is looked through, so `portProbeDetails.remoteIpDetails.ipAddressV4` names the
/// address of every probe. Field names are AWS's: CloudTrail's record, GuardDuty's finding format
/// (API reference: Action, RemoteIpDetails, LocalIpDetails, PortProbeDetail, Resource,
/// AccessKeyDetails, RdsDbInstanceDetails, InstanceDetails, NetworkInterface), ASFF
/// (AwsSecurityFinding: Network, Action, ActionRemoteIpDetails, Resources, AwsIamAccessKeyDetails),
/// Config's configuration items, and the Database Activity Streams names the audit envelope uses.
enum PivotFields {
    /// The fields that hold `kind`'s values.
    static func fields(of kind: Pivot.Kind) -> [PivotField] {
        switch kind {
        case .ip: ip
        case .principal: principal
        case .resource: resource
        }
    }

    static let ip: [PivotField] = {
        var fields: [PivotField] = [
            PivotField("CloudTrail", "detail.sourceIPAddress", .address),
            PivotField("VPC flow", "detail.srcaddr", .address),
            PivotField("VPC flow", "detail.dstaddr", .address),
            PivotField("VPC flow", "detail.pkt-srcaddr", .address),
            PivotField("VPC flow", "detail.pkt-dstaddr", .address),
        ]
        // GuardDuty: the remote (and local) address of every action kind, v4 and v6.
        let guardDutyAddresses = [
            "awsApiCallAction.remoteIpDetails",
            "networkConnectionAction.remoteIpDetails",
            "networkConnectionAction.localIpDetails",
            "portProbeAction.portProbeDetails.remoteIpDetails",
            "portProbeAction.portProbeDetails.localIpDetails",
            "kubernetesApiCallAction.remoteIpDetails",
            "rdsLoginAttemptAction.remoteIpDetails",
        ]
        for details in guardDutyAddresses {
            for version in ["ipAddressV4", "ipAddressV6"] {
                fields.append(PivotField("GuardDuty", "detail.service.action.\(details).\(version)", .address))
            }
        }
        fields += [
            // The API reference spells it sourceIPs in some versions of the page, sourceIps in
            // others (and the SDKs' wire name): both are looked at.
            PivotField("GuardDuty", "detail.service.action.kubernetesApiCallAction.sourceIps", .address),
            PivotField("GuardDuty", "detail.service.action.kubernetesApiCallAction.sourceIPs", .address),
            PivotField("GuardDuty", "detail.resource.instanceDetails.networkInterfaces.privateIpAddress", .address),
            PivotField("GuardDuty", "detail.resource.instanceDetails.networkInterfaces.privateIpAddresses.privateIpAddress", .address),
            PivotField("GuardDuty", "detail.resource.instanceDetails.networkInterfaces.publicIp", .address),
            PivotField("GuardDuty", "detail.resource.instanceDetails.networkInterfaces.ipv6Addresses", .address),
            PivotField("Security Hub", "detail.findings.Network.SourceIpV4", .address),
            PivotField("Security Hub", "detail.findings.Network.SourceIpV6", .address),
            PivotField("Security Hub", "detail.findings.Network.DestinationIpV4", .address),
            PivotField("Security Hub", "detail.findings.Network.DestinationIpV6", .address),
            PivotField("Security Hub", "detail.findings.Action.AwsApiCallAction.RemoteIpDetails.IpAddressV4", .address),
            PivotField("Security Hub", "detail.findings.Action.NetworkConnectionAction.RemoteIpDetails.IpAddressV4", .address),
            PivotField("Security Hub", "detail.findings.Action.PortProbeAction.PortProbeDetails.RemoteIpDetails.IpAddressV4", .address),
            PivotField("Security Hub", "detail.findings.Action.PortProbeAction.PortProbeDetails.LocalIpDetails.IpAddressV4", .address),
            PivotField("Security Hub", "detail.findings.Resources.Details.AwsEc2Instance.IpV4Addresses", .address),
            PivotField("Security Hub", "detail.findings.Resources.Details.AwsEc2Instance.IpV6Addresses", .address),
        ]
        // Config: an instance's, a network interface's and an Elastic IP's addresses.
        let configAddresses = [
            "privateIpAddress", "publicIpAddress", "publicIp", "association.publicIp",
            "privateIpAddresses.privateIpAddress", "networkInterfaces.privateIpAddress",
            "networkInterfaces.association.publicIp", "networkInterfaces.privateIpAddresses.privateIpAddress",
        ]
        for path in configAddresses {
            fields.append(PivotField("Config", "detail.configurationItem.configuration.\(path)", .address))
        }
        fields.append(PivotField("database audit", "detail.remoteHost", .address))
        return fields
    }()

    static let principal: [PivotField] = [
        PivotField("CloudTrail", "detail.userIdentity.arn", .arn),
        PivotField("CloudTrail", "detail.userIdentity.userName", .name),
        PivotField("CloudTrail", "detail.userIdentity.accessKeyId", .name),
        // A role session's principalId is ROLEID:SESSION; a user's is the user's id.
        PivotField("CloudTrail", "detail.userIdentity.principalId", .qualifiedName),
        PivotField("CloudTrail", "detail.userIdentity.sessionContext.sessionIssuer.userName", .name),
        PivotField("CloudTrail", "detail.userIdentity.sessionContext.sessionIssuer.arn", .arn),
        PivotField("GuardDuty", "detail.resource.accessKeyDetails.accessKeyId", .name),
        PivotField("GuardDuty", "detail.resource.accessKeyDetails.principalId", .qualifiedName),
        PivotField("GuardDuty", "detail.resource.accessKeyDetails.userName", .name),
        PivotField("Security Hub", "detail.findings.Resources.Id", .nameOrARN,
                   alongside: ("Type", ["AwsIamUser", "AwsIamAccessKey", "AwsIamRole"])),
        PivotField("Security Hub", "detail.findings.Resources.Details.AwsIamAccessKey.AccessKeyId", .name),
        PivotField("Security Hub", "detail.findings.Resources.Details.AwsIamAccessKey.PrincipalName", .name),
        PivotField("Security Hub", "detail.findings.Resources.Details.AwsIamAccessKey.PrincipalId", .name),
        PivotField("Security Hub", "detail.findings.Resources.Details.AwsIamAccessKey.UserName", .name),
        PivotField("Security Hub", "detail.findings.Resources.Details.AwsIamUser.UserName", .name),
        PivotField("database audit", "detail.dbUserName", .name),
    ]

    static let resource: [PivotField] = {
        var fields: [PivotField] = []
        // CloudTrail: the request parameters and response elements that name a database, a
        // snapshot, a security group, a bucket, an instance or a secret, in RDS's, EC2's, S3's
        // and Secrets Manager's spelling.
        let named = [
            "dBInstanceIdentifier", "dBClusterIdentifier", "dBSnapshotIdentifier", "dBClusterSnapshotIdentifier",
            "sourceDBInstanceIdentifier", "targetDBInstanceIdentifier", "sourceDBSnapshotIdentifier",
            "targetDBSnapshotIdentifier", "sourceDBClusterSnapshotIdentifier", "targetDBClusterSnapshotIdentifier",
            "finalDBSnapshotIdentifier", "groupId", "bucketName", "instanceId", "secretId",
        ]
        for member in named {
            fields.append(PivotField("CloudTrail", "detail.requestParameters.\(member)", .nameOrARN))
        }
        for member in ["dBInstanceIdentifier", "dBClusterIdentifier", "dBSnapshotIdentifier", "dBClusterSnapshotIdentifier", "groupId"] {
            fields.append(PivotField("CloudTrail", "detail.responseElements.\(member)", .name))
        }
        for member in ["dBInstanceArn", "dBClusterArn", "dBSnapshotArn", "dBClusterSnapshotArn"] {
            fields.append(PivotField("CloudTrail", "detail.responseElements.\(member)", .arn))
        }
        fields += [
            PivotField("CloudTrail", "detail.requestParameters.resourceName", .arn),
            PivotField("CloudTrail", "detail.requestParameters.instancesSet.items.instanceId", .name),
            PivotField("CloudTrail", "detail.responseElements.instancesSet.items.instanceId", .name),
            PivotField("CloudTrail", "detail.resources.ARN", .arn),
            PivotField("Config", "detail.configurationItem.resourceId", .name),
            PivotField("Config", "detail.configurationItem.resourceName", .name),
            PivotField("Config", "detail.configurationItem.ARN", .arn),
            PivotField("GuardDuty", "detail.resource.rdsDbInstanceDetails.dbInstanceIdentifier", .name),
            PivotField("GuardDuty", "detail.resource.rdsDbInstanceDetails.dbClusterIdentifier", .name),
            PivotField("GuardDuty", "detail.resource.rdsDbInstanceDetails.dbInstanceArn", .arn),
            PivotField("GuardDuty", "detail.resource.instanceDetails.instanceId", .name),
            PivotField("GuardDuty", "detail.resource.instanceDetails.networkInterfaces.securityGroups.groupId", .name),
            PivotField("GuardDuty", "detail.resource.s3BucketDetails.name", .name),
            PivotField("GuardDuty", "detail.resource.s3BucketDetails.arn", .arn),
            // ASFF's resource Id is the ARN where the resource has one, else the id.
            PivotField("Security Hub", "detail.findings.Resources.Id", .nameOrARN),
            PivotField("Security Hub", "detail.findings.Resources.Details.AwsRdsDbInstance.DbInstanceIdentifier", .name),
            PivotField("Security Hub", "detail.findings.Resources.Details.AwsRdsDbInstance.DbClusterIdentifier", .name),
            PivotField("Security Hub", "detail.findings.Resources.Details.AwsRdsDbCluster.DbClusterIdentifier", .name),
            PivotField("Security Hub", "detail.findings.Resources.Details.AwsEc2SecurityGroup.GroupId", .name),
            PivotField("database audit", "detail.dbInstance", .name),
            PivotField("database audit", "detail.dbCluster", .name),
        ]
        return fields
    }()
}

/// One field that holds a pivot's kind of value, and how the value is spelled there.
struct PivotField: Sendable {
    /// How a field spells the value, which decides what a pivot value is matched with.
    enum Spelling: Sendable {
        /// An IP address.
        case address
        /// A bare name or id (`orders-db`, `AKIA…`): matched as given, or by the last part of an ARN given.
        case name
        /// A name or id, or `ID:NAME` (a role session's principal id): as `.name`, and ending in `:NAME`.
        case qualifiedName
        /// An ARN: matched as given, or, for a name given, ending in `:NAME` or `/NAME`
        /// (`arn:aws:rds:…:db:orders-db`, `arn:aws:ec2:…:security-group/sg-…`, `arn:aws:s3:::bucket`).
        case arn
        /// Either spelling (ASFF's `Resources.Id`, an API parameter that takes a name or an ARN).
        case nameOrARN
    }

    /// The source that writes the field, for `--explain` and the tests.
    let source: String
    /// The path in the envelope, dot-separated.
    let path: [String]
    let spelling: Spelling
    /// A member that must hold one of these values in the same object as the field (ASFF's
    /// `Resources.Type` beside `Resources.Id`).
    let alongside: (member: String, values: [String])?

    init(_ source: String, _ path: String, _ spelling: Spelling, alongside: (String, [String])? = nil) {
        self.source = source
        self.path = path.split(separator: ".").map(String.init)
        self.spelling = spelling
        self.alongside = alongside.map { (member: $0.0, values: $0.1) }
    }
}

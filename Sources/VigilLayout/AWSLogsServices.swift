/// Which service folders of the `AWSLogs/ACCOUNT/SERVICE/` layout hold logs Vigil reads.
///
/// A log bucket keeps every service's logs side by side: load balancers, S3 server access logs,
/// Route 53 resolver query logs, WAF, … beside CloudTrail. Files of a service Vigil does not read
/// are passed over by their folder and counted per service rather than read and reported as
/// damage (a load balancer line is no flow record); files outside the layout are still read and
/// recognized by content.
public enum AWSLogsServices {
    /// The service folders whose files Vigil reads (CloudTrail's digests are read and skipped by
    /// content, so that a digest anywhere is told apart).
    public static let read: Set<String> = [
        "CloudTrail", "CloudTrail-Insight", "CloudTrail-Digest", "vpcflowlogs", "GuardDuty", "Config",
    ]

    /// The service folders whose files are events, for listing S3 by day folders: those read,
    /// less the digests.
    public static let holdingEvents: Set<String> = read.subtracting(["CloudTrail-Digest"])

    /// The service whose folder `path` lies in, when that service is one Vigil does not read; nil
    /// for a file of a service Vigil reads and for one outside the layout.
    public static func unreadService(of path: String) -> String? {
        // Only a path whose account folder is an account id is the layout; a folder a person
        // named `AWSLogs` for notes is not.
        guard let layout = AWSLogsPath(path: path), let account = layout.account, AWSLogsPath.isAccountID(account),
              let service = layout.service else { return nil }
        return read.contains(service) ? nil : service
    }
}

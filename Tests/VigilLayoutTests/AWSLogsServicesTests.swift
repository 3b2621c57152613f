import Testing
import VigilLayout

@Suite("Services of the AWSLogs layout Vigil reads or passes over")
struct AWSLogsServicesTests {
    @Test("Another service's folder is named; a read service's, or a path outside the layout, is not", arguments: [
        ("bucket/AWSLogs/111122223333/elasticloadbalancing/us-east-1/2026/11/20/111122223333_elasticloadbalancing_us-east-1_app.web.1_20261120T0905Z_10.0.0.1_x.log.gz", "elasticloadbalancing"),
        ("/data/AWSLogs/o-abc123/111122223333/vpcdnsquerylogs/vpc-1/2026/11/20/x.log.gz", "vpcdnsquerylogs"),
        ("s3://b/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/x.json.gz", nil),
        ("/data/AWSLogs/111122223333/Config/us-east-1/2026/11/20/ConfigHistory/x.json.gz", nil),
        ("/data/AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2026/11/20/x.json.gz", nil),
        ("/data/AWSLogs/111122223333/GuardDuty/us-east-1/2026/11/20/x.jsonl.gz", nil),
        ("/data/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/x.log.gz", nil),
        // Not the layout: no account id after AWSLogs, or the file right under the account.
        ("/home/me/AWSLogs/notes/today.txt", nil),
        ("/data/AWSLogs/111122223333/x.json", nil),
        ("/data/elasticloadbalancing/x.log", nil),
    ] as [(String, String?)])
    func service(path: String, expected: String?) {
        #expect(AWSLogsServices.unreadService(of: path) == expected)
    }

    @Test("The S3 listing's services are those read, less the digests")
    func holdingEvents() {
        #expect(AWSLogsServices.holdingEvents.isSubset(of: AWSLogsServices.read))
        #expect(!AWSLogsServices.holdingEvents.contains("CloudTrail-Digest"))
        #expect(AWSLogsServices.holdingEvents.contains("Config"))
    }
}

import Foundation
import Testing
import VigilIngest
import VigilPipeline

/// A log bucket holds every service's logs side by side (ARCHITECTURE.md, the `AWSLogs/` layout):
/// those of services Vigil does not read are passed over and counted, not reported as damage.
@Suite("A bucket as it is: other services' logs beside the ones Vigil reads")
struct BucketAsItIsTests {
    /// Two lines in the Application Load Balancer's access log format (AWS's documented example).
    static let loadBalancerLines = """
        https 2026-11-20T09:05:01.123456Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.086 0.048 0.037 200 200 0 57 "GET https://www.example.com:443/ HTTP/1.1" "curl/7.46.0" ECDHE-RSA-AES128-GCM-SHA256 TLSv1.2 arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337281-1d84f3d73c47ec4e58577259" "www.example.com" "arn:aws:acm:us-east-1:111122223333:certificate/12345678-1234-1234-1234-123456789012" 1 2026-11-20T09:05:01.000000Z "authenticate,forward" "-" "-" "10.0.0.1:80" "200" "-" "-"
        http 2026-11-20T09:05:02.123456Z app/my-loadbalancer/50dc6c495c0c9188 192.168.131.39:2817 10.0.0.1:80 0.000 0.001 0.000 200 200 34 366 "GET http://www.example.com:80/ HTTP/1.1" "curl/7.46.0" - - arn:aws:elasticloadbalancing:us-east-1:111122223333:targetgroup/my-targets/73e2d6bc24d8a067 "Root=1-58337262-36d228ad5d99923122bbe354" "-" "-" 0 2026-11-20T09:05:02.000000Z "forward" "-" "-" "10.0.0.1:80" "200" "-" "-"

        """

    @Test("Other services' files are counted by service; the run reports no problem and still reads the rest")
    func otherServicesSkipped() throws {
        let root = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let account = root.appendingPathComponent("AWSLogs/111122223333")
        let files: [(String, String)] = [
            ("elasticloadbalancing/us-east-1/2026/11/20/111122223333_elasticloadbalancing_us-east-1_app.my-loadbalancer.50dc6c495c0c9188_20261120T0905Z_10.0.0.1_1.log", Self.loadBalancerLines),
            ("elasticloadbalancing/us-east-1/2026/11/20/111122223333_elasticloadbalancing_us-east-1_app.my-loadbalancer.50dc6c495c0c9188_20261120T0910Z_10.0.0.1_2.log", Self.loadBalancerLines),
            ("vpcdnsquerylogs/vpc-0a1b/2026/11/20/vpcdnsquerylogs.log", #"{"version":"1.100000","query_name":"example.com."}"# + "\n"),
        ]
        for (relative, text) in files {
            let url = account.appendingPathComponent(relative)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: url)
        }
        let finding = #"{"SchemaVersion":"2018-10-08","Id":"f-1","ProductArn":"arn:aws:securityhub:us-east-1::product/aws/securityhub","#
            + #""AwsAccountId":"111122223333","Region":"us-east-1","UpdatedAt":"2026-11-20T10:00:00Z"}"#
        try Data((finding + "\n").utf8).write(to: root.appendingPathComponent("findings.jsonl"))

        let outcome = try PipelineFixtures.replay([root.path])
        #expect(outcome.problems.isEmpty, "\(outcome.problems)")
        #expect(outcome.summary.problemCount == 0)
        #expect(outcome.summary.filesRead == 1)
        #expect(outcome.summary.filesSkipped == [
            "elasticloadbalancing logs, a service Vigil does not read": 2,
            "vpcdnsquerylogs logs, a service Vigil does not read": 1,
        ])
        #expect(outcome.summary.eventsByKind == [.securityHubFinding: 1])
        #expect(outcome.summary.render().contains("2 skipped: elasticloadbalancing logs, a service Vigil does not read"))
    }

    @Test("The same load balancer log outside the layout, or named on the command line, is read and reported")
    func outsideTheLayoutReported() throws {
        let root = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: root) }
        let stray = root.appendingPathComponent("downloads/alb.log")
        try FileManager.default.createDirectory(at: stray.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(Self.loadBalancerLines.utf8).write(to: stray)
        let named = root.appendingPathComponent("AWSLogs/111122223333/elasticloadbalancing/us-east-1/2026/11/20/x.log")
        try FileManager.default.createDirectory(at: named.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(Self.loadBalancerLines.utf8).write(to: named)

        let walked = try PipelineFixtures.replay([root.appendingPathComponent("downloads").path])
        #expect(walked.summary.problemCount > 0)
        let explicit = try PipelineFixtures.replay([named.path])
        #expect(explicit.summary.filesRead == 1)
        #expect(explicit.summary.problemCount > 0)
        #expect(explicit.summary.filesSkipped.isEmpty)
    }
}

import Foundation
import Testing
import VigilTestSupport
import VigilIngest
import VigilPipeline

/// AWS Config through a replay: the configurationItemDiff depends on the items of the resource
/// seen before, across files, so a replay on several threads must diff in file order and give
/// exactly the alerts of one thread.
@Suite struct ConfigReplayTests {
    /// Config history files in the bucket's layout: `files` files, each holding items of a few RDS
    /// instances whose public access flips now and then, so that many diffs cross file boundaries.
    static func historyTree(files: Int, seed: UInt64) throws -> URL {
        let directory = try PipelineFixtures.temporaryDirectory()
        var random = SeededRandom(seed: seed)
        var publicNow = [Bool](repeating: false, count: 6)
        for file in 0..<files {
            var items: [String] = []
            for entry in 0..<Int(random.next() % 5) {
                let instance = Int(random.next() % 6)
                if random.next() % 3 == 0 { publicNow[instance].toggle() }
                let second = file * 10 + entry
                let capture = String(format: "2026-11-20T%02d:%02d:%02d.%03dZ", 9 + second / 3600, second / 60 % 60, second % 60, file % 1000)
                items.append(#"{"configuration":{"dBInstanceIdentifier":"db\#(instance)","publiclyAccessible":\#(publicNow[instance]),"#
                    + #""storageEncrypted":true,"deletionProtection":true,"backupRetentionPeriod":7,"iAMDatabaseAuthenticationEnabled":true,"#
                    + #""enabledCloudwatchLogsExports":["audit"],"multiAZ":true,"autoMinorVersionUpgrade":true,"monitoringInterval":60},"#
                    + #""relationships":[],"supplementaryConfiguration":{},"tags":{},"configurationItemVersion":"1.3","#
                    + #""configurationItemCaptureTime":"\#(capture)","awsAccountId":"111122223333","configurationItemStatus":"OK","#
                    + #""resourceType":"AWS::RDS::DBInstance","resourceId":"db-INSTANCE\#(instance)","resourceName":"db\#(instance)","#
                    + #""ARN":"arn:aws:rds:us-east-1:111122223333:db:db\#(instance)","awsRegion":"us-east-1"}"#)
            }
            let name = String(format: "111122223333_Config_us-east-1_ConfigHistory_AWS::RDS::DBInstance_20261120T%02d0000Z_20261120T%02d0000Z_%d.json",
                              9, 10, file)
            let folder = directory.appendingPathComponent("AWSLogs/111122223333/Config/us-east-1/2026/11/20/ConfigHistory")
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let body = #"{"fileVersion":"1.0","configurationItems":["# + items.joined(separator: ",") + "]}"
            try Data(body.utf8).write(to: folder.appendingPathComponent(String(format: "%03d-", file) + name))
        }
        return directory
    }

    @Test func diffsAcrossFilesGiveTheSameAlertsOnAnyNumberOfThreads() throws {
        let directory = try Self.historyTree(files: 60, seed: 17)
        defer { try? FileManager.default.removeItem(at: directory) }
        let one = try PipelineFixtures.replay([directory.path])
        let madePublic = one.alerts.filter { $0["rule"] as? String == "config-rds-instance-made-publicly-accessible" }
        #expect(madePublic.count > 5, "the diff rule fires across files")
        #expect(one.problems.isEmpty)
        for jobs in [2, 4] {
            let many = try PipelineFixtures.replay([directory.path], jobs: jobs)
            #expect(many.lines == one.lines, "jobs \(jobs)")
            #expect(many.summary.records == one.summary.records, "jobs \(jobs)")
        }
    }

    @Test func fromAndToPruneConfigFilesByTheirWindowEnd() throws {
        let history = LogFileContext(path: "AWSLogs/111122223333/Config/us-east-1/2026/11/20/ConfigHistory/"
            + "111122223333_Config_us-east-1_ConfigHistory_AWS::RDS::DBInstance_20261120T090000Z_20261120T150000Z_1.json.gz")
        // Items captured up to 15:00: read for --from 14:00 (the window's start, 09:00, would have skipped it).
        #expect(EventFilter(from: Timestamps.parse("2026-11-20T14:00:00Z")!).reasonToSkip(history) == nil)
        #expect(EventFilter(from: Timestamps.parse("2026-11-20T16:30:00Z")!).reasonToSkip(history) == "before --from")
        #expect(EventFilter(accounts: ["444455556666"]).reasonToSkip(history) == "another account")
        #expect(EventFilter(regions: ["eu-west-1"]).reasonToSkip(history) == "another region")
    }

    @Test func anItemMadePublicInALaterFileCarriesTheDiffInItsAlert() throws {
        let directory = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        func item(_ capture: String, _ isPublic: Bool) -> String {
            #"{"configuration":{"dBInstanceIdentifier":"orders-db","publiclyAccessible":\#(isPublic)},"configurationItemCaptureTime":"\#(capture)","#
                + #""awsAccountId":"111122223333","configurationItemStatus":"OK","resourceType":"AWS::RDS::DBInstance","#
                + #""resourceId":"db-ORDERS","ARN":"arn:aws:rds:us-east-1:111122223333:db:orders-db","awsRegion":"us-east-1"}"#
        }
        try Data((#"{"fileVersion":"1.0","configurationItems":["# + item("2026-11-20T09:00:00.000Z", false) + "]}").utf8)
            .write(to: directory.appendingPathComponent("a.json"))
        try Data((#"{"fileVersion":"1.0","configurationItems":["# + item("2026-11-20T09:31:02.000Z", true) + "]}").utf8)
            .write(to: directory.appendingPathComponent("b.json"))
        let outcome = try PipelineFixtures.replay([directory.path])
        let alert = try #require(outcome.alerts.first { $0["rule"] as? String == "config-rds-instance-made-publicly-accessible" })
        let detail = try #require((alert["event"] as? [String: Any])?["detail"] as? [String: Any])
        let diff = try #require(detail["configurationItemDiff"] as? [String: Any])
        #expect(diff["changeType"] as? String == "UPDATE")
        // Matched again from the other end, the first file alone gives no such alert.
        let first = try PipelineFixtures.replay([directory.appendingPathComponent("a.json").path])
        #expect(!first.alerts.contains { $0["rule"] as? String == "config-rds-instance-made-publicly-accessible" })
    }
}

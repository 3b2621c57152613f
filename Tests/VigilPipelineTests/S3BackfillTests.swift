import Foundation
import Testing
import VigilAWS
import VigilPipeline
import VigilTestSupport

/// `vigil replay s3://…` against moto's S3 on 127.0.0.1: only the days, accounts and regions asked
/// for are listed, and the alerts equal those of the same files read from disk.
@Suite("S3 backfill against moto", .serialized)
struct S3BackfillTests {
    static let accounts = ["111122223333", "444455556666"]
    static let regions = ["us-east-1", "eu-west-1"]

    /// A bucket laid out as CloudTrail delivers: two accounts, two regions, five days, with
    /// digests beside; each file holds RDS calls (alerting) of its own day.
    static func writeArchive(under logs: URL) throws {
        for account in accounts {
            for region in regions {
                for day in 18...22 {
                    let folder = "AWSLogs/\(account)/CloudTrail/\(region)/2026/11/\(day)/"
                    let name = "\(account)_CloudTrail_\(region)_202611\(day)T1200Z_a.json.gz"
                    var records: [String] = []
                    for index in 0..<3 {
                        records.append(#"{"eventVersion":"1.08","eventTime":"2026-11-\#(day)T12:0\#(index):00Z","#
                            + #""eventSource":"rds.amazonaws.com","eventName":"DeleteDBInstance","awsRegion":"\#(region)","#
                            + #""eventID":"\#(account)-\#(region)-\#(day)-\#(index)","eventType":"AwsApiCall","#
                            + #""recipientAccountId":"\#(account)"}"#)
                    }
                    let bytes = try TailRun.gzip(Array(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8))
                    let url = logs.appendingPathComponent(folder + name)
                    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(bytes).write(to: url)
                    let digest = logs.appendingPathComponent("AWSLogs/\(account)/CloudTrail-Digest/\(region)/2026/11/\(day)/d.json.gz")
                    try FileManager.default.createDirectory(at: digest.deletingLastPathComponent(), withIntermediateDirectories: true)
                    let digestRecord = #"{"awsAccountId":"\#(account)","digestStartTime":"2026-11-\#(day)T00:00:00Z","#
                        + #""digestEndTime":"2026-11-\#(day)T01:00:00Z","logFiles":[]}"#
                    try Data(TailRun.gzip(Array(digestRecord.utf8))).write(to: digest)
                }
            }
        }
    }

    func s3(_ moto: MotoServer) throws -> S3Client {
        let credentials = StaticCredentials(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing", source: "test"))
        return S3Client(client: AWSClient(service: "s3", region: "us-east-1", credentials: credentials, transport: URLSessionTransport()),
                        endpoint: AWSEndpoint(url: moto.endpoint))
    }

    @Test func listsOnlyTheDaysAccountsAndRegionsAskedFor() throws {
        let moto = try MotoServer()
        let run = try TailRun()
        try Self.writeArchive(under: run.logs)
        _ = try moto.fixture("setup", "archive", "unused", "30")
        try moto.fixture("put-dir", "archive", run.logs.path)

        let filter = EventFilter(from: 1_795_046_400 /* 2026-11-19 */, to: 1_795_219_199 /* end of 2026-11-20 */,
                                 accounts: ["444455556666"], regions: ["eu-west-1"])
        let listing = try S3Backfill(s3: s3(moto), filter: filter).list([S3Location(url: "s3://archive/")!])
        let region = "s3://archive/AWSLogs/444455556666/CloudTrail/eu-west-1/2026/11/"
        // The day after --to too: a file delivered just after midnight holds the last minutes.
        #expect(listing.prefixesListed == [region + "19/", region + "20/", region + "21/"])
        // Folder listings found the layout and the services, never a region's days.
        #expect(listing.foldersListed.allSatisfy { !$0.contains("/eu-west-1/") && !$0.contains("/us-east-1/") })
        #expect(!listing.foldersListed.contains("s3://archive/AWSLogs/111122223333/"))
        #expect(listing.objects.count == 3)
        #expect(listing.objects.allSatisfy { $0.key.contains("444455556666_CloudTrail_eu-west-1") })
    }

    @Test func backfillAlertsEqualAReplayOfTheSameFilesOnDisk() throws {
        let moto = try MotoServer()
        let run = try TailRun()
        try Self.writeArchive(under: run.logs)
        _ = try moto.fixture("setup", "archive", "unused", "30")
        try moto.fixture("put-dir", "archive", run.logs.path)

        let selection = ["--from", "2026-11-19", "--to", "2026-11-21", "--region", "us-east-1"]
        func replay(_ source: String, label: String) throws -> (ids: [String], errors: String) {
            let sink = run.scratch.appendingPathComponent("\(label).jsonl").path
            let process = try VigilProcess(run.vigil, ["replay", "--rules", run.rules.path, "--sink", "file:" + sink,
                                                       "--endpoint-url", moto.endpoint] + selection + [source],
                                           outputIn: run.scratch, label: label, environment: MotoServer.credentialsEnvironment)
            #expect(process.waitForExit(within: 120) == 0, "\(process.errorOutput)")
            let text = (try? String(contentsOfFile: sink, encoding: .utf8)) ?? ""
            let ids = text.split(separator: "\n").compactMap { line in
                (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])?["id"] as? String
            }
            return (ids, process.errorOutput)
        }
        let fromDisk = try replay(run.logs.path, label: "disk")
        let fromS3 = try replay("s3://archive/", label: "s3")
        // Two accounts, one region, three days, three alerting records a file.
        #expect(fromDisk.ids.count == 2 * 3 * 3)
        #expect(fromS3.ids == fromDisk.ids)
        #expect(fromS3.errors.contains("8 objects under 8 prefixes"), "\(fromS3.errors)")
    }
}

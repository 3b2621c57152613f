import Testing
import VigilLayout

@Suite("The AWSLogs/ path layout")
struct AWSLogsPathTests {
    @Test func aCloudTrailKeyNamesEachLevel() throws {
        let path = try #require(AWSLogsPath(
            path: "/data/logs/AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T0905Z_abc.json.gz"))
        #expect(path.folders.prefix(3) == ["data", "logs", "AWSLogs"])
        #expect(path.root == 2 && path.accountIndex == 3 && path.dateIndex == 6)
        #expect(path.organization == nil)
        #expect(path.account == "111122223333" && path.service == "CloudTrail" && path.region == "us-east-1")
        #expect(Array(path.dateFolders) == ["2026", "11", "20"])
        #expect(path.day == CalendarDay(year: 2026, month: 11, day: 20))
        #expect(path.fileName == "111122223333_CloudTrail_us-east-1_20261120T0905Z_abc.json.gz")
        #expect(path.fromRoot == "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/20/111122223333_CloudTrail_us-east-1_20261120T0905Z_abc.json.gz")
    }

    @Test func anOrganizationTrailHasItsFolderBeforeTheAccount() throws {
        let path = try #require(AWSLogsPath(path: "s3://bucket/AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/11/20/f.json.gz"))
        #expect(path.organization == "o-abc123")
        #expect(path.accountIndex == path.root + 2)
        #expect(path.account == "111122223333" && path.service == "CloudTrail" && path.region == "eu-west-1")
        #expect(path.fromRoot == "AWSLogs/o-abc123/111122223333/CloudTrail/eu-west-1/2026/11/20/f.json.gz")
    }

    @Test func theSameObjectHasTheSameKeyFromS3AndFromAnyCopy() {
        let key = "AWSLogs/111122223333/vpcflowlogs/eu-west-1/2026/11/20/09/x.log.gz"
        let spellings = ["s3://bucket/" + key, "s3://bucket/trail-prefix/" + key, "/mnt/sync/" + key, key, "./" + key]
        #expect(spellings.map { AWSLogsPath(path: $0)?.fromRoot } == Array(repeating: key, count: spellings.count))
    }

    @Test func withTwoAWSLogsFoldersTheLastCounts() throws {
        // A trail whose S3 key prefix is `AWSLogs`, or a bucket synced into a folder named so.
        let file = try #require(AWSLogsPath(path: "/home/me/AWSLogs/AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/x.log.gz"))
        #expect(file.root == 3)
        #expect(file.account == "111122223333" && file.service == "vpcflowlogs" && file.region == "us-east-1")
        #expect(file.fromRoot == "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/x.log.gz")
        let prefix = try #require(AWSLogsPath(folders: ["AWSLogs", "AWSLogs", "111122223333", "CloudTrail"]))
        #expect(prefix.root == 1 && prefix.account == "111122223333" && prefix.service == "CloudTrail" && prefix.region == nil)
    }

    @Test func theFileIsNeverAFolder() throws {
        #expect(AWSLogsPath(path: "/data/AWSLogs") == nil)
        #expect(AWSLogsPath(path: "AWSLogs") == nil)
        let shallow = try #require(AWSLogsPath(path: "AWSLogs/111122223333/CloudTrail"))
        #expect(shallow.account == "111122223333" && shallow.service == nil && shallow.day == nil)
        // A prefix's segments are all folders.
        let prefix = try #require(AWSLogsPath(folders: ["logs", "AWSLogs"]))
        #expect(prefix.account == nil && prefix.fileName == nil && prefix.fromRoot == "AWSLogs")
    }

    @Test func outsideTheLayoutThereIsNoPath() {
        #expect(AWSLogsPath(path: "") == nil)
        #expect(AWSLogsPath(path: "/tmp/111122223333_CloudTrail_us-east-1_20261120T0905Z_abc.json.gz") == nil)
        #expect(AWSLogsPath(path: "/tmp/awslogs/x.log") == nil, "the name is case-sensitive, as S3 keys are")
        #expect(AWSLogsPath(folders: ["exports", "AWSLogs-old"]) == nil)
    }

    @Test func dateFoldersMayBeUnpaddedButMustExist() {
        func day(_ date: String) -> CalendarDay? {
            AWSLogsPath(path: "AWSLogs/111122223333/Config/us-east-1/\(date)/ConfigHistory/f.json.gz")?.day
        }
        #expect(day("2026/11/20") == CalendarDay(year: 2026, month: 11, day: 20))
        #expect(day("2026/1/5") == CalendarDay(year: 2026, month: 1, day: 5))
        #expect(day("2026/13/20") == nil)
        #expect(day("2026/02/30") == nil)
        #expect(day("2026/11/+5") == nil)
        #expect(day("20261/11/20") == nil)
        #expect(AWSLogsPath(path: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/11/f.json")?.day == nil, "a month folder holds no day")
        #expect(Array(AWSLogsPath(path: "AWSLogs/111122223333/CloudTrail/us-east-1/2026/f.json")!.dateFolders) == ["2026"])
        #expect(AWSLogsPath(path: "AWSLogs/111122223333/f.json")!.dateFolders.isEmpty)
    }

    @Test func accountIDsAreTwelveDigits() {
        #expect(AWSLogsPath.isAccountID("111122223333"))
        #expect(!AWSLogsPath.isAccountID("12345"))
        #expect(!AWSLogsPath.isAccountID("o-abc1234567"))
        #expect(!AWSLogsPath.isAccountID("11112222333３"))
    }
}

import Foundation
import Testing
@testable import VigilAWS

/// Planning a backfill's prefixes over the `AWSLogs/` layout, against an in-memory bucket that
/// answers delimiter listings as S3 does and records every call.
@Suite("AWSLogs prefix planner")
struct AWSLogsPrefixPlannerTests {
    typealias Day = AWSLogsPrefixPlanner.Day
    typealias PlanError = AWSLogsPrefixPlanner.PlanError

    /// Keys and the listings made of them: `list` is ListObjectsV2 with `Delimiter=/`, returning
    /// `CommonPrefixes` (full prefixes ending in `/`) in S3's lexicographic order.
    final class FakeBucket {
        let keys: [String]
        private(set) var calls: [String] = []

        init(_ keys: [String]) { self.keys = keys }

        func list(_ prefix: String) -> [String] {
            calls.append(prefix)
            var folders: Set<String> = []
            for key in keys where key.hasPrefix(prefix) {
                let rest = key.dropFirst(prefix.count)
                if let slash = rest.firstIndex(of: "/") { folders.insert(prefix + rest[..<slash] + "/") }
            }
            return folders.sorted()
        }
    }

    static let management = "111111111111"
    static let member = "222222222222"
    static let organization = "o-aa11bb22cc"

    /// A bucket shaped like a real log bucket: one account's own trail, flow logs (hourly folders)
    /// and GuardDuty exports, digests, a Config folder, an organization trail with two accounts, a
    /// trail under a `logs/` prefix, and exports that do not follow the layout.
    static let keys: [String] = {
        let m = management, o = organization
        return [
            "AWSLogs/\(m)/CloudTrail/us-east-1/2026/11/19/\(m)_CloudTrail_us-east-1_20261119T2355Z_gH2kDf9.json.gz",
            "AWSLogs/\(m)/CloudTrail/us-east-1/2026/11/20/\(m)_CloudTrail_us-east-1_20261120T0005Z_Mu0KsOh.json.gz",
            "AWSLogs/\(m)/CloudTrail/eu-west-1/2026/11/20/\(m)_CloudTrail_eu-west-1_20261120T0010Z_aB3dE5f.json.gz",
            "AWSLogs/\(m)/CloudTrail-Digest/us-east-1/2026/11/20/\(m)_CloudTrail-Digest_us-east-1_trail_us-east-1_20261120T010000Z.json.gz",
            "AWSLogs/\(m)/CloudTrail-Insight/us-east-1/2026/11/20/\(m)_CloudTrail-Insight_us-east-1_20261120T0100Z_x1.json.gz",
            "AWSLogs/\(m)/vpcflowlogs/us-east-1/2026/11/20/05/\(m)_vpcflowlogs_us-east-1_fl-1234abcd_20261120T0505Z_fe123456.log.gz",
            "AWSLogs/\(m)/GuardDuty/us-east-1/2026/11/20/3f2c9a1e-5b7d-4c8e-9f01-23456789abcd.jsonl.gz",
            "AWSLogs/\(m)/Config/us-east-1/2026/11/20/ConfigHistory/\(m)_Config_us-east-1_ConfigHistory_AWS::EC2::Instance_20261120T000000Z.json.gz",
            "AWSLogs/\(o)/\(m)/CloudTrail/ap-south-1/2026/11/20/\(m)_CloudTrail_ap-south-1_20261120T0015Z_k9.json.gz",
            "AWSLogs/\(o)/\(Self.member)/CloudTrail/us-east-1/2026/11/20/\(Self.member)_CloudTrail_us-east-1_20261120T0020Z_p4.json.gz",
            "AWSLogs/\(o)/\(Self.member)/CloudTrail/us-west-2/2026/11/21/\(Self.member)_CloudTrail_us-west-2_20261121T0020Z_q7.json.gz",
            "logs/AWSLogs/333333333333/CloudTrail/us-east-1/2026/11/20/333333333333_CloudTrail_us-east-1_20261120T0025Z_z2.json.gz",
            "exports/2026-11-20/events-0001.json.gz",
            "exports/2026-11-21/events-0002.json.gz",
        ]
    }()

    static func day(_ text: String) -> Day { Day(text)! }

    static func planner(
        _ url: String, from: String? = nil, to: String? = nil, accounts: Set<String> = [], regions: Set<String> = [],
        now: String = "2026-11-21T12:00:00Z"
    ) throws -> AWSLogsPrefixPlanner {
        try AWSLogsPrefixPlanner(
            location: S3Location(url: url)!, from: from.map(day), to: to.map(day), accounts: accounts, regions: regions,
            now: ISO8601DateFormatter().date(from: now)!
        )
    }

    /// Plans over `bucket` and checks what every plan must respect: listings are folder prefixes
    /// (ending in `/`, or the root), inside the given prefix, and never at a region folder or below.
    static func plan(_ planner: AWSLogsPrefixPlanner, over bucket: FakeBucket) throws -> [String] {
        let result = try planner.prefixes(listing: bucket.list)
        let given = planner.location.prefix
        let givenFolder = given.isEmpty || given.hasSuffix("/") ? given : given + "/"
        for call in bucket.calls {
            #expect(call.isEmpty || call.hasSuffix("/"), "listing of \(call) is not a folder")
            #expect(call.hasPrefix(givenFolder), "listing of \(call) is wider than \(givenFolder)")
            let segments = call.split(separator: "/").map(String.init)
            if let awsLogs = segments.firstIndex(of: "AWSLogs") {
                let below = segments[(awsLogs + 1)...].filter { !$0.hasPrefix("o-") }
                #expect(below.count <= 2, "listing of \(call) is at a region folder or below")
            }
            #expect(!segments.contains { $0.count == 4 && Int($0) != nil }, "listing of \(call) is inside a date")
        }
        return result
    }

    static func days(_ folder: String, _ dayFolders: String...) -> [String] { dayFolders.map { folder + $0 + "/" } }

    // MARK: - Accounts and regions given

    @Test func accountAndRegionGivenListOnlyServices() throws {
        let bucket = FakeBucket(Self.keys)
        let planner = try Self.planner(
            "s3://logs/AWSLogs/\(Self.management)/", from: "2026-11-19", to: "2026-11-20",
            accounts: [Self.management], regions: ["us-east-1"]
        )
        let prefixes = try Self.plan(planner, over: bucket)
        #expect(bucket.calls == ["AWSLogs/\(Self.management)/"])
        let account = "AWSLogs/\(Self.management)/"
        #expect(prefixes == (
            Self.days(account + "CloudTrail/us-east-1/", "2026/11/19", "2026/11/20")
                + Self.days(account + "CloudTrail-Insight/us-east-1/", "2026/11/19", "2026/11/20")
                + Self.days(account + "Config/us-east-1/", "2026/11/19", "2026/11/20")
                + Self.days(account + "GuardDuty/us-east-1/", "2026/11/19", "2026/11/20")
                + Self.days(account + "vpcflowlogs/us-east-1/", "2026/11/19", "2026/11/20")
        ).sorted())
    }

    @Test func fromTheBucketRootAccountsAreNotListedButOrganizationsAreFound() throws {
        let bucket = FakeBucket(Self.keys)
        let planner = try Self.planner(
            "s3://logs", from: "2026-11-20", to: "2026-11-20", accounts: [Self.member], regions: ["us-east-1", "us-west-2"]
        )
        let prefixes = try Self.plan(planner, over: bucket)
        // The root (to find AWSLogs/), AWSLogs/ (to find o-…), then services of the given account only:
        // neither the organization folder's accounts nor any service's regions are listed.
        #expect(bucket.calls == ["", "AWSLogs/", "AWSLogs/\(Self.organization)/\(Self.member)/"])
        let trail = "AWSLogs/\(Self.organization)/\(Self.member)/CloudTrail/"
        #expect(prefixes == [trail + "us-east-1/2026/11/20/", trail + "us-west-2/2026/11/20/"])
    }

    // MARK: - Where the prefix sits

    @Test func organizationTrailFolderIsDiscovered() throws {
        let bucket = FakeBucket(Self.keys)
        let planner = try Self.planner("s3://logs/AWSLogs/\(Self.organization)/", from: "2026-11-20", to: "2026-11-21")
        let prefixes = try Self.plan(planner, over: bucket)
        let org = "AWSLogs/\(Self.organization)/"
        #expect(bucket.calls == [
            org,
            org + "\(Self.management)/", org + "\(Self.member)/",
            org + "\(Self.management)/CloudTrail/", org + "\(Self.member)/CloudTrail/",
        ])
        #expect(prefixes == (
            Self.days(org + "\(Self.management)/CloudTrail/ap-south-1/", "2026/11/20", "2026/11/21")
                + Self.days(org + "\(Self.member)/CloudTrail/us-east-1/", "2026/11/20", "2026/11/21")
                + Self.days(org + "\(Self.member)/CloudTrail/us-west-2/", "2026/11/20", "2026/11/21")
        ))
    }

    @Test func prefixAtTheRegionNeedsNoListing() throws {
        let bucket = FakeBucket(Self.keys)
        let region = "AWSLogs/\(Self.management)/CloudTrail/us-east-1/"
        let planner = try Self.planner("s3://logs/" + region, from: "2026-10-30", to: "2026-11-02")
        #expect(try Self.plan(planner, over: bucket) == Self.days(region, "2026/10/30", "2026/10/31", "2026/11/01", "2026/11/02"))
        #expect(bucket.calls.isEmpty)
    }

    @Test func withTwoAWSLogsFoldersTheLastIsTheLayouts() throws {
        // A trail whose S3 key prefix is `AWSLogs` writes `AWSLogs/AWSLogs/ACCOUNT/…`: the first
        // `AWSLogs` is the prefix, and the layout starts at the last (as AWSLogsPath reads it).
        let m = Self.management
        let bucket = FakeBucket([
            "AWSLogs/AWSLogs/\(m)/CloudTrail/us-east-1/2026/11/20/\(m)_CloudTrail_us-east-1_20261120T0005Z_t1.json.gz",
            "AWSLogs/AWSLogs/\(m)/CloudTrail-Digest/us-east-1/2026/11/20/\(m)_CloudTrail-Digest_us-east-1_t_us-east-1_20261120T010000Z.json.gz",
        ])
        let region = "AWSLogs/AWSLogs/\(m)/CloudTrail/us-east-1/"
        let atRegion = try Self.planner("s3://logs/" + region, from: "2026-11-20", to: "2026-11-21")
        #expect(try Self.plan(atRegion, over: bucket) == Self.days(region, "2026/11/20", "2026/11/21"))
        #expect(bucket.calls.isEmpty)

        let atRoot = try Self.planner("s3://logs/AWSLogs/AWSLogs/", from: "2026-11-20", to: "2026-11-20",
                                      accounts: [m], regions: ["us-east-1"])
        #expect(try Self.plan(atRoot, over: bucket) == Self.days(region, "2026/11/20"))
        #expect(bucket.calls == ["AWSLogs/AWSLogs/", "AWSLogs/AWSLogs/\(m)/"])
    }

    @Test(arguments: ["s3://logs/logs/", "s3://logs/logs"])
    func prefixBeforeAWSLogsIsSearched(url: String) throws {
        let bucket = FakeBucket(Self.keys)
        let planner = try Self.planner(url, from: "2026-11-20", to: "2026-11-20")
        let prefixes = try Self.plan(planner, over: bucket)
        #expect(bucket.calls == ["logs/", "logs/AWSLogs/", "logs/AWSLogs/333333333333/", "logs/AWSLogs/333333333333/CloudTrail/"])
        #expect(prefixes == ["logs/AWSLogs/333333333333/CloudTrail/us-east-1/2026/11/20/"])
    }

    @Test func searchFindsAWSLogsFoldersBesideEachOtherButNotTheirSiblings() throws {
        let bucket = FakeBucket([
            "trails/AWSLogs/444444444444/CloudTrail/us-east-1/2026/11/20/a.json.gz",
            "trails/athena-results/2026/11/20/q.csv",
            "network/flow/AWSLogs/444444444444/vpcflowlogs/eu-west-1/2026/11/20/b.log.gz",
            "deep/a/b/AWSLogs/444444444444/CloudTrail/us-east-1/2026/11/20/c.json.gz",
        ])
        let planner = try Self.planner("s3://logs/", from: "2026-11-20", to: "2026-11-20", regions: ["us-east-1", "eu-west-1"])
        let prefixes = try Self.plan(planner, over: bucket)
        #expect(!bucket.calls.contains("trails/athena-results/"))
        #expect(!bucket.calls.contains("deep/a/b/"))  // AWSLogs/ is searched three levels down, not four
        #expect(prefixes == [
            "network/flow/AWSLogs/444444444444/vpcflowlogs/eu-west-1/2026/11/20/",
            "network/flow/AWSLogs/444444444444/vpcflowlogs/us-east-1/2026/11/20/",
            "trails/AWSLogs/444444444444/CloudTrail/eu-west-1/2026/11/20/",
            "trails/AWSLogs/444444444444/CloudTrail/us-east-1/2026/11/20/",
        ])
    }

    @Test func monthFolderGivesItsDaysWithinTheRange() throws {
        let bucket = FakeBucket(Self.keys)
        let region = "AWSLogs/\(Self.management)/CloudTrail/us-east-1/"
        let planner = try Self.planner("s3://logs/\(region)2026/11", from: "2026-11-29", to: "2026-12-02")
        #expect(try Self.plan(planner, over: bucket) == Self.days(region, "2026/11/29", "2026/11/30"))
        #expect(bucket.calls.isEmpty)
    }

    @Test(arguments: [
        ("2026/11/20/", nil, "2026/11/20/"),
        ("2026/11/20", "2026-11-20", "2026/11/20"),
        ("2026/11/20/111111111111_CloudTrail_us-east-1_20261120T00", "2026-11-19", "2026/11/20/111111111111_CloudTrail_us-east-1_20261120T00"),
        ("2026/11/2", "2026-11-01", "2026/11/2"),  // not a whole date folder: kept as typed
        ("2026/", nil, "2026/"),
    ] as [(String, String?, String)])
    func prefixInsideTheDatesIsReadAsGiven(below: String, from: String?, expected: String) throws {
        let bucket = FakeBucket(Self.keys)
        let region = "AWSLogs/\(Self.management)/CloudTrail/us-east-1/"
        let planner = try Self.planner("s3://logs/\(region)\(below)", from: from, to: from == nil ? nil : "2026-11-21")
        #expect(try Self.plan(planner, over: bucket) == [region + expected])
        #expect(bucket.calls.isEmpty)
    }

    // MARK: - Dates

    @Test func onlyFromRunsToToday() throws {
        let bucket = FakeBucket(Self.keys)
        let region = "AWSLogs/\(Self.management)/CloudTrail/us-east-1/"
        let planner = try Self.planner("s3://logs/" + region, from: "2026-11-19", now: "2026-11-21T23:59:59Z")
        #expect(try Self.plan(planner, over: bucket) == Self.days(region, "2026/11/19", "2026/11/20", "2026/11/21"))
    }

    @Test func onlyToIsRefused() {
        #expect(throws: PlanError.toWithoutFrom(to: Self.day("2026-11-20"))) {
            try Self.planner("s3://logs/AWSLogs/", to: "2026-11-20")
        }
        #expect(PlanError.toWithoutFrom(to: Self.day("2026-11-20")).description.contains("--from"))
    }

    @Test func noDatesGiveTheRegionFolders() throws {
        let bucket = FakeBucket(Self.keys)
        let planner = try Self.planner("s3://logs/AWSLogs/\(Self.management)/", regions: [])
        let account = "AWSLogs/\(Self.management)/"
        #expect(try Self.plan(planner, over: bucket) == [
            account + "CloudTrail-Insight/us-east-1/",
            account + "CloudTrail/eu-west-1/",
            account + "CloudTrail/us-east-1/",
            account + "Config/us-east-1/",
            account + "GuardDuty/us-east-1/",
            account + "vpcflowlogs/us-east-1/",
        ])
    }

    @Test func digestsAreSkippedUnlessNamed() throws {
        let bucket = FakeBucket(Self.keys)
        let planner = try Self.planner("s3://logs/AWSLogs/\(Self.management)/")
        let prefixes = try Self.plan(planner, over: bucket)
        #expect(!prefixes.contains { $0.contains("CloudTrail-Digest") })
        #expect(!bucket.calls.contains { $0.contains("CloudTrail-Digest") })
        #expect(prefixes.contains { $0.contains("/Config/") }, "AWS Config is read")

        let named = FakeBucket(Self.keys)
        let digests = try Self.planner("s3://logs/AWSLogs/\(Self.management)/CloudTrail-Digest/")
        #expect(try Self.plan(digests, over: named) == ["AWSLogs/\(Self.management)/CloudTrail-Digest/us-east-1/"])
    }

    @Test func rangeErrorsAreSentences() {
        #expect(throws: PlanError.fromAfterTo(from: Self.day("2026-11-21"), to: Self.day("2026-11-20"), toIsToday: false)) {
            try Self.planner("s3://logs/", from: "2026-11-21", to: "2026-11-20")
        }
        #expect(throws: PlanError.fromAfterTo(from: Self.day("2026-12-01"), to: Self.day("2026-11-21"), toIsToday: true)) {
            try Self.planner("s3://logs/", from: "2026-12-01")
        }
        #expect(throws: PlanError.tooManyDays(count: 3_701, limit: 3_700)) {
            try Self.planner("s3://logs/", from: "2016-10-03", to: "2026-11-20")
        }
        #expect(throws: Never.self) { try Self.planner("s3://logs/", from: "2016-10-04", to: "2026-11-20") }
    }

    @Test func prefixContradictingTheFlagsIsRefused() throws {
        let bucket = FakeBucket(Self.keys)
        let otherAccount = try Self.planner("s3://logs/AWSLogs/\(Self.management)/", accounts: [Self.member])
        #expect(throws: PlanError.prefixOutsideAccounts(location: "s3://logs/AWSLogs/\(Self.management)/", account: Self.management, wanted: [Self.member])) {
            try otherAccount.prefixes(listing: bucket.list)
        }
        let otherRegion = try Self.planner("s3://logs/AWSLogs/\(Self.management)/CloudTrail/us-east-1/", regions: ["eu-west-1"])
        #expect(throws: PlanError.self) { try otherRegion.prefixes(listing: bucket.list) }
        let otherMonth = try Self.planner(
            "s3://logs/AWSLogs/\(Self.management)/CloudTrail/us-east-1/2026/10/", from: "2026-11-01", to: "2026-11-02"
        )
        do {
            _ = try otherMonth.prefixes(listing: bucket.list)
            Issue.record("expected an error")
        } catch let error as PlanError {
            #expect(error.description == "s3://logs/AWSLogs/\(Self.management)/CloudTrail/us-east-1/2026/10/ holds only 2026-10-01 to 2026-10-31, outside the days asked for (2026-11-01 to 2026-11-02).")
        }
        #expect(bucket.calls.isEmpty)
    }

    // MARK: - Outside the layout

    @Test(arguments: ["s3://logs/exports/", "s3://logs/exports", "s3://logs/exports/2026-11"])
    func prefixOutsideTheLayoutIsReturnedAsGiven(url: String) throws {
        let bucket = FakeBucket(Self.keys)
        let planner = try Self.planner(url, from: "2026-11-20", to: "2026-11-20")
        #expect(try Self.plan(planner, over: bucket) == [S3Location(url: url)!.prefix])
        #expect(planner.admits(key: "exports/2026-11-20/events-0001.json.gz"))
        #expect(!planner.admits(key: "exports/2026-11-21/events-0002.json.gz"))
        #expect(planner.admits(key: "exports/undated/events.json.gz"))
    }

    @Test func configsUnpaddedDayFoldersAreItsDays() throws {
        // AWS Config writes `2026/1/5`: its day folders are planned so, and a prefix naming one is that day.
        let bucket = FakeBucket(Self.keys)
        let prefix = "AWSLogs/\(Self.management)/Config/us-east-1/2026/1/5/"
        let planner = try Self.planner("s3://logs/" + prefix, from: "2026-01-05", to: "2026-01-05")
        #expect(try Self.plan(planner, over: bucket) == [prefix])
        #expect(throws: PlanError.self) { try Self.plan(try Self.planner("s3://logs/" + prefix, from: "2026-01-06", to: "2026-01-07"), over: bucket) }
        let month = try Self.planner("s3://logs/AWSLogs/\(Self.management)/Config/us-east-1/2026/1/", from: "2026-01-09", to: "2026-01-10")
        #expect(try Self.plan(month, over: bucket) == ["AWSLogs/\(Self.management)/Config/us-east-1/2026/1/9/",
                                                       "AWSLogs/\(Self.management)/Config/us-east-1/2026/1/10/"])
        let region = try Self.planner("s3://logs/AWSLogs/\(Self.management)/Config/us-east-1/", from: "2026-02-28", to: "2026-03-01")
        #expect(try Self.plan(region, over: bucket) == ["AWSLogs/\(Self.management)/Config/us-east-1/2026/2/28/",
                                                        "AWSLogs/\(Self.management)/Config/us-east-1/2026/3/1/"])
        #expect(planner.admits(key: prefix + "ConfigHistory/x.json.gz"))
        #expect(!month.admits(key: "AWSLogs/\(Self.management)/Config/us-east-1/2026/1/5/ConfigHistory/x.json.gz"))
    }

    @Test func searchOfAWideBucketWithoutTheLayoutGivesUpAndReadsThePrefix() throws {
        let bucket = FakeBucket((0..<300).map { "uploads/user-\($0)/2026/11/20/file.json" })
        let planner = try Self.planner("s3://logs/", from: "2026-11-20", to: "2026-11-20")
        #expect(try Self.plan(planner, over: bucket) == [""])
        #expect(bucket.calls.count == AWSLogsPrefixPlanner.maximumSearchListings)
    }

    @Test func searchThatRunsOutAfterFindingSomeSaysWhere() throws {
        let bucket = FakeBucket(
            ["a/AWSLogs/444444444444/CloudTrail/us-east-1/2026/11/20/x.json.gz"]
                + (0..<300).map { "b/user-\($0)/data/file.json" }
        )
        let planner = try Self.planner("s3://logs/", from: "2026-11-20", to: "2026-11-20")
        #expect(throws: PlanError.searchTooWide(location: "s3://logs/", listings: 200, found: ["a/AWSLogs/"])) {
            try planner.prefixes(listing: bucket.list)
        }
    }

    // MARK: - Days and keys

    @Test func dayArithmeticMatchesTheCalendar() throws {
        #expect(Day(ordinal: 0) == Day(year: 1970, month: 1, day: 1))
        for text in ["1969-12-31", "2000-02-29", "2024-02-29", "2026-11-20", "2100-03-01", "9999-12-31", "0001-01-01"] {
            let day = Self.day(text)
            #expect(Day(ordinal: day.ordinal) == day)
            #expect(day.description == text)
        }
        #expect(Self.day("2024-03-01").ordinal - Self.day("2024-02-28").ordinal == 2)
        #expect(Self.day("2026-03-01").ordinal - Self.day("2026-02-28").ordinal == 1)
        #expect(Day("2026-02-29") == nil)
        #expect(Day("2026-13-01") == nil)
        #expect(Day("2026-1-05") == nil)
        #expect(Day(secondsSince1970: -1) == Self.day("1969-12-31"))
        #expect(Day(secondsSince1970: 1_795_651_199) == Self.day("2026-11-25"))
        #expect(Day(secondsSince1970: 1_795_651_200) == Self.day("2026-11-26"))
        #expect(Self.day("2026-11-20").folderPath == "2026/11/20/")
    }

    @Test(arguments: [
        ("AWSLogs/1/vpcflowlogs/us-east-1/2026/11/20/05/1_vpcflowlogs_us-east-1_fl-1_20261121T0505Z_x.log.gz", "2026-11-20"),
        ("flat/111111111111_CloudTrail_us-east-1_20261120T0005Z_Mu0KsOh.json.gz", "2026-11-20"),
        ("exports/2026-11-20/events.json.gz", "2026-11-20"),
        ("exports/events.json.gz", nil),
        ("exports/120261120T/events-2026-13-40.json", nil),
    ] as [(String, String?)])
    func dayShownByAKey(key: String, day: String?) {
        #expect(AWSLogsPrefixPlanner.day(inKey: key) == day.map(Self.day))
    }

    @Test func everyKeyIsAdmittedWithoutDates() throws {
        #expect(try Self.planner("s3://logs/exports/").admits(key: "exports/2001-01-01/a.json"))
    }
}

/// `s3://bucket/prefix` as typed on the command line.
@Suite("S3 location")
struct S3LocationTests {
    @Test(arguments: [
        ("s3://logs", "logs", ""),
        ("s3://logs/", "logs", ""),
        ("s3://logs/AWSLogs/", "logs", "AWSLogs/"),
        ("s3://logs/custom prefix/a+b", "logs", "custom prefix/a+b"),
        ("S3://logs/x", "logs", "x"),
        ("s3://my.bucket-1/a//b", "my.bucket-1", "a//b"),
    ])
    func parses(url: String, bucket: String, prefix: String) throws {
        let location = try #require(S3Location(url: url))
        #expect(location.bucket == bucket)
        #expect(location.prefix == prefix)
        #expect(S3Location(url: location.description) == location)
    }

    @Test(arguments: ["", "s3://", "s3:///logs", "https://logs.s3.amazonaws.com/x", "logs/x", "s3:/logs", "s3://my bucket/x"])
    func refuses(url: String) {
        #expect(S3Location(url: url) == nil)
    }

    @Test func describesItselfAsAURL() {
        #expect(S3Location(url: "s3://logs")?.description == "s3://logs/")
        #expect(S3Location(url: "s3://logs/AWSLogs/111111111111/")?.description == "s3://logs/AWSLogs/111111111111/")
    }
}

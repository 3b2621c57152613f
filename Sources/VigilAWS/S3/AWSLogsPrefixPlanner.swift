import Foundation
import VigilLayout

/// Plans the S3 prefixes a backfill (`vigil replay s3://bucket/prefix --from --to --account --region`)
/// must list, so that it reads the days asked for and never walks the whole bucket.
///
/// AWS writes CloudTrail, VPC flow logs and GuardDuty exports under one layout, `AWSLogsPath`'s:
///
///     [prefix/]AWSLogs/[o-ORGID/]ACCOUNT/SERVICE/REGION/YYYY/MM/DD/…
///
/// (organization trails add the `o-…` folder; flow logs may add an `HH/` folder under the day, which
/// a day prefix covers; in a prefix with two `AWSLogs` folders the last counts, as `AWSLogsPath`
/// explains). The planner finds where the given prefix sits in that layout, discovers the
/// folders it was not given — organization folders, accounts, services, regions — with one
/// delimiter listing per folder, and computes the day folders without listing them:
/// `…/CloudTrail/us-east-1/2026/11/20/`, one per UTC day of the range and region.
///
/// What is listed, and what is not:
/// - Nothing above the given prefix, and nothing at a region folder or below it (years, months and
///   days are computed, not discovered).
/// - Accounts are not listed when `accounts` is given, nor regions when `regions` is given: the
///   given names are used directly. `AWSLogs/` itself is still listed once, because organization
///   folders (`o-…`) cannot be guessed and an organization trail writes every account under one.
/// - Services are always listed per account (one call), keeping only ``services``; the default
///   leaves out `CloudTrail-Digest`, whose digest files hold no events.
/// - Above `AWSLogs/` (`s3://bucket/` or `s3://bucket/logs/`), the `AWSLogs/` folders are looked for
///   up to ``maximumSearchDepth`` levels down, in at most ``maximumSearchListings`` listings; the
///   siblings of an `AWSLogs/` folder are not searched.
///
/// A prefix that does not follow the layout — no `AWSLogs/` found below it, or a date folder that is
/// not `YYYY/MM/DD` — is returned as given, for the caller to list whole and filter with
/// ``admits(key:)``. A prefix not ending in `/` names a folder (`s3://b/logs` is searched as `logs/`),
/// except where it cannot be a whole folder name — an incomplete date (`…/2026/11/2`, for the 20th
/// to the 29th) or a file name inside a day — where it is a key prefix kept as typed.
///
/// Day folders are the days files were delivered, in UTC: an event of 23:58 may sit in the next
/// day's folder. Callers that need every event of a range filter events by their own time.
/// Hive-compatible flow log prefixes (`aws-account-id=…/aws-service=…`) are not recognized.
public struct AWSLogsPrefixPlanner: Sendable {
    /// A calendar day in UTC, as the layout's `YYYY/MM/DD/` folders name it.
    public typealias Day = CalendarDay

    /// The services whose folders follow the `REGION/YYYY/MM/DD/` layout and hold events Vigil reads.
    public static let defaultServices: Set<String> = AWSLogsServices.holdingEvents
    /// The most days a plan may cover (about ten years); more is almost certainly a typo in a date.
    public static let maximumDays = 3_700
    /// How many folder levels below a prefix above `AWSLogs/` are searched for `AWSLogs/`.
    public static let maximumSearchDepth = 3
    /// How many listings the search for `AWSLogs/` may make before giving up.
    public static let maximumSearchListings = 200

    /// Where to read.
    public let location: S3Location
    /// The UTC days to read, or nil for the whole history of the folders found.
    public let days: ClosedRange<Day>?
    /// The accounts to read; empty for all accounts found.
    public let accounts: Set<String>
    /// The regions to read; empty for all regions found.
    public let regions: Set<String>
    /// The service folders to read when they are discovered (a prefix naming one is always honored).
    public let services: Set<String>

    /// A plan for `location`. With neither `from` nor `to`, whole folders are read; with `from` alone
    /// the range ends today (the UTC day of `now`); `to` alone is refused, since an open start would
    /// read every day the bucket holds.
    /// - Throws: ``PlanError`` for a `to` without `from`, a `from` after `to`, or more than
    ///   ``maximumDays`` days.
    public init(
        location: S3Location,
        from: Day? = nil,
        to: Day? = nil,
        accounts: Set<String> = [],
        regions: Set<String> = [],
        services: Set<String> = AWSLogsPrefixPlanner.defaultServices,
        now: Date = Date()
    ) throws {
        self.location = location
        self.accounts = accounts
        self.regions = regions
        self.services = services
        switch (from, to) {
        case (nil, nil):
            days = nil
        case (nil, let to?):
            throw PlanError.toWithoutFrom(to: to)
        case (let from?, let givenTo):
            let to = givenTo ?? Day(secondsSince1970: Int64(now.timeIntervalSince1970.rounded(.down)))
            guard from <= to else { throw PlanError.fromAfterTo(from: from, to: to, toIsToday: givenTo == nil) }
            let count = to.ordinal - from.ordinal + 1
            guard count <= Self.maximumDays else { throw PlanError.tooManyDays(count: count, limit: Self.maximumDays) }
            days = from...to
        }
    }

    /// The prefixes to list in full (ListObjectsV2 without a delimiter), sorted and without repeats:
    /// day folders when days were asked for, region folders otherwise, or the given prefix when it
    /// does not follow the layout.
    ///
    /// - Parameter listing: the folders directly under a prefix — ListObjectsV2 with `Delimiter=/`,
    ///   all pages, returning its `CommonPrefixes`: full prefixes, each ending with `/`. It is called
    ///   one folder at a time, with a prefix ending in `/` (or `""` for the bucket root). Entries that
    ///   are not folders directly under the prefix are ignored.
    /// - Throws: what `listing` throws, and ``PlanError`` when the prefix contradicts `accounts`,
    ///   `regions` or the days, or when the search for `AWSLogs/` found some but could not finish.
    public func prefixes(
        listing: (String) throws -> [String]
    ) throws -> [String] {
        var queue: [Folder]
        switch try start() {
        case .asGiven:
            return [location.prefix]
        case .exactly(let prefix):
            return [prefix]
        case .days(let regionPrefix, let wanted):
            return (wanted.lowerBound.ordinal...wanted.upperBound.ordinal).map { Self.dayFolder(Day(ordinal: $0), under: regionPrefix) }
        case .folders(let initial):
            queue = initial
        }

        var regionFolders: [String] = []
        var roots: [String] = []
        var searchListings = 0
        var next = 0
        while next < queue.count {
            let folder = queue[next]
            next += 1
            switch folder {
            case .search(let prefix, let depth):
                guard searchListings < Self.maximumSearchListings else {
                    if roots.isEmpty { return [location.prefix] }
                    throw PlanError.searchTooWide(location: location.description, listings: searchListings, found: roots)
                }
                searchListings += 1
                let children = try Self.children(of: prefix, listing)
                if let root = children.first(where: { $0.name == "AWSLogs" }) {
                    roots.append(root.prefix)
                    queue.append(.awsLogs(root.prefix))
                } else if depth + 1 < Self.maximumSearchDepth {
                    queue += children.map { .search($0.prefix, depth: depth + 1) }
                }
            case .awsLogs(let root):
                let children = try Self.children(of: root, listing)
                let organizations = children.filter { $0.name.hasPrefix("o-") }
                let direct = children.filter { !$0.name.hasPrefix("o-") }
                queue += direct.filter { accounts.isEmpty || accounts.contains($0.name) }.map { .account($0.prefix) }
                queue += organizations.map { .organization($0.prefix) }
            case .organization(let prefix):
                if accounts.isEmpty {
                    queue += try Self.children(of: prefix, listing).map { .account($0.prefix) }
                } else {
                    queue += accounts.sorted().map { .account(prefix + $0 + "/") }
                }
            case .account(let prefix):
                let found = try Self.children(of: prefix, listing)
                queue += found.filter { services.contains($0.name) }.map { .service($0.prefix) }
            case .service(let prefix):
                if regions.isEmpty {
                    queue += try Self.children(of: prefix, listing).map { .region($0.prefix) }
                } else {
                    queue += regions.sorted().map { .region(prefix + $0 + "/") }
                }
            case .region(let prefix):
                regionFolders.append(prefix)
            }
        }
        if case .search = queue.first, roots.isEmpty { return [location.prefix] }

        var planned: Set<String> = []
        for region in regionFolders {
            guard let days else {
                planned.insert(region)
                continue
            }
            for day in days.lowerBound.ordinal...days.upperBound.ordinal {
                planned.insert(Self.dayFolder(Day(ordinal: day), under: region))
            }
        }
        return planned.sorted()
    }

    /// The folder of `day` under the region folder `regionPrefix`: `2026/11/05/`, or for AWS
    /// Config, which writes its days unpadded, `2026/11/5/`.
    static func dayFolder(_ day: Day, under regionPrefix: String) -> String {
        guard isConfig(regionPrefix) else { return regionPrefix + day.folderPath }
        return regionPrefix + "\(day.year)/\(day.month)/\(day.day)/"
    }

    /// Whether `prefix` lies in AWS Config's folder (`AWSLogs/ACCOUNT/Config/…`).
    static func isConfig(_ prefix: String) -> Bool {
        var segments = prefix.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if prefix.hasSuffix("/") { segments.removeLast() }
        return AWSLogsPath(folders: segments)?.service == "Config"
    }

    /// Whether the caller should read `key` when it had to list a prefix whole: true unless days were
    /// asked for and the key shows a day outside them (see ``day(inKey:)``). A key showing no day is
    /// read; the events' own times decide then.
    public func admits(key: String) -> Bool {
        guard let days, let day = Self.day(inKey: key) else { return true }
        return days.contains(day)
    }

    /// The day a key shows: its `YYYY/MM/DD/` folders, else the `YYYYMMDDT` stamp AWS puts in
    /// CloudTrail and flow log file names (`…_CloudTrail_us-east-1_20261120T0005Z_….json.gz`), else a
    /// `YYYY-MM-DD` anywhere in it; nil when it shows none.
    public static func day(inKey key: String) -> Day? {
        let segments = key.split(separator: "/", omittingEmptySubsequences: false)
        // AWS Config's day folders are unpadded (`2026/1/5/`).
        if let layout = AWSLogsPath(path: key), layout.service == "Config", let day = layout.day {
            return day
        }
        if segments.count >= 3 {
            for index in 0...(segments.count - 3) {
                if let year = Day.digits(segments[index], count: 4), let month = Day.digits(segments[index + 1], count: 2),
                   let day = Day.digits(segments[index + 2], count: 2), let found = Day(year: year, month: month, day: day)
                {
                    return found
                }
            }
        }
        let bytes = Array(key.utf8)
        func digits(at start: Int, count: Int) -> Int? {
            guard start >= 0, start + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[start..<(start + count)] {
                guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        func isDigit(at index: Int) -> Bool {
            index >= 0 && index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        // `20261120T`: eight digits not preceded by a digit, then `T`.
        for start in bytes.indices where !isDigit(at: start - 1) {
            if start + 8 < bytes.count, bytes[start + 8] == UInt8(ascii: "T"),
               let year = digits(at: start, count: 4), let month = digits(at: start + 4, count: 2),
               let day = digits(at: start + 6, count: 2), let found = Day(year: year, month: month, day: day)
            {
                return found
            }
        }
        // `2026-11-20`, not inside a longer run of digits.
        for start in bytes.indices where !isDigit(at: start - 1) {
            if start + 10 <= bytes.count, bytes[start + 4] == UInt8(ascii: "-"), bytes[start + 7] == UInt8(ascii: "-"),
               !isDigit(at: start + 10), let year = digits(at: start, count: 4),
               let month = digits(at: start + 5, count: 2), let day = digits(at: start + 8, count: 2),
               let found = Day(year: year, month: month, day: day)
            {
                return found
            }
        }
        return nil
    }

    // MARK: - Where the given prefix sits

    /// A folder still to be looked at, by its level in the layout; each holds a full prefix ending in `/`.
    private enum Folder {
        /// Above `AWSLogs/`: looking for it, `depth` levels below the given prefix.
        case search(String, depth: Int)
        case awsLogs(String)
        case organization(String)
        case account(String)
        case service(String)
        case region(String)
    }

    private enum Start {
        /// Not the layout: the given prefix, whole.
        case asGiven
        /// A date folder or a key prefix inside one, already within the days: nothing to discover.
        case exactly(String)
        /// A year or month folder with days asked for: these days (within both) under the region folder.
        case days(regionPrefix: String, wanted: ClosedRange<Day>)
        /// Folders to discover from.
        case folders([Folder])
    }

    private func start() throws -> Start {
        let raw = location.prefix
        let endsAtFolder = raw.isEmpty || raw.hasSuffix("/")
        var segments = raw.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if raw.isEmpty {
            segments = []
        } else if endsAtFolder {
            segments.removeLast()
        }
        func folder(_ count: Int) -> String { segments.prefix(count).map { $0 + "/" }.joined() }

        guard let layout = AWSLogsPath(folders: segments) else {
            return .folders([.search(folder(segments.count), depth: 0)])
        }
        let account = layout.account, service = layout.service, region = layout.region
        let date = layout.dateFolders
        let yearText = date.first, monthText = date.dropFirst().first, dayText = date.dropFirst(2).first
        let dateEnd = date.endIndex
        let deeper = dateEnd < segments.count

        if let account, !accounts.isEmpty, !accounts.contains(account) {
            throw PlanError.prefixOutsideAccounts(location: location.description, account: account, wanted: accounts.sorted())
        }
        if let region, !regions.isEmpty, !regions.contains(region) {
            throw PlanError.prefixOutsideRegions(location: location.description, region: region, wanted: regions.sorted())
        }

        guard let yearText else {
            if region != nil {
                return .folders([.region(folder(layout.dateIndex))])
            } else if service != nil {
                return .folders([.service(folder(layout.accountIndex + 2))])
            } else if account != nil {
                return .folders([.account(folder(layout.accountIndex + 1))])
            } else if layout.organization != nil {
                return .folders([.organization(folder(layout.accountIndex))])
            }
            return .folders([.awsLogs(folder(layout.root + 1))])
        }

        // Below the region: dates, computed rather than listed. A date that is not `YYYY/MM/DD` (a
        // partial `2026/1`, or another service's unpadded `2026/1/5`) is not the layout.
        guard let year = Day.digits(yearText, count: 4) else { return .asGiven }
        // AWS Config writes its months and days unpadded (`2026/1/5`); the other services pad them.
        let isConfig = service == "Config"
        func dateNumber(_ text: String) -> Int? {
            isConfig && text.utf8.count == 1 ? Day.digits(text, count: 1) : Day.digits(text, count: 2)
        }
        let month = monthText.map { dateNumber($0) }
        let day = dayText.map { dateNumber($0) }
        if month == .some(nil) || day == .some(nil) { return .asGiven }
        guard let span = Self.span(year: year, month: month ?? nil, day: day ?? nil) else { return .asGiven }

        let isDayOrDeeper = dayText != nil
        let exact = isDayOrDeeper && (deeper || !endsAtFolder) ? raw : folder(dateEnd)
        guard let days else { return .exactly(exact) }
        guard let wanted = Self.intersection(days, span) else {
            throw PlanError.prefixOutsideDays(location: location.description, prefixDays: span, days: days)
        }
        if isDayOrDeeper { return .exactly(exact) }
        return .days(regionPrefix: folder(layout.dateIndex), wanted: wanted)
    }

    /// The folders directly under `prefix`, as `listing` gives them: full prefix and last name.
    private static func children(
        of prefix: String,
        _ listing: (String) throws -> [String]
    ) throws -> [(prefix: String, name: String)] {
        try listing(prefix).compactMap { child in
            guard child.hasPrefix(prefix), child.hasSuffix("/"), child.count > prefix.count + 1 else { return nil }
            let name = String(child.dropFirst(prefix.count).dropLast())
            return name.contains("/") ? nil : (child, name)
        }
    }

    /// The days a year, month or day folder covers; nil for a date that does not exist.
    private static func span(year: Int, month: Int?, day: Int?) -> ClosedRange<Day>? {
        guard let month else {
            guard let first = Day(year: year, month: 1, day: 1), let last = Day(year: year, month: 12, day: 31) else { return nil }
            return first...last
        }
        guard let day else {
            guard let first = Day(year: year, month: month, day: 1) else { return nil }
            return first...Day(year: year, month: month, day: Day.daysIn(month: month, year: year))!
        }
        return Day(year: year, month: month, day: day).map { $0...$0 }
    }

    private static func intersection(_ a: ClosedRange<Day>, _ b: ClosedRange<Day>) -> ClosedRange<Day>? {
        let lower = max(a.lowerBound, b.lowerBound), upper = min(a.upperBound, b.upperBound)
        return lower <= upper ? lower...upper : nil
    }
}

extension AWSLogsPrefixPlanner {
    /// Why a plan cannot be made; each description is a sentence for the person who typed the command.
    public enum PlanError: Error, Sendable, Equatable, CustomStringConvertible {
        /// `--to` was given without `--from`.
        case toWithoutFrom(to: Day)
        /// `--from` is after `--to` (or after today, when `--to` was not given).
        case fromAfterTo(from: Day, to: Day, toIsToday: Bool)
        /// The range holds more than `limit` days.
        case tooManyDays(count: Int, limit: Int)
        /// The prefix is inside an account that `--account` leaves out.
        case prefixOutsideAccounts(location: String, account: String, wanted: [String])
        /// The prefix is inside a region that `--region` leaves out.
        case prefixOutsideRegions(location: String, region: String, wanted: [String])
        /// The prefix names a year, month or day that holds none of the days asked for.
        case prefixOutsideDays(location: String, prefixDays: ClosedRange<Day>, days: ClosedRange<Day>)
        /// The search for `AWSLogs/` ran out of listings after finding some of them.
        case searchTooWide(location: String, listings: Int, found: [String])

        /// The error as a sentence for the command line.
        public var description: String {
            switch self {
            case .toWithoutFrom(let to):
                return "--to \(to) needs a --from too: without a start, the backfill would read every day the bucket holds."
            case .fromAfterTo(let from, let to, let toIsToday):
                return toIsToday
                    ? "--from \(from) is after today (\(to), UTC)."
                    : "--from \(from) is after --to \(to)."
            case .tooManyDays(let count, let limit):
                return "The range covers \(count) days; a backfill may cover at most \(limit). Check --from and --to, or run it in parts."
            case .prefixOutsideAccounts(let location, let account, let wanted):
                return "\(location) is inside account \(account), which --account \(wanted.joined(separator: ", ")) leaves out."
            case .prefixOutsideRegions(let location, let region, let wanted):
                return "\(location) is inside region \(region), which --region \(wanted.joined(separator: ", ")) leaves out."
            case .prefixOutsideDays(let location, let prefixDays, let days):
                let shown = prefixDays.lowerBound == prefixDays.upperBound
                    ? "\(prefixDays.lowerBound)" : "\(prefixDays.lowerBound) to \(prefixDays.upperBound)"
                return "\(location) holds only \(shown), outside the days asked for (\(days.lowerBound) to \(days.upperBound))."
            case .searchTooWide(let location, let listings, let found):
                return "Looking for AWSLogs/ folders under \(location) took more than \(listings) listings, after finding "
                    + found.joined(separator: ", ") + "; give one of them (or a prefix closer to them) as the location."
            }
        }
    }
}

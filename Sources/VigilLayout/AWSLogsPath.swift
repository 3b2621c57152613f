/// Where a file's path, an S3 key or a prefix sits in the layout AWS delivers logs to:
///
///     [PREFIX/]AWSLogs/[o-ORGID/]ACCOUNT/SERVICE/REGION/YYYY/MM/DD/[HH/]FILE
///
/// CloudTrail, VPC flow logs and GuardDuty exports are written so (organization trails add the
/// `o-…` folder, flow logs may add an hour folder, Config writes its days unpadded, `2026/1/5`).
/// The local reader learns from it what a file holds (account, region, day) and what its records'
/// identity is; the S3 prefix planner, which folders to list.
///
/// **Which `AWSLogs` counts: the last folder of that name.** PREFIX is the one part the bucket's
/// owner chooses — a trail's S3 key prefix, a flow log's destination folder, the folder a bucket
/// was copied into — and it may itself hold an `AWSLogs` folder (a trail whose prefix is `AWSLogs`,
/// a bucket synced into `~/AWSLogs/`), while nothing AWS writes below `AWSLogs/` is named so
/// (an account is twelve digits or `o-…`, then come a service, a region and dates). So the last
/// `AWSLogs` is the one AWS wrote, and the path from it on (``fromRoot``) is the same in S3 as in
/// any copy of the bucket, wherever the copy was put.
public struct AWSLogsPath: Sendable, Hashable {
    /// The path's folders in order, from the first to the one holding the file (for a prefix, to
    /// its last segment).
    public let folders: [String]
    /// The file the path names; nil for a prefix, whose every segment is a folder.
    public let fileName: String?
    /// Where the `AWSLogs` folder that counts is in `folders`.
    public let root: Int
    /// Where the account folder is, or would be, in `folders`: after `AWSLogs/` and the
    /// organization folder, if any.
    public let accountIndex: Int

    /// The layout of a path whose segments are `folders`, then `fileName` when it names a file;
    /// nil when no folder is `AWSLogs`.
    public init?(folders: [String], fileName: String? = nil) {
        guard let root = folders.lastIndex(of: "AWSLogs") else { return nil }
        self.folders = folders
        self.fileName = fileName
        self.root = root
        let next = root + 1
        accountIndex = next < folders.count && folders[next].hasPrefix("o-") ? next + 1 : next
    }

    /// The layout of a file's path or an object's key or URL (`s3://bucket/AWSLogs/…`): its last
    /// component is the file, never taken for a folder, and empty components (`//`) are dropped;
    /// nil when no folder is `AWSLogs`.
    ///
    /// Split on the `/` byte, not on characters: every file of a run is looked at, and splitting
    /// the `String` by `Character` took a fifth of a replay of 100,000 small files (perf). A path
    /// without `AWSLogs` in it is refused before it is split.
    public init?(path: String) {
        guard Self.mayHoldRoot(path) else { return nil }
        var components = path.utf8.split(separator: UInt8(ascii: "/")).map { String(decoding: $0, as: UTF8.self) }
        guard let file = components.popLast() else { return nil }
        self.init(folders: components, fileName: file)
    }

    /// Whether `path` contains `AWSLogs` anywhere, as a folder of the layout must.
    private static func mayHoldRoot(_ path: String) -> Bool {
        let root: [UInt8] = Array("AWSLogs".utf8)
        var path = path
        return path.withUTF8 { bytes in
            guard bytes.count >= root.count else { return false }
            var index = 0
            while index + root.count <= bytes.count {
                if bytes[index] == UInt8(ascii: "A"), bytes[index + 1] == UInt8(ascii: "W"),
                   bytes[index ..< index + root.count].elementsEqual(root) {
                    return true
                }
                index += 1
            }
            return false
        }
    }

    /// The organization folder (`o-…`) of an organization trail.
    public var organization: String? {
        accountIndex > root + 1 ? folders[root + 1] : nil
    }

    /// The account folder as written; see ``isAccountID(_:)`` for whether it is one.
    public var account: String? { folder(at: accountIndex) }
    /// The service folder: `CloudTrail`, `CloudTrail-Digest`, `vpcflowlogs`, `GuardDuty`, `Config`, …
    public var service: String? { folder(at: accountIndex + 1) }
    public var region: String? { folder(at: accountIndex + 2) }

    /// Where the date folders (`YYYY`, `MM`, `DD`) begin in `folders`.
    public var dateIndex: Int { accountIndex + 3 }

    /// The date folders as written: up to three, fewer where the path stops above the day.
    public var dateFolders: ArraySlice<String> {
        folders[min(dateIndex, folders.count)..<min(dateIndex + 3, folders.count)]
    }

    /// The day the date folders name, padded (`2026/11/20`) or not (Config's `2026/1/5`); nil when
    /// the path stops above the day or the folders are not a date that exists.
    public var day: CalendarDay? {
        let date = dateFolders
        guard date.count == 3, let year = Self.number(date[date.startIndex], maximumDigits: 4),
              let month = Self.number(date[date.startIndex + 1], maximumDigits: 2),
              let day = Self.number(date[date.startIndex + 2], maximumDigits: 2)
        else { return nil }
        return CalendarDay(year: year, month: month, day: day)
    }

    /// The path from `AWSLogs/` on, file included: the object's key below the bucket's own prefix,
    /// the same in S3 as in any copy of the bucket.
    public var fromRoot: String {
        var parts = folders[root...]
        if let fileName { parts.append(fileName) }
        return parts.joined(separator: "/")
    }

    /// Whether `text` is an AWS account id: twelve ASCII digits.
    public static func isAccountID(_ text: some StringProtocol) -> Bool {
        text.utf8.count == 12 && text.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    private func folder(at index: Int) -> String? {
        index < folders.count ? folders[index] : nil
    }

    /// One to `maximumDigits` ASCII digits, as a number.
    private static func number(_ text: String, maximumDigits: Int) -> Int? {
        let count = text.utf8.count
        return count <= maximumDigits ? CalendarDay.digits(text, count: count) : nil
    }
}

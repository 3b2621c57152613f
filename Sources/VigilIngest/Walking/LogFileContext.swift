import VigilLayout

/// What a file's path says about its contents, in the layout AWS delivers logs to
/// (`AWSLogsPath`: `AWSLogs/[o-ORGID/]ACCOUNT/SERVICE/REGION/YYYY/MM/DD/[HH/]FILE`), with CloudTrail
/// and flow log file names carrying their delivery time (`…_20261120T0905Z_…`).
///
/// The account and region fill in a flow record that lacks them; the folder date and the file
/// name's time let a replay skip files that cannot hold events in the time range asked for.
public struct LogFileContext: Sendable, Hashable {
    /// The path as given or found (what alerts show as `source.file`).
    public let path: String
    /// What flow event ids, and so alert ids, are derived from: one name for the file however its
    /// path is spelled (see ``identityPath(of:layout:)``).
    public let identityPath: String
    public let account: String?
    /// `CloudTrail`, `CloudTrail-Digest`, `CloudTrail-Insight`, `vpcflowlogs`, `GuardDuty`, …
    public let service: String?
    public let region: String?
    /// Midnight UTC (seconds since 1970) of the date folders, when present.
    public let folderDay: Int64?
    /// The delivery time in the file name (seconds since 1970), when present.
    public let deliveredAt: Int64?
    /// The log stream of a CloudWatch Logs export to S3, from its key `PREFIX/TASK-ID/STREAM/000000.gz`
    /// (a task id is a UUID; the file a number of six digits), when the path is one.
    public let exportedLogStream: String?
    /// What an export's log stream says of the database, for its lines' events.
    public let exportedPlacement: DatabaseAuditPlacement?

    /// `directories`: resolves the canonical paths of files outside the layout folder by folder
    /// (a run's reader keeps one); without it each file's path is resolved whole.
    public init(path: String, directories: CanonicalDirectories? = nil) {
        self.path = path
        let layout = AWSLogsPath(path: path)
        identityPath = Self.identityPath(of: path, layout: layout, directories: directories)
        if let layout, let account = layout.account, AWSLogsPath.isAccountID(account) {
            self.account = account
            service = layout.service
            region = layout.region
            folderDay = layout.day?.secondsSince1970
        } else {
            account = nil
            service = nil
            region = nil
            folderDay = nil
        }
        let name = Self.fileName(of: path)
        // A Config history file names the window its items were captured in, start then end
        // (`…_ConfigHistory_AWS::RDS::DBInstance_20261120T090000Z_20261120T150000Z_1.json.gz`):
        // its items are no later than the end, which stands for its delivery.
        deliveredAt = service == "Config" ? Self.fileNameTime(name, last: true) : Self.fileNameTime(name)
        exportedLogStream = Self.exportedLogStream(path)
        exportedPlacement = exportedLogStream.map { DatabaseAuditPlacement(logGroup: nil, logStream: $0) }
    }

    /// The last component of `path` (after its last `/`), split on the byte as the file system does.
    public static func fileName(of path: String) -> Substring {
        let utf8 = path.utf8
        guard let slash = utf8.lastIndex(of: UInt8(ascii: "/")) else { return path[...] }
        return path[utf8.index(after: slash)...]
    }

    /// `…/0b8e5c8d-6a52-4bd8-9d7c-2d5b8bd7d2f1/orders-db/000000.gz` → `orders-db`.
    static func exportedLogStream(_ path: String) -> String? {
        // Split on the `/` byte: this runs for every file, and splitting by `Character` was slow.
        let parts = path.utf8.split(separator: UInt8(ascii: "/"), omittingEmptySubsequences: true)
        guard parts.count >= 3 else { return nil }
        var name = parts[parts.count - 1]
        if name.count > 3, name.suffix(3).elementsEqual(".gz".utf8) { name = name.dropLast(3) }
        let task = parts[parts.count - 3]
        guard name.count == 6, name.allSatisfy(\.isDigit), task.count == 36,
              task.enumerated().allSatisfy({ index, byte in
                  [8, 13, 18, 23].contains(index) ? byte == UInt8(ascii: "-") : byte.isHexDigit
              }) else { return nil }
        return String(decoding: parts[parts.count - 2], as: UTF8.self)
    }

    /// The one name of the file `path` names, computed once per file:
    /// - in the `AWSLogs/` layout, the path from `AWSLogs/` on (the S3 key below the bucket's own
    ///   prefix), so that an object gives the same ids from S3 as from any copy of the bucket;
    /// - else, for a local file, its canonical path (`realpath`), so that `a.log`, `./a.log`,
    ///   `$PWD/a.log` and a link to it give the same ids — or, when that path is in the layout
    ///   (a link into a copy of the bucket), the path from `AWSLogs/` on;
    /// - else (an `s3://` object outside the layout) the URL.
    static func identityPath(of path: String, layout: AWSLogsPath?, directories: CanonicalDirectories? = nil) -> String {
        if let layout { return layout.fromRoot }
        if path.isEmpty || path.hasPrefix("s3://") { return path }
        let canonical = directories?.canonicalPath(of: path) ?? CanonicalPath.of(path)
        return AWSLogsPath(path: canonical)?.fromRoot ?? canonical
    }

    /// The `YYYYMMDDTHHmmZ` (or `YYYYMMDDTHHmmssZ`) time in a file name, as seconds since 1970.
    static func fileNameTime(_ name: some StringProtocol, last: Bool = false) -> Int64? {
        let bytes = Array(name.utf8)
        var index = 0
        var found: Int64?
        while index + 14 <= bytes.count {
            if bytes[index + 8] == UInt8(ascii: "T"), (0..<8).allSatisfy({ bytes[index + $0].isDigit }),
               (index == 0 || !bytes[index - 1].isDigit) {
                var end = index + 9
                while end < bytes.count, bytes[end].isDigit { end += 1 }
                let timeDigits = end - index - 9
                if (timeDigits == 4 || timeDigits == 6), end < bytes.count, bytes[end] == UInt8(ascii: "Z") {
                    func number(_ start: Int, _ length: Int) -> Int {
                        (start..<(start + length)).reduce(0) { $0 * 10 + Int(bytes[$1] - 48) }
                    }
                    let year = number(index, 4), month = number(index + 4, 2), day = number(index + 6, 2)
                    let hour = number(index + 9, 2), minute = number(index + 11, 2)
                    let second = timeDigits == 6 ? number(index + 13, 2) : 0
                    guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61 else {
                        return nil
                    }
                    let days = Int64(CalendarDay.ordinal(year: year, month: month, day: day))
                    found = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
                    if !last { return found }
                    index = end
                    continue
                }
            }
            index += 1
        }
        return found
    }
}

private extension UInt8 {
    var isDigit: Bool { self >= 48 && self <= 57 }
    var isHexDigit: Bool { isDigit || (self >= 97 && self <= 102) || (self >= 65 && self <= 70) }
}

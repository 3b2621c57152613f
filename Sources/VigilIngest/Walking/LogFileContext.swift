/// What a file's path says about its contents, in the layout AWS delivers logs to S3:
/// `AWSLogs/[o-ORGID/]ACCOUNT/SERVICE/REGION/YYYY/MM/DD/[HH/]FILE`, with CloudTrail and flow log
/// file names carrying their delivery time (`…_20261120T0905Z_…`).
///
/// The account and region fill in a flow record that lacks them; the folder date and the file
/// name's time let a replay skip files that cannot hold events in the time range asked for.
public struct LogFileContext: Sendable, Hashable {
    /// The path as given or found.
    public let path: String
    /// The path from `AWSLogs/` on (the S3 key), else the whole path: what alert ids and flow
    /// event ids are derived from, so that they do not depend on where the archive was copied.
    public let identityPath: String
    public let account: String?
    /// `CloudTrail`, `CloudTrail-Digest`, `CloudTrail-Insight`, `vpcflowlogs`, `GuardDuty`, …
    public let service: String?
    public let region: String?
    /// Midnight UTC (seconds since 1970) of the date folders, when present.
    public let folderDay: Int64?
    /// The delivery time in the file name (seconds since 1970), when present.
    public let deliveredAt: Int64?

    public init(path: String) {
        self.path = path
        let components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let root = components.lastIndex(of: "AWSLogs") else {
            identityPath = path
            account = nil
            service = nil
            region = nil
            folderDay = nil
            deliveredAt = Self.fileNameTime(components.last ?? "")
            return
        }
        identityPath = components[root...].joined(separator: "/")
        var index = root + 1
        if index < components.count, components[index].hasPrefix("o-") { index += 1 }
        func component(_ offset: Int) -> String? {
            index + offset < components.count - 1 ? components[index + offset] : nil
        }
        let accountText = component(0)
        account = accountText.flatMap { $0.count == 12 && $0.allSatisfy(\.isASCIIDigit) ? $0 : nil }
        service = account == nil ? nil : component(1)
        region = account == nil ? nil : component(2)
        if account != nil, let year = component(3).flatMap({ Int($0) }), let month = component(4).flatMap({ Int($0) }),
           let day = component(5).flatMap({ Int($0) }), (1...12).contains(month), (1...31).contains(day) {
            folderDay = Int64(Timestamps.daysFromCivil(year: year, month: month, day: day)) * 86_400
        } else {
            folderDay = nil
        }
        deliveredAt = Self.fileNameTime(components.last ?? "")
    }

    /// The `YYYYMMDDTHHmmZ` (or `YYYYMMDDTHHmmssZ`) time in a file name, as seconds since 1970.
    static func fileNameTime(_ name: String) -> Int64? {
        let bytes = Array(name.utf8)
        var index = 0
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
                    let days = Int64(Timestamps.daysFromCivil(year: year, month: month, day: day))
                    return days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
                }
            }
            index += 1
        }
        return nil
    }
}

private extension UInt8 {
    var isDigit: Bool { self >= 48 && self <= 57 }
}

private extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

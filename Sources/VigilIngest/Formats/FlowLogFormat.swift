import VigilJSON

/// The fields of a flow log file, in order: from its header line, or AWS's default v2 format.
///
/// A VPC flow log record is a line of space-separated values whose meaning is given only by their
/// position. Files delivered to S3 start with a header line naming the fields (`version account-id
/// interface-id …`); CloudWatch Logs streams carry no header and use the format the flow log was
/// created with, which for most is AWS's default v2 format.
///
/// Everything the line writer needs to know about a field — its JSON key bytes, whether its value
/// is a number, whether the envelope needs it — is decided here once per format, so that writing a
/// line does no name comparisons and no allocation per field.
///
/// A class: a format travels with every record of its file (reader, envelope, normalizer, matcher,
/// writer), and as a struct of three arrays each of those hands cost three retains and releases —
/// 3.5 % of a flow replay's instructions (callgrind, 20 flow rules); now one.
public final class FlowLogFormat: Sendable, Equatable {
    /// version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
    public static let defaultV2 = FlowLogFormat(fieldNames: [
        "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport",
        "protocol", "packets", "bytes", "start", "end", "action", "log-status",
    ])

    public let fieldNames: [String]

    /// Per field, in format order: where its key is in `keyBytes`, and how its value is written.
    let fields: [Field]
    /// Every field's `"name":` (the JSON key with its quotes and colon), one after another.
    let keyBytes: [UInt8]
    /// Positions of the fields the envelope needs (nil when the format lacks them).
    let startIndex: Int?
    let endIndex: Int?
    let accountIndex: Int?
    let regionIndex: Int?
    let logStatusIndex: Int?

    /// One field's precomputed output: decided once per format, not per line. A plain value
    /// (no references) so that reading it in the line loop costs no retain or release — with a
    /// `[UInt8]` key per field, reference counting took a quarter of the writer's time (perf), and
    /// removing it took a v5 line from about 2.0 to 1.2 µs.
    struct Field: Sendable {
        /// `keyBytes[keyStart..<keyEnd]` is this field's `"name":`.
        let keyStart: Int
        let keyEnd: Int
        /// The name holds a character JSON escapes, so its key is written with a backslash.
        let keyIsEscaped: Bool
        /// Written as a JSON number (the value must be an unsigned decimal integer).
        let isNumeric: Bool
    }

    /// An equal format that shares no storage with this one: for another thread to retain and
    /// release as often as it likes (`BatchReplayer`).
    public func unsharedCopy() -> FlowLogFormat {
        FlowLogFormat(fieldNames: fieldNames.map { String(decoding: Array($0.utf8), as: UTF8.self) })
    }

    /// `fieldNames` are used as given (a name that needs escaping is escaped in the key; repeated
    /// names give repeated keys — `init?(headerLine:)` refuses those).
    public init(fieldNames: [String]) {
        self.fieldNames = fieldNames
        var keyBytes: [UInt8] = []
        var fields: [Field] = []
        fields.reserveCapacity(fieldNames.count)
        for name in fieldNames {
            let keyStart = keyBytes.count
            Self.appendKey(name, to: &keyBytes)
            fields.append(Field(keyStart: keyStart, keyEnd: keyBytes.count,
                                keyIsEscaped: keyBytes[keyStart..<keyBytes.count].contains(UInt8(ascii: "\\")),
                                isNumeric: Self.numericFieldNames.contains(name)))
        }
        self.fields = fields
        self.keyBytes = keyBytes
        startIndex = fieldNames.firstIndex(of: "start")
        endIndex = fieldNames.firstIndex(of: "end")
        accountIndex = fieldNames.firstIndex(of: "account-id")
        regionIndex = fieldNames.firstIndex(of: "region")
        logStatusIndex = fieldNames.firstIndex(of: "log-status")
    }

    /// Parses a header line (without its line terminator); nil when the line is not a header.
    ///
    /// A header is a line whose tokens (separated by runs of spaces and tabs) all look like field
    /// names (`[a-z][a-z0-9-]*`), with no name repeated, and at least one of them a field name AWS
    /// documents. The last rule keeps out data lines whose values happen to look like names
    /// (`i-0123456789abcdef0 eni-1235b8ca123456789` for a custom format `instance-id
    /// interface-id`); names AWS adds later are still accepted beside known ones, and kept as
    /// string fields. A trailing `\r` and a leading UTF-8 byte order mark are ignored.
    public convenience init?(headerLine: UnsafeRawBufferPointer) {
        let bytes = headerLine.assumingMemoryBound(to: UInt8.self)
        var start = 0
        var end = bytes.count
        if end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }

        var names: [String] = []
        var seen: Set<String> = []
        var sawKnown = false
        var index = start
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                index += 1
                continue
            }
            let tokenStart = index
            guard Self.isLowercaseLetter(byte) else { return nil }
            index += 1
            while index < end, bytes[index] != UInt8(ascii: " "), bytes[index] != UInt8(ascii: "\t") {
                let next = bytes[index]
                guard Self.isLowercaseLetter(next) || Self.isDigit(next) || next == UInt8(ascii: "-") else { return nil }
                index += 1
            }
            let name = String(decoding: UnsafeBufferPointer(rebasing: bytes[tokenStart..<index]), as: UTF8.self)
            guard seen.insert(name).inserted else { return nil }
            if Self.knownFieldNames.contains(name) { sawKnown = true }
            names.append(name)
        }
        guard sawKnown else { return nil }
        self.init(fieldNames: names)
    }

    public static func == (lhs: FlowLogFormat, rhs: FlowLogFormat) -> Bool {
        lhs === rhs || lhs.fieldNames == rhs.fieldNames
    }

    /// Fields written as JSON numbers (ARCHITECTURE.md, "Normalized event").
    static let numericFieldNames: Set<String> = [
        "version", "srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "tcp-flags", "traffic-path",
    ]

    /// Every field AWS's "Flow log records" page lists, by the version that introduced it.
    static let knownFieldNames: Set<String> = [
        // v2 (the default format)
        "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
        "packets", "bytes", "start", "end", "action", "log-status",
        // v3
        "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
        // v4
        "region", "az-id", "sublocation-type", "sublocation-id",
        // v5
        "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
        // v7 (Amazon ECS)
        "ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn", "ecs-container-instance-id",
        "ecs-container-id", "ecs-second-container-id", "ecs-service-name", "ecs-task-definition-arn",
        "ecs-task-arn", "ecs-task-id",
        // v8
        "reject-reason",
        // Later versions, seen in published formats but not checked against AWS's table here.
        "resource-id", "encryption-status",
    ]

    /// Appends `"name":` as UTF-8, with the name escaped as a JSON string.
    private static func appendKey(_ name: String, to key: inout [UInt8]) {
        JSONText.appendQuoted(Array(name.utf8), to: &key)
        key.append(UInt8(ascii: ":"))
    }

    private static func isLowercaseLetter(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
    }
}

import VigilJSON

/// What the envelope needs from one flow record, as byte ranges into the line.
public struct FlowRecordFacts: Sendable, Equatable {
    /// `start`, in unix seconds, when present.
    public var start: Int64?
    /// `end`, in unix seconds, when present.
    public var end: Int64?
    /// `account-id`; nil when the field is absent, `-` or `unknown`.
    public var accountID: Range<Int>?
    /// `region`; nil when the field is absent or `-`.
    public var region: Range<Int>?
    /// `log-status` (`OK`, `NODATA`, `SKIPDATA`); nil when the field is absent or `-`.
    public var logStatus: Range<Int>?

    public init(start: Int64? = nil, end: Int64? = nil, accountID: Range<Int>? = nil,
                region: Range<Int>? = nil, logStatus: Range<Int>? = nil) {
        self.start = start
        self.end = end
        self.accountID = accountID
        self.region = region
        self.logStatus = logStatus
    }
}

/// Writes one flow log line as the JSON object that becomes the event's `detail`.
///
/// Keys are the field names of the format, in its order; a `-` value is an absent field and is
/// left out; the numeric fields (`version srcport dstport protocol packets bytes start end
/// tcp-flags traffic-path`) are JSON numbers; every other field, known or not, is a JSON string.
///
/// The hot path works on bytes, not `String`: the line is split into field ranges kept in a
/// reused array, and each field is copied into `detail` in runs between the bytes that need
/// escaping. Once `detail` and the writer have capacity, a line costs no allocation at all — the
/// reason to keep one writer per reader and reuse it. (Measured with valgrind: the same heap
/// allocation count for 1,000 and 5,000 lines; about 850,000 v5 lines of 255 bytes a second,
/// -O, on the development machine.)
public struct FlowLogLineWriter: Sendable {
    /// The fields of the current line, as ranges into it; reused from line to line.
    private var fieldRanges: [Range<Int>] = []

    public init() {}

    /// True when `line` holds nothing but spaces and tabs (before an ignored trailing `\r`): not a
    /// record. Callers skip such lines; `writeDetail` throws for them.
    public static func isBlank(_ line: UnsafeRawBufferPointer) -> Bool {
        var end = line.count
        if end > 0, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        for index in 0..<end where line[index] != UInt8(ascii: " ") && line[index] != UInt8(ascii: "\t") {
            return false
        }
        return true
    }

    /// Replaces the contents of `detail` with the JSON object for `line` (no line terminator; a trailing \r is ignored).
    /// Throws InputProblem(.malformedRecord, reason: …) — reason only; the caller fills path/offset/record.
    ///
    /// A blank line (see `isBlank`) is not a record and throws; callers skip blank lines before
    /// calling. When it throws, `detail` is left empty.
    ///
    /// - Parameter members: noted with where each member of `detail` lies as it is written, so
    ///   that matching goes from member to member instead of reading `detail` again.
    public mutating func writeDetail(of line: UnsafeRawBufferPointer, format: FlowLogFormat,
                                     into detail: inout [UInt8],
                                     members: ObjectMemberIndex = ObjectMemberIndex()) throws(InputProblem) -> FlowRecordFacts {
        detail.removeAll(keepingCapacity: true)
        let facts = try read(line, format: format)
        write(line, format: format, into: &detail, members: members)
        return facts
    }

    /// Splits `line` into its fields and checks each as `writeDetail` would write it (a numeric
    /// field is an unsigned decimal integer, every other is UTF-8), without writing anything: the
    /// same problems, in the same order, as `writeDetail`. The fields are kept until the next
    /// line, for `write` and `forEachPresentField` on the same line.
    ///
    /// Matching reads the fields from here (`forEachPresentField`) and writes the JSON only for
    /// an event that is shown (an alert, `normalize`): writing every line's `detail` took about
    /// half of a flow replay's reading thread.
    public mutating func read(_ line: UnsafeRawBufferPointer, format: FlowLogFormat) throws(InputProblem) -> FlowRecordFacts {
        let bytes = line.assumingMemoryBound(to: UInt8.self)
        try split(bytes, expecting: format.fields.count)
        let isASCII = Self.isASCII(bytes)
        let failure = format.fields.withUnsafeBufferPointer { fields in
            fieldRanges.withUnsafeBufferPointer { ranges in
                Self.check(bytes, ranges: ranges, fields: fields, lineIsASCII: isASCII)
            }
        }
        if let failure {
            let range = fieldRanges[failure.position]
            let name = format.fieldNames[failure.position]
            if let offset = failure.invalidUTF8At {
                throw Self.malformed("field \(name) is not valid UTF-8 (byte 0x\(Self.hex(bytes[offset])) at column \(offset + 1))")
            }
            throw Self.malformed("field \(name) is not an unsigned decimal integer: \(Self.quoted(bytes, range))")
        }

        var facts = FlowRecordFacts()
        if let index = format.startIndex, let range = present(bytes, index) {
            facts.start = try Self.seconds(bytes, range, named: "start")
        }
        if let index = format.endIndex, let range = present(bytes, index) {
            facts.end = try Self.seconds(bytes, range, named: "end")
        }
        if let index = format.accountIndex, let range = present(bytes, index), !Self.isUnknown(bytes, range) {
            facts.accountID = range
        }
        if let index = format.regionIndex { facts.region = present(bytes, index) }
        if let index = format.logStatusIndex { facts.logStatus = present(bytes, index) }
        return facts
    }

    /// Appends the JSON object of the line `read` last accepted (which must be `line`, in
    /// `format`) to `detail`, noting its members in `members`.
    public func write(_ line: UnsafeRawBufferPointer, format: FlowLogFormat, into detail: inout [UInt8],
                      members: ObjectMemberIndex) {
        let bytes = line.assumingMemoryBound(to: UInt8.self)
        // The loop runs on unsafe buffers of the format's plain-value tables: no retains, no names.
        members.withNotes { notes in
            format.keyBytes.withUnsafeBufferPointer { keys in
                format.fields.withUnsafeBufferPointer { fields in
                    fieldRanges.withUnsafeBufferPointer { ranges in
                        Self.writeObject(bytes, ranges: ranges, fields: fields, keys: keys, into: &detail, notes: &notes)
                    }
                }
            }
        }
    }

    /// Calls `body` with each field at `positions` (in `format`, each below its field count) of
    /// the line `read` last accepted (`line`, in `format`) that `detail` would hold, in the order
    /// given: the index in `positions`, whether it is a JSON number, and its value as `detail`
    /// would hold it — a number's spelling without leading zeros, a string's characters (UTF-8,
    /// not escaped). A matcher asks for the few fields its patterns name, so the others are not
    /// looked at (a v5 line has 29).
    @inline(__always)
    public func forEachPresentField(_ line: UnsafeRawBufferPointer, format: FlowLogFormat, at positions: UnsafeBufferPointer<Int32>,
                                    _ body: (_ index: Int, _ isNumeric: Bool, _ value: UnsafeRawBufferPointer) -> Void) {
        format.fields.withUnsafeBufferPointer { fields in
            fieldRanges.withUnsafeBufferPointer { ranges in
                for index in positions.indices {
                    let position = Int(positions[index])
                    guard let (isNumeric, value) = Self.presentValue(line, ranges[position], fields[position]) else { continue }
                    body(index, isNumeric, value)
                }
            }
        }
    }

    /// A field's value as `detail` holds it, and whether it is a number; nil for `-` (absent).
    @inline(__always)
    private static func presentValue(_ line: UnsafeRawBufferPointer, _ range: Range<Int>,
                                     _ field: FlowLogFormat.Field) -> (isNumeric: Bool, value: UnsafeRawBufferPointer)? {
        if range.count == 1, line[range.lowerBound] == UInt8(ascii: "-") { return nil }
        if field.isNumeric {
            return (true, UnsafeRawBufferPointer(rebasing: line[significantDigits(line, range)]))
        }
        return (false, UnsafeRawBufferPointer(rebasing: line[range]))
    }

    /// Fills `fieldRanges` with the fields of `bytes`; throws unless there are exactly `expected`.
    private mutating func split(_ bytes: UnsafeBufferPointer<UInt8>, expecting expected: Int) throws(InputProblem) {
        // Sized once per format and written in place: appending each field's range cost a
        // capacity and uniqueness check per field.
        if fieldRanges.count != expected { fieldRanges = Array(repeating: 0..<0, count: expected) }
        let found = fieldRanges.withUnsafeMutableBufferPointer { ranges in Self.scanFields(bytes, into: ranges) }
        if found == 0 { throw Self.malformed("blank line: not a flow log record") }
        if found != expected {
            throw Self.malformed("expected \(expected) field\(expected == 1 ? "" : "s"), found \(found)")
        }
    }

    /// Writes the ranges of the first `ranges.count` fields of `bytes` (separated by runs of
    /// spaces and tabs; a trailing `\r` is not part of the line) and returns how many fields the
    /// line has. Each field's end is found eight bytes at a time (`separatorBits`); with that and the
    /// ranges written in place, splitting 47,141 v5 lines went from 137 M to 90 M instructions.
    private static func scanFields(_ bytes: UnsafeBufferPointer<UInt8>, into ranges: UnsafeMutableBufferPointer<Range<Int>>) -> Int {
        var end = bytes.count
        if end > 0, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        var found = 0
        var index = 0
        let base = UnsafeRawPointer(bytes.baseAddress)
        while index < end {
            let byte = bytes[index]
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                index += 1
                continue
            }
            let start = index
            var ended = false
            while index + 8 <= end, let base {
                let separators = separatorBits(UInt64(littleEndian: base.loadUnaligned(fromByteOffset: index, as: UInt64.self)))
                if separators != 0 {
                    index += separators.trailingZeroBitCount >> 3
                    ended = true
                    break
                }
                index += 8
            }
            while !ended, index < end, bytes[index] != UInt8(ascii: " "), bytes[index] != UInt8(ascii: "\t") { index += 1 }
            // Past the expected count only the count matters (for the message): nothing grows.
            if found < ranges.count { ranges[found] = start..<index }
            found += 1
        }
        return found
    }

    /// Bits set in the lowest byte of `word` that is a space or a tab (and perhaps in bytes above
    /// it: only the lowest set bit is exact). A byte is zero after the XOR where it matched; the
    /// borrow of the subtraction runs only upwards, so the lowest flagged byte is a true match.
    @inline(__always)
    static func separatorBits(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let spaces = word ^ (ones &* 0x20)
        let tabs = word ^ (ones &* 0x09)
        return ((spaces &- ones) & ~spaces | (tabs &- ones) & ~tabs) & highs
    }

    /// Whether every byte of `bytes` is below 0x80, read eight at a time: then no string field
    /// needs its UTF-8 checked.
    static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = UnsafeRawPointer(bytes.baseAddress) else { return true }
        var union: UInt64 = 0
        var index = 0
        while index + 8 <= bytes.count {
            union |= base.loadUnaligned(fromByteOffset: index, as: UInt64.self)
            index += 8
        }
        while index < bytes.count {
            union |= UInt64(bytes[index])
            index += 1
        }
        return union & 0x8080_8080_8080_8080 == 0
    }

    /// The first field that cannot be written, in order: a numeric field that is not an unsigned
    /// decimal integer, another that is not UTF-8 (which a JSON string cannot carry).
    private static func check(_ bytes: UnsafeBufferPointer<UInt8>, ranges: UnsafeBufferPointer<Range<Int>>,
                              fields: UnsafeBufferPointer<FlowLogFormat.Field>, lineIsASCII: Bool) -> Failure? {
        let raw = UnsafeRawBufferPointer(bytes)
        for position in ranges.indices {
            let range = ranges[position]
            if range.count == 1, bytes[range.lowerBound] == UInt8(ascii: "-") { continue }
            if fields[position].isNumeric {
                for index in range where bytes[index] < UInt8(ascii: "0") || bytes[index] > UInt8(ascii: "9") {
                    return Failure(position: position)
                }
            } else if !lineIsASCII {
                var index = range.lowerBound
                while index < range.upperBound {
                    if bytes[index] < 0x80 {
                        index += 1
                        continue
                    }
                    let length = UTF8Sequence.length(in: UnsafeRawBufferPointer(rebasing: raw[range]), at: index - range.lowerBound)
                    if length == 0 { return Failure(position: position, invalidUTF8At: index) }
                    index += length
                }
            }
        }
        return nil
    }

    /// Why a field could not be written.
    private struct Failure {
        /// The field's position in the format.
        var position: Int
        /// The offset in the line of a byte that is not UTF-8; nil when a number was expected.
        var invalidUTF8At: Int?
    }

    /// Appends `{…}` for the fields in `ranges`, which `check` found writable.
    private static func writeObject(_ bytes: UnsafeBufferPointer<UInt8>, ranges: UnsafeBufferPointer<Range<Int>>,
                                    fields: UnsafeBufferPointer<FlowLogFormat.Field>, keys: UnsafeBufferPointer<UInt8>,
                                    into detail: inout [UInt8], notes: inout ObjectMemberIndex.Notes) {
        detail.append(UInt8(ascii: "{"))
        var first = true
        for position in ranges.indices {
            let range = ranges[position]
            // `-`: the field does not apply to this record (NODATA, SKIPDATA, non-TCP tcp-flags, …).
            if range.count == 1, bytes[range.lowerBound] == UInt8(ascii: "-") { continue }
            let field = fields[position]
            if !first { detail.append(UInt8(ascii: ",")) }
            first = false
            // The key is written as `"name":`; its contents lie between the quotes.
            let keyStart = detail.count + 1
            detail.append(contentsOf: UnsafeBufferPointer(rebasing: keys[field.keyStart..<field.keyEnd]))
            let keyEnd = detail.count - 2
            let valueStart = detail.count
            if field.isNumeric {
                detail.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[significantDigits(UnsafeRawBufferPointer(bytes), range)]))
            } else {
                _ = JSONText.appendQuotedUTF8(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[range])), to: &detail)
            }
            notes.append(key: keyStart..<keyEnd, keyIsEscaped: field.keyIsEscaped, value: valueStart..<detail.count)
        }
        detail.append(UInt8(ascii: "}"))
    }

    /// The range of field `index`, or nil when its value is `-`.
    private func present(_ bytes: UnsafeBufferPointer<UInt8>, _ index: Int) -> Range<Int>? {
        let range = fieldRanges[index]
        return range.count == 1 && bytes[range.lowerBound] == UInt8(ascii: "-") ? nil : range
    }

    private static func isUnknown(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Bool {
        guard range.count == 7 else { return false }
        var index = range.lowerBound
        for expected in "unknown".utf8 {
            guard bytes[index] == expected else { return false }
            index += 1
        }
        return true
    }

    /// The digits of a numeric field (checked by `check`) as a JSON number writes them: without
    /// the leading zeros JSON forbids, `0` for all zeros.
    @inline(__always)
    private static func significantDigits(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Range<Int> {
        var first = range.lowerBound
        while first < range.upperBound - 1, bytes[first] == UInt8(ascii: "0") { first += 1 }
        return first..<range.upperBound
    }

    /// Parses `start` or `end` (already checked to be digits by `check`).
    private static func seconds(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>,
                                named name: String) throws(InputProblem) -> Int64 {
        var value: Int64 = 0
        // Up to 18 digits (`check` found them digits) cannot overflow: read them without checking
        // each step. A start or end time has 10; checked, the two were 2 % of a flow replay's
        // instructions.
        if range.count <= 18 {
            for index in range { value = value &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0")) }
            return value
        }
        for index in range {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(bytes[index] &- UInt8(ascii: "0")))
            if overflow1 || overflow2 { throw malformed("field \(name) is out of range: \(quoted(bytes, range))") }
            value = sum
        }
        return value
    }

    private static func malformed(_ reason: String) -> InputProblem {
        InputProblem(.malformedRecord, reason: reason)
    }

    private static func hex(_ byte: UInt8) -> String {
        var digits: [UInt8] = []
        HexDigits.appendLowercase(byte, to: &digits)
        return String(decoding: digits, as: UTF8.self)
    }

    /// A field's value for a message: quoted, at most 40 bytes, invalid UTF-8 replaced.
    private static func quoted(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> String {
        let shown = range.lowerBound..<min(range.upperBound, range.lowerBound + 40)
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[shown]), as: UTF8.self)
        return "\"" + text + "\"" + (shown.count < range.count ? "…" : "")
    }
}

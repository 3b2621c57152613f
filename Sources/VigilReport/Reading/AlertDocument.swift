import VigilJSON

/// One alert line as ARCHITECTURE.md shapes it, or one of `vigil hunt`'s lines (the same object
/// without `id`, `rule` and `severity`): `{"id","rule","severity","time","source":{"file","record"},"event":{…}}`.
///
/// The line is validated once; its top-level values are noted, and paths into the event are
/// looked up on demand (`eventText`), so a table row or a report reads only the fields it shows.
public struct AlertDocument: Sendable {
    /// The line as read, without its newline.
    public let bytes: [UInt8]
    public let id: String?
    public let rule: String?
    public let severity: String?
    /// The event time as written (`YYYY-MM-DDTHH:MM:SSZ`), else the envelope's `time`.
    public let time: String
    /// Where the event was read: the file (path as given, or s3://bucket/key) and the record's ordinal.
    public let file: String?
    public let record: Int?
    /// The byte range of the envelope within `bytes`.
    public let event: Range<Int>

    /// Why a line is not an alert.
    public struct Problem: Error, Sendable, CustomStringConvertible {
        public let reason: String
        public var description: String { reason }
    }

    /// Reads `line` (an alert or hunt line, with or without its newline).
    public init(line: [UInt8]) throws(Problem) {
        var bytes = line
        while let last = bytes.last, last == 0x0A || last == 0x0D { bytes.removeLast() }
        do {
            try JSONValidator.validate(bytes)
        } catch {
            throw Problem(reason: "not JSON: \(error)")
        }
        let fields: (id: String?, rule: String?, severity: String?, time: String?, file: String?, record: Int?, event: Range<Int>?) =
            bytes.withUnsafeBytes { buffer in
                let whole = 0..<buffer.count
                let text = { (path: [JSONLookup.Step]) -> String? in
                    JSONLookup.value(at: path, in: buffer, from: whole).flatMap { JSONLookup.text(in: buffer, at: $0) }
                }
                let event = JSONLookup.member("event", in: buffer, object: whole)
                let time = text(["time"]) ?? event.flatMap { JSONLookup.member("time", in: buffer, object: $0) }
                    .flatMap { JSONLookup.text(in: buffer, at: $0) }
                return (text(["id"]), text(["rule"]), text(["severity"]), time,
                        text(["source", "file"]), text(["source", "record"]).flatMap { Int($0) }, event)
            }
        guard let event = fields.event, bytes[event.lowerBound] == UInt8(ascii: "{") else {
            throw Problem(reason: "no \"event\" object: not an alert of Vigil's")
        }
        self.bytes = bytes
        id = fields.id
        rule = fields.rule
        severity = fields.severity
        time = fields.time ?? ""
        file = fields.file
        record = fields.record
        self.event = event
    }

    /// The text of the value at `path` within the event (`["detail", "userIdentity", "arn"]`):
    /// strings unescaped, numbers and booleans as written; nil when absent, null or a container.
    public func eventText(_ path: JSONLookup.Step...) -> String? {
        eventText(path)
    }

    /// As `eventText(_:)`, with the path as an array.
    public func eventText(_ path: [JSONLookup.Step]) -> String? {
        bytes.withUnsafeBytes { buffer in
            JSONLookup.value(at: path, in: buffer, from: event).flatMap { JSONLookup.text(in: buffer, at: $0) }
        }
    }

    /// The first of `paths` that has text.
    func firstEventText(_ paths: [[JSONLookup.Step]]) -> String? {
        for path in paths { if let text = eventText(path), !text.isEmpty { return text } }
        return nil
    }

    /// The text of whichever of `names` comes first in their order among the members of the
    /// object at `path` with non-empty text, found in one walk over the object: a lookup per name
    /// walked `requestParameters` up to 35 times per CloudTrail row, past `userIdentity` each time,
    /// and was the largest cost of a 100,000-alert report (perf).
    func firstMemberText(of path: [JSONLookup.Step], among names: [[UInt8]]) -> String? {
        bytes.withUnsafeBytes { buffer -> String? in
            guard let object = JSONLookup.value(at: path, in: buffer, from: event),
                  buffer[object.lowerBound] == UInt8(ascii: "{") else { return nil }
            var best: (rank: Int, value: Range<Int>)?
            var unescaped: [UInt8] = []
            try? JSONMembers.forEach(in: UnsafeRawBufferPointer(rebasing: buffer[object])) { key, isEscaped, value in
                let rank: Int?
                if isEscaped {
                    unescaped.removeAll(keepingCapacity: true)
                    JSONString.unescape(key, into: &unescaped)
                    rank = names.firstIndex(of: unescaped)
                } else {
                    rank = names.firstIndex { $0.elementsEqual(key) }
                }
                guard let rank, rank < (best?.rank ?? names.count) else { return true }
                let range = (value.lowerBound + object.lowerBound)..<(value.upperBound + object.lowerBound)
                if let text = JSONLookup.text(in: buffer, at: range), !text.isEmpty { best = (rank, range) }
                return best?.rank != 0
            }
            return best.flatMap { JSONLookup.text(in: buffer, at: $0.value) }
        }
    }

    /// Whether the event has a value (of any kind, null included) at `path`.
    func eventHas(_ path: [JSONLookup.Step]) -> Bool {
        bytes.withUnsafeBytes { JSONLookup.value(at: path, in: $0, from: event) != nil }
    }

    /// The JSON text of the value at `path` within the event (the whole event for an empty path).
    public func eventJSON(_ path: [JSONLookup.Step] = []) -> ArraySlice<UInt8>? {
        bytes.withUnsafeBytes { buffer in JSONLookup.value(at: path, in: buffer, from: event) }.map { bytes[$0] }
    }
}

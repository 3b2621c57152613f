import Crypto
import VigilJSON

/// Writes alerts in ARCHITECTURE.md's shape, one JSON object per line:
/// `{"id":…,"rule":…,"severity":…,"time":…,"source":{"file":…,"record":N},"event":{…}}`.
public enum AlertWriter {
    /// The alert id: 32 hex digits of SHA-256 over the rule name and the event's identity, so the
    /// same input always gives the same ids and sinks can drop repeats.
    public static func alertID(rule: String, eventIdentity: UnsafeRawBufferPointer) -> [UInt8] {
        var hasher = SHA256()
        hasher.update(data: Array(rule.utf8))
        hasher.update(data: [0])
        hasher.update(bufferPointer: eventIdentity)
        var id: [UInt8] = []
        id.reserveCapacity(32)
        for byte in hasher.finalize().prefix(16) {
            HexDigits.appendLowercase(byte, to: &id)
        }
        return id
    }

    /// Appends one alert line (with its newline). `extraMembers` (each starting with a comma, e.g.
    /// a threshold's counts) go between the provenance and the event.
    public static func appendAlert(id: [UInt8], rule: Rule, time: [UInt8], file: String, record: Int,
                                   extraMembers: [UInt8] = [], event: [UInt8], to output: inout [UInt8]) {
        output.append(contentsOf: #"{"id":""#.utf8)
        output.append(contentsOf: id)
        output.append(contentsOf: #"","rule":"#.utf8)
        JSONText.appendQuoted(Array(rule.name.utf8), to: &output)
        output.append(contentsOf: #","severity":""#.utf8)
        output.append(contentsOf: rule.severity.rawValue.utf8)
        output.append(contentsOf: #"","#.utf8)
        appendTimeSourceAndEvent(time: time, file: file, record: record, extraMembers: extraMembers, event: event, to: &output)
    }

    /// Appends one matching event as `vigil hunt` prints it: the alert's shape without `id`,
    /// `rule` and `severity`, `{"time":…,"source":{"file":…,"record":N},"event":{…}}` and a newline.
    public static func appendEventLine(time: [UInt8], file: String, record: Int, event: [UInt8], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        appendTimeSourceAndEvent(time: time, file: file, record: record, extraMembers: [], event: event, to: &output)
    }

    /// The members an alert and a hunt's line share, from `"time"` to the closing brace and newline.
    private static func appendTimeSourceAndEvent(time: [UInt8], file: String, record: Int, extraMembers: [UInt8],
                                                 event: [UInt8], to output: inout [UInt8]) {
        output.append(contentsOf: #""time":"#.utf8)
        JSONText.appendQuoted(time, to: &output)
        output.append(contentsOf: #","source":{"file":"#.utf8)
        JSONText.appendQuoted(Array(file.utf8), to: &output)
        output.append(contentsOf: #","record":"#.utf8)
        output.append(contentsOf: String(record).utf8)
        output.append(UInt8(ascii: "}"))
        output.append(contentsOf: extraMembers)
        output.append(contentsOf: #","event":"#.utf8)
        output.append(contentsOf: event)
        output.append(contentsOf: "}\n".utf8)
    }
}

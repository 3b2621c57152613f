import Crypto
import VigilJSON

/// Writes alerts in ARCHITECTURE.md's shape, one JSON object per line:
/// `{"id":…,"rule":…,"severity":…,"time":…,"source":{"file":…,"record":N},"event":{…}}`.
public enum AlertWriter {
    /// The alert id: 32 hex digits of SHA-256 over the rule name and the event's identity, so the
    /// same input always gives the same ids and sinks can drop repeats.
    public static func alertID(rule: String, eventIdentity: UnsafeRawBufferPointer) -> [UInt8] {
        var id: [UInt8] = []
        id.reserveCapacity(32)
        appendAlertID(rule: rule, eventIdentity: eventIdentity, to: &id)
        return id
    }

    /// Appends the alert id (`alertID`) to `output`, hashing the rule name where it lies rather
    /// than copying it into an array first.
    public static func appendAlertID(rule: String, eventIdentity: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var hasher = SHA256()
        var name = rule
        name.withUTF8 { hasher.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        withUnsafeBytes(of: UInt8(0)) { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: eventIdentity)
        hasher.finalize().withUnsafeBytes { digest in
            HexDigits.appendLowercase(UnsafeRawBufferPointer(rebasing: digest[..<16]), to: &output)
        }
    }

    /// Appends one alert line (with its newline). `extraMembers` (each starting with a comma, e.g.
    /// a threshold's counts) go between the provenance and the event.
    public static func appendAlert(id: [UInt8], rule: Rule, time: [UInt8], file: String, record: Int,
                                   extraMembers: [UInt8] = [], event: [UInt8], to output: inout [UInt8]) {
        appendAlert(id: id, ruleMembers: ruleMembers(of: rule), time: time, quotedFile: quotedFile(file), record: record,
                    extraMembers: extraMembers, event: event, to: &output)
    }

    /// What an alert line holds between its id and its time: `","rule":"…","severity":"…","`,
    /// the same for every alert of `rule`, so an alerter writes it once per rule.
    public static func ruleMembers(of rule: Rule) -> [UInt8] {
        var members = Array(#"","rule":"#.utf8)
        JSONText.appendQuoted(Array(rule.name.utf8), to: &members)
        members.append(utf8: #","severity":""#)
        members.append(contentsOf: rule.severity.rawValue.utf8)
        members.append(utf8: #"","#)
        return members
    }

    /// `file` as the JSON string an alert line holds, so an alerter writes it once per file.
    public static func quotedFile(_ file: String) -> [UInt8] {
        var quoted: [UInt8] = []
        JSONText.appendQuoted(Array(file.utf8), to: &quoted)
        return quoted
    }

    /// Appends one alert line from pieces written before: `ruleMembers(of:)` and `quotedFile(_:)`.
    /// The line is sized once, then each piece copied into it: nothing is re-encoded per alert but
    /// the record number.
    public static func appendAlert(id: [UInt8], ruleMembers: [UInt8], time: [UInt8], quotedFile: [UInt8], record: Int,
                                   extraMembers: [UInt8], event: [UInt8], to output: inout [UInt8]) {
        output.reserveCapacity(output.count + 8 + id.count + ruleMembers.count + 10 + time.count + 2 + 18 + quotedFile.count
                               + 10 + 20 + 1 + extraMembers.count + 9 + event.count + 2)
        output.append(utf8: #"{"id":""#)
        output.append(contentsOf: id)
        output.append(contentsOf: ruleMembers)
        appendTimeSourceAndEvent(time: time, quotedFile: quotedFile, record: record, extraMembers: extraMembers,
                                 event: event, to: &output)
    }

    /// Appends one matching event as `vigil hunt` prints it: the alert's shape without `id`,
    /// `rule` and `severity`, `{"time":…,"source":{"file":…,"record":N},"event":{…}}` and a newline.
    public static func appendEventLine(time: [UInt8], file: String, record: Int, event: [UInt8], to output: inout [UInt8]) {
        output.append(UInt8(ascii: "{"))
        appendTimeSourceAndEvent(time: time, quotedFile: quotedFile(file), record: record, extraMembers: [], event: event,
                                 to: &output)
    }

    /// The members an alert and a hunt's line share, from `"time"` to the closing brace and newline.
    private static func appendTimeSourceAndEvent(time: [UInt8], quotedFile: [UInt8], record: Int, extraMembers: [UInt8],
                                                 event: [UInt8], to output: inout [UInt8]) {
        output.append(utf8: #""time":"#)
        JSONText.appendQuoted(time, to: &output)
        output.append(utf8: #","source":{"file":"#)
        output.append(contentsOf: quotedFile)
        output.append(utf8: #","record":"#)
        output.append(decimal: record)
        output.append(UInt8(ascii: "}"))
        output.append(contentsOf: extraMembers)
        output.append(utf8: #","event":"#)
        output.append(contentsOf: event)
        output.append(utf8: "}\n")
    }
}

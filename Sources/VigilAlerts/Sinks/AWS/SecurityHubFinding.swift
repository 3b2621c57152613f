import Foundation
import VigilJSON

/// An alert as a finding in the AWS Security Finding Format (ASFF), for `BatchImportFindings`:
///
/// * `Id` is the alert id, so that the same alert sent again updates its finding instead of
///   adding another; `GeneratorId` `vigil/RULE`; `Types` `Unusual Behaviors/Vigil/RULE`;
/// * `ProductArn` is the account's default product (`arn:aws:securityhub:REGION:ACCOUNT:product/ACCOUNT/default`)
///   and `AwsAccountId` that account: Security Hub takes findings of the default product only
///   from the account they belong to;
/// * `CreatedAt`, `FirstObservedAt` and `LastObservedAt` are the event's time, `UpdatedAt` the
///   time of sending; `Severity.Label` the rule's severity (`info` → `INFORMATIONAL`);
/// * `Resources` are the event's `resources` (type `Other`), else the event's account (`AwsAccount`);
/// * `ProductFields` keep the provenance: `vigil/rule`, `vigil/alertId`, `vigil/source/file`,
///   `vigil/source/record`, and the event's `vigil/event/id`, `…/source`, `…/detail-type`,
///   `…/account`, `…/region`.
enum SecurityHubFinding {
    /// The fields of an alert line that a finding is made of.
    struct AlertFields {
        var id = "", rule = "", severity = "", time = "", file = "", record = ""
        var eventID = "", eventSource = "", detailType = "", account = "", region = ""
        var resources: [String] = []
    }

    /// The finding for the alert line `alert`, imported by `account` into Security Hub in
    /// `region` at `now`; nil when `alert` is not an alert line.
    static func make(alert: [UInt8], account: String, region: String, now: Date) -> [UInt8]? {
        guard let fields = read(alert), !fields.id.isEmpty, !fields.rule.isEmpty else { return nil }
        let partition = region.hasPrefix("cn-") ? "aws-cn" : region.hasPrefix("us-gov-") ? "aws-us-gov" : "aws"
        let sent = now.formatted(Date.ISO8601FormatStyle())
        let observed = fields.time.isEmpty ? sent : fields.time
        let eventAccount = fields.account.isEmpty ? account : fields.account

        var output: [UInt8] = []
        output.reserveCapacity(2_048)
        var first = true
        func key(_ name: String) {
            output.append(contentsOf: (first ? "{" : ",").utf8)
            first = false
            JSONText.appendQuoted(Array(name.utf8), to: &output)
            output.append(UInt8(ascii: ":"))
        }
        func string(_ name: String, _ value: String) {
            key(name)
            JSONText.appendQuoted(Array(value.utf8), to: &output)
        }
        string("SchemaVersion", "2018-10-08")
        string("Id", fields.id)
        string("ProductArn", "arn:\(partition):securityhub:\(region):\(account):product/\(account)/default")
        string("GeneratorId", "vigil/\(fields.rule)")
        string("AwsAccountId", account)
        key("Types")
        output.append(UInt8(ascii: "["))
        JSONText.appendQuoted(Array("Unusual Behaviors/Vigil/\(fields.rule)".utf8), to: &output)
        output.append(UInt8(ascii: "]"))
        string("CreatedAt", observed)
        string("UpdatedAt", sent)
        string("FirstObservedAt", observed)
        string("LastObservedAt", observed)
        key("Severity")
        output.append(utf8: #"{"Label":"#)
        JSONText.appendQuoted(Array(label(severity: fields.severity).utf8), to: &output)
        output.append(UInt8(ascii: "}"))
        string("Title", clipped("Vigil: \(fields.rule)", to: 256))
        var description = "Vigil rule \(fields.rule) matched \(fields.detailType.isEmpty ? "an event" : fields.detailType)"
        if !fields.eventSource.isEmpty { description += " from \(fields.eventSource)" }
        if !fields.account.isEmpty { description += " in account \(fields.account)" }
        if !fields.region.isEmpty { description += ", \(fields.region)" }
        description += " (\(fields.file), record \(fields.record))."
        string("Description", clipped(description, to: 1_024))
        string("Region", region)
        key("Resources")
        output.append(UInt8(ascii: "["))
        let resources = fields.resources.filter { !$0.isEmpty }
        if resources.isEmpty {
            output.append(utf8: #"{"Type":"AwsAccount","Id":"#)
            JSONText.appendQuoted(Array("AWS::::Account:\(eventAccount)".utf8), to: &output)
            output.append(UInt8(ascii: "}"))
        } else {
            for (index, resource) in resources.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(utf8: #"{"Type":"Other","Id":"#)
                JSONText.appendQuoted(Array(clipped(resource, to: 512).utf8), to: &output)
                output.append(UInt8(ascii: "}"))
            }
        }
        output.append(UInt8(ascii: "]"))
        key("ProductFields")
        let provenance = [("vigil/rule", fields.rule), ("vigil/alertId", fields.id), ("vigil/source/file", fields.file),
                          ("vigil/source/record", fields.record), ("vigil/event/id", fields.eventID),
                          ("vigil/event/source", fields.eventSource), ("vigil/event/detail-type", fields.detailType),
                          ("vigil/event/account", fields.account), ("vigil/event/region", fields.region)]
        output.append(UInt8(ascii: "{"))
        var firstField = true
        for (name, value) in provenance where !value.isEmpty {
            if !firstField { output.append(UInt8(ascii: ",")) }
            firstField = false
            JSONText.appendQuoted(Array(name.utf8), to: &output)
            output.append(UInt8(ascii: ":"))
            // ProductFields values are at most 2,048 characters; a long path keeps its end, the file name.
            JSONText.appendQuoted(Array(clipped(value, to: 2_048, keepingEnd: name == "vigil/source/file").utf8), to: &output)
        }
        output.append(utf8: "}}")
        return output
    }

    /// ASFF's severity label for a rule's severity.
    static func label(severity: String) -> String {
        switch severity {
        case "critical": "CRITICAL"
        case "high": "HIGH"
        case "medium": "MEDIUM"
        case "low": "LOW"
        default: "INFORMATIONAL"
        }
    }

    /// `text` in at most `limit` characters (ASFF's limits count characters).
    private static func clipped(_ text: String, to limit: Int, keepingEnd: Bool = false) -> String {
        guard text.count > limit else { return text }
        return keepingEnd ? "…" + String(text.suffix(limit - 1)) : String(text.prefix(limit - 1)) + "…"
    }

    /// The fields of an alert line, read with VigilJSON; nil when it is not a JSON object.
    static func read(_ alert: [UInt8]) -> AlertFields? {
        alert.withUnsafeBytes { bytes -> AlertFields? in
            guard (try? JSONValidator.validate(bytes)) != nil, let members = try? JSONMembers.read(bytes) else { return nil }
            var fields = AlertFields()
            func string(_ range: Range<Int>, in bytes: UnsafeRawBufferPointer) -> String {
                JSONMembers.string(at: range, in: bytes) ?? String(decoding: bytes[range], as: UTF8.self)
            }
            for member in members {
                switch member.key {
                case "id": fields.id = string(member.value, in: bytes)
                case "rule": fields.rule = string(member.value, in: bytes)
                case "severity": fields.severity = string(member.value, in: bytes)
                case "time": fields.time = string(member.value, in: bytes)
                case "source":
                    let source = UnsafeRawBufferPointer(rebasing: bytes[member.value])
                    for inner in (try? JSONMembers.read(source)) ?? [] {
                        if inner.key == "file" { fields.file = string(inner.value, in: source) }
                        if inner.key == "record" { fields.record = string(inner.value, in: source) }
                    }
                case "event":
                    let event = UnsafeRawBufferPointer(rebasing: bytes[member.value])
                    for inner in (try? JSONMembers.read(event)) ?? [] {
                        switch inner.key {
                        case "id": fields.eventID = string(inner.value, in: event)
                        case "source": fields.eventSource = string(inner.value, in: event)
                        case "detail-type": fields.detailType = string(inner.value, in: event)
                        case "account": fields.account = string(inner.value, in: event)
                        case "region": fields.region = string(inner.value, in: event)
                        case "resources" where event[inner.value.lowerBound] == UInt8(ascii: "["):
                            JSONBytes.forEachElement(in: event, arrayAt: inner.value.lowerBound) { element in
                                if let text = JSONMembers.string(at: element, in: event) { fields.resources.append(text) }
                            }
                        default: break
                        }
                    }
                default: break
                }
            }
            return fields
        }
    }
}

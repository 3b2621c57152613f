import VigilJSON

/// How `vigil rules list` shows loaded rules: JSON Lines, or a table for people.
public enum RuleListing {
    /// `{"name", "file", "logicalId"?, "state", "eventPattern", "importedTargets"?}` on one line,
    /// the pattern as EventBridge receives it.
    public static func jsonLine(_ rule: Rule) -> String {
        var line = "{\"name\":\(JSONText.quoted(rule.name)),\"file\":\(JSONText.quoted(rule.file))"
        if let logicalId = rule.logicalId { line += ",\"logicalId\":\(JSONText.quoted(logicalId))" }
        line += ",\"state\":\"\(rule.isEnabled ? "ENABLED" : "DISABLED")\""
        line += ",\"eventPattern\":" + String(decoding: rule.patternJSON, as: UTF8.self)
        if !rule.importedTargets.isEmpty {
            line += ",\"importedTargets\":[" + rule.importedTargets.map(JSONText.quoted).joined(separator: ",") + "]"
        }
        return line + "}"
    }

    /// Columns NAME, STATE, FROM (file:line and logical id) and PATTERN (cut at 60 characters);
    /// text from files with control characters escaped, so a hostile file name cannot drive the terminal.
    public static func table(_ rules: [Rule]) -> String {
        let rows = rules.map { rule -> [String] in
            let from = "\(rule.file):\(rule.line)" + (rule.logicalId.map { " \($0)" } ?? "")
            var pattern = String(decoding: rule.patternJSON, as: UTF8.self)
            if pattern.count > 60 { pattern = String(pattern.prefix(59)) + "…" }
            return [rule.name, rule.isEnabled ? "ENABLED" : "DISABLED", from, pattern].map(printable)
        }
        let header = ["NAME", "STATE", "FROM", "PATTERN"]
        var widths = header.map(\.count)
        for row in rows {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        func format(_ row: [String]) -> String {
            row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[index] - cell.count)
            }.joined(separator: "  ") + "\n"
        }
        return ([header] + rows).map(format).joined()
    }

    static func printable(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 || scalar.value == 0x7F || (0x80..<0xA0).contains(scalar.value) {
                result += "\\u{\(String(scalar.value, radix: 16))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }
}

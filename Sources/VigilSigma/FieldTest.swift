import Foundation

/// One test of one field's value, as Sigma means it, before it is written as a pattern matcher.
///
/// Strings compare case-insensitively unless the rule says `cased` (or `re` without `i`): the
/// Sigma specification's default. Only the forms EventBridge can state exactly exist here;
/// `SigmaValue` refuses the rest.
enum FieldTest: Hashable {
    /// The whole value equals one of these strings.
    case equals(String, ignoringCase: Bool)
    case prefix(String, ignoringCase: Bool)
    case suffix(String, ignoringCase: Bool)
    /// An EventBridge wildcard (`*` only, `\*` and `\\` escaped), case-sensitive: used only where
    /// case does not matter (no cased letters) or was asked for.
    case wildcard(String)
    case cidr(String)
    /// A value is there and is not `null` (`|exists: true`; SQL's `IS NOT NULL`).
    case present
    /// No value, or `null` (`field: null`, `|exists: false`).
    case absent

    /// The pattern matchers that accept what this test accepts (their OR).
    var matchers: [JSONValue] {
        switch self {
        case .equals(let value, let ignoringCase):
            var list: [JSONValue] = [ignoringCase ? .object([("equals-ignore-case", .string(value))]) : .string(value)]
            // A Sigma value is text; CloudTrail writes some flags as JSON booleans
            // (`requestParameters.enable: false`), which SIEMs compare as their text.
            let lowered = value.lowercased()
            if (lowered == "true" || lowered == "false") && (ignoringCase || value == lowered) {
                list.append(.bool(lowered == "true"))
            }
            // Likewise numbers (`"fromPort": 22`), compared by their text: the pattern's number
            // matches 22 (and 22.0, which a SIEM's text would not; CloudTrail writes integers).
            if isIntegerText(value) { list.append(.raw(value)) }
            return list
        case .prefix(let value, let ignoringCase):
            return [.object([("prefix", ignoringCase ? .object([("equals-ignore-case", .string(value))]) : .string(value))])]
        case .suffix(let value, let ignoringCase):
            return [.object([("suffix", ignoringCase ? .object([("equals-ignore-case", .string(value))]) : .string(value))])]
        case .wildcard(let pattern):
            return [.object([("wildcard", .string(pattern))])]
        case .cidr(let range):
            return [.object([("cidr", .string(range))])]
        case .present:
            return [.object([("exists", .bool(true))])]
        case .absent:
            return [.null, .object([("exists", .bool(false))])]
        }
    }

    /// Words for refusals and test names.
    var summary: String {
        switch self {
        case .equals(let v, _): return "= \"\(v)\""
        case .prefix(let v, _): return "starts with \"\(v)\""
        case .suffix(let v, _): return "ends with \"\(v)\""
        case .wildcard(let v): return "like \"\(v)\""
        case .cidr(let v): return "in \(v)"
        case .present: return "present"
        case .absent: return "absent"
        }
    }
}

/// Whether `text` is a JSON integer as CloudTrail writes one (`22`, `-1`; no leading zero, no
/// sign on zero), short enough that EventBridge's numbers hold it exactly.
func isIntegerText(_ text: String) -> Bool {
    let digits = text.hasPrefix("-") ? text.dropFirst() : Substring(text)
    guard !digits.isEmpty, digits.count <= 15, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
    return digits == "0" ? !text.hasPrefix("-") : !digits.hasPrefix("0")
}

/// Whether a text has letters whose case could differ (`S3 Browser` does, `$1/*` does not).
func hasCasedLetters(_ text: String) -> Bool {
    text.lowercased() != text.uppercased()
}

/// EventBridge's wildcard text: `*` any run of characters, `\*` and `\\` literal.
enum WildcardText {
    /// Escapes a literal for use inside a wildcard pattern.
    static func escape(_ literal: String) -> String {
        var out = ""
        for character in literal {
            if character == "*" || character == "\\" { out.append("\\") }
            out.append(character)
        }
        return out
    }

    /// The literal runs between the pattern's stars.
    static func pieces(_ pattern: String) -> [String] {
        var pieces = [""]
        var escaped = false
        for character in pattern {
            if escaped {
                pieces[pieces.count - 1].append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "*" {
                pieces.append("")
            } else {
                pieces[pieces.count - 1].append(character)
            }
        }
        return pieces
    }

    static func matches(_ text: String, pattern: String) -> Bool {
        let parts = pieces(pattern)
        var rest = Substring(text)
        if parts.count == 1 { return text == parts[0] }
        guard rest.hasPrefix(parts[0]) else { return false }
        rest = rest.dropFirst(parts[0].count)
        for middle in parts.dropFirst().dropLast() where !middle.isEmpty {
            guard let range = rest.range(of: middle) else { return false }
            rest = rest[range.upperBound...]
        }
        let last = parts[parts.count - 1]
        return rest.count >= last.count && rest.hasSuffix(last)
    }
}

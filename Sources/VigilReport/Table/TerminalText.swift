/// Text from logs made safe to print on a terminal, and fitted to a column.
///
/// An attacker writes user agents, SQL text, user and role names. Printed as they are, an ESC
/// (`\u{1B}[2J` clears the screen; OSC 8 hides a link; OSC 52 writes the clipboard), a C1 CSI
/// (U+009B, which some terminals take as ESC [), a carriage return or a backspace can hide or
/// rewrite what a person reads, and bidirectional overrides (U+202E) can reverse it. Every such
/// character is shown as a visible escape instead: `\e` for ESC, `\n`, `\r`, `\t`, else `\u{XX}`.
public enum TerminalText {
    /// `text` with every control, format or bidirectional character written as a visible escape.
    public static func escaped(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let escape = escape(for: scalar) {
                output += escape
            } else {
                output.unicodeScalars.append(scalar)
            }
        }
        return output
    }

    /// The visible form of a scalar that must not reach the terminal as it is, or nil.
    static func escape(for scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x1B: return "\\e"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x00..<0x20, 0x7F..<0xA0,
             0x200B...0x200F,  // zero-width spaces and joiners, directional marks
             0x2028...0x202E,  // line and paragraph separators, bidirectional embeddings and overrides
             0x2060...0x206F,  // word joiner, invisible operators, bidirectional isolates
             0xFEFF, 0xFFF9...0xFFFB:
            return "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
        default:
            return nil
        }
    }

    /// The columns `character` takes on a terminal: 2 for East Asian wide and emoji, 0 for a
    /// lone combining mark, else 1. (wcwidth's ranges, in short: what a table needs to line up.)
    static func width(of character: Character) -> Int {
        guard let scalar = character.unicodeScalars.first else { return 0 }
        let value = scalar.value
        if scalar.properties.generalCategory == .nonspacingMark || scalar.properties.generalCategory == .enclosingMark {
            return 0
        }
        if scalar.properties.isEmojiPresentation { return 2 }
        switch value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x20000...0x2FFFD, 0x30000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }

    /// The columns `text` takes.
    public static func width(of text: String) -> Int {
        text.reduce(0) { $0 + width(of: $1) }
    }

    /// `text` (already escaped) cut to at most `columns` columns, ending in `…` when cut, and
    /// padded with spaces to exactly `columns` when `padded`.
    public static func fitted(_ text: String, to columns: Int, padded: Bool) -> String {
        guard columns > 0 else { return "" }
        var output = ""
        var used = 0
        let total = width(of: text)
        if total <= columns {
            output = text
            used = total
        } else {
            for character in text {
                let next = width(of: character)
                if used + next > columns - 1 { break }
                output.append(character)
                used += next
            }
            output += "…"
            used += 1
        }
        if padded, used < columns { output += String(repeating: " ", count: columns - used) }
        return output
    }
}

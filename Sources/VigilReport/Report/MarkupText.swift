/// Text from logs made safe inside HTML and Markdown.
///
/// HTML: `&`, `<`, `>`, `"` and `'` become entities, so a planted `<script>` or `onerror=` is text,
/// in an element and in a quoted attribute alike. Markdown: its syntax characters are
/// backslash-escaped and `<`, `>` and `&` become entities (a ticket system renders inline HTML),
/// a `|` cannot end a table cell and a newline cannot end a row. In both, control, format and
/// bidirectional characters are shown as visible escapes, as on a terminal (`TerminalText`).
public enum MarkupText {
    /// `text` for an HTML element's content or a quoted attribute value.
    public static func html(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default:
                if let escape = TerminalText.escape(for: scalar) {
                    output += escape
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// `text` for an element's content only (never an attribute), keeping newlines (`<pre>`):
    /// quotes need no escape there, and JSON is full of them (`&quot;` made a report's event
    /// bodies a third larger).
    static func htmlContent(_ text: String, keepingNewlines: Bool = false) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\n" where keepingNewlines: output += "\n"
            default:
                if let escape = TerminalText.escape(for: scalar) {
                    output += escape
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }

    /// `text` for Markdown running text and table cells.
    public static func markdown(_ text: String) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            // Cells and text never begin a line, so only inline syntax is escaped (times and
            // addresses keep their `-` and `:`).
            case "\\", "`", "*", "_", "{", "}", "[", "]", "(", ")", "#", "!", "|", "~":
                output += "\\"
                output.unicodeScalars.append(scalar)
            default:
                if let escape = TerminalText.escape(for: scalar) {
                    // A backslash before the visible escape's own backslash keeps it from escaping the next character.
                    output += "\\" + escape
                } else {
                    output.unicodeScalars.append(scalar)
                }
            }
        }
        return output
    }
}

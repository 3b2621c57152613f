/// Alerts (or `vigil hunt`'s events) as rows for people: a table on a terminal, or TSV.
///
/// One row per alert, the columns of `AlertRowFields`. Table cells are escaped (`TerminalText`)
/// and cut to their column, so a line never wraps and nothing from a log moves the cursor or
/// changes colours; TSV cells are escaped the same way but not cut (tabs and newlines are escaped,
/// so each row stays one line of fields). Colour marks severity, only when asked for: the
/// caller decides (a terminal, and no `NO_COLOR`; see `OutputStyle`).
public struct AlertTable: Sendable {
    /// How rows are written.
    public enum Layout: Sendable { case table, tsv }

    public enum Column: String, Sendable, CaseIterable {
        case time, severity, rule, who, from = "from where", what, resource

        /// The share of the width a column takes, and its least width (a table).
        var weight: (least: Int, share: Int) {
            switch self {
            case .time: (20, 0)
            case .severity: (8, 0)
            case .rule: (16, 22)
            case .who: (12, 24)
            case .from: (15, 16)
            case .what: (14, 24)
            case .resource: (10, 14)
            }
        }
    }

    public let layout: Layout
    public let columns: [Column]
    public let colored: Bool
    /// Each column's width in a table.
    public let widths: [Column: Int]
    /// Whether rows are alerts (with severity and rule, and an id ending a TSV row) or events
    /// (`vigil hunt`'s, whose TSV rows end with their `FILE#RECORD` instead).
    public let withRule: Bool

    /// A table `totalWidth` columns wide (a terminal's width); `withRule` false leaves out
    /// severity and rule (rows of events that are no alerts: `vigil hunt`).
    public init(layout: Layout, totalWidth: Int = 160, colored: Bool = false, withRule: Bool = true) {
        self.layout = layout
        self.colored = colored && layout == .table
        self.withRule = withRule
        columns = withRule ? Column.allCases : Column.allCases.filter { $0 != .severity && $0 != .rule }
        let gaps = 2 * (columns.count - 1)
        let least = columns.reduce(0) { $0 + $1.weight.least }
        let shares = columns.reduce(0) { $0 + $1.weight.share }
        let spare = max(0, totalWidth - gaps - least)
        var widths: [Column: Int] = [:]
        var given = 0
        for column in columns {
            let extra = shares == 0 ? 0 : spare * column.weight.share / shares
            widths[column] = column.weight.least + extra
            given += extra
        }
        // What division left over goes to the last column.
        if let last = columns.last { widths[last, default: 0] += spare - given }
        self.widths = widths
    }

    /// The header line, with its newline.
    public var header: String {
        let names = columns.map { column -> String in
            layout == .tsv ? column.rawValue.split(separator: " ").joined(separator: "_") : column.rawValue.uppercased()
        }
        switch layout {
        case .tsv:
            return names.joined(separator: "\t") + (withRule ? "\tid\n" : "\trecord\n")
        case .table:
            let line = zip(columns, names).map { TerminalText.fitted($1, to: widths[$0]!, padded: $0 != columns.last) }
                .joined(separator: "  ")
            return (colored ? "\u{1B}[1m" + line + "\u{1B}[0m" : line) + "\n"
        }
    }

    /// One row for `fields`, with its newline; `id` (an alert's id, an event's `FILE#RECORD`)
    /// ends a TSV row (a table has no room for it).
    public func row(_ fields: AlertRowFields, id: String? = nil) -> String {
        let cells = columns.map { column -> String in
            let text: String? = switch column {
            case .time: fields.time
            case .severity: fields.severity
            case .rule: fields.rule
            case .who: fields.who
            case .from: fields.from
            case .what: fields.what
            case .resource: fields.resource
            }
            return TerminalText.escaped(text ?? "")
        }
        switch layout {
        case .tsv:
            return cells.joined(separator: "\t") + "\t" + TerminalText.escaped(id ?? "") + "\n"
        case .table:
            var line = ""
            for (index, column) in columns.enumerated() {
                if index > 0 { line += "  " }
                let cell = TerminalText.fitted(cells[index].isEmpty ? "-" : cells[index], to: widths[column]!,
                                               padded: index < columns.count - 1)
                if colored, column == .severity, let severity = fields.severity, let color = Self.color(of: severity) {
                    line += color + cell + "\u{1B}[0m"
                } else {
                    line += cell
                }
            }
            return line + "\n"
        }
    }

    /// The SGR sequence of a severity: critical white on red, high red, medium yellow, low cyan,
    /// info dim.
    static func color(of severity: String) -> String? {
        switch severity {
        case "critical": "\u{1B}[1;97;41m"
        case "high": "\u{1B}[1;31m"
        case "medium": "\u{1B}[33m"
        case "low": "\u{1B}[36m"
        case "info": "\u{1B}[2m"
        default: nil
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a command shows alerts on standard output: JSON Lines for programs, a table for people,
/// TSV for spreadsheets and `cut`.
///
/// Without `--output`, a terminal gets the table and anything else (a pipe, a file) JSON Lines,
/// so `vigil replay … | jq` keeps working. Colour only on a terminal and never with `NO_COLOR`
/// set to anything non-empty (https://no-color.org), even with `--output table`.
public enum OutputStyle: String, Sendable, CaseIterable {
    case json, table, tsv

    /// The choice for `requested` (`--output`, nil when not given) on a standard output that is
    /// or is not a terminal, and whether a table is coloured.
    public static func resolve(requested: OutputStyle?, isTerminal: Bool,
                               environment: [String: String]) -> (style: OutputStyle, colored: Bool) {
        let style = requested ?? (isTerminal ? .table : .json)
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return (style, style == .table && isTerminal && !noColor)
    }

    /// Whether standard output is a terminal.
    public static var standardOutputIsTerminal: Bool { isatty(STDOUT_FILENO) == 1 }

    /// The terminal's width in columns (`TIOCGWINSZ`), else `COLUMNS`, else 160.
    public static func terminalWidth(environment: [String: String]) -> Int {
        var size = winsize()
        if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { return Int(size.ws_col) }
        if let columns = environment["COLUMNS"].flatMap(Int.init), columns > 0 { return columns }
        return 160
    }

    /// The table standard output shows rows in, nil for JSON Lines: `withRule` false for events
    /// that are no alerts (`vigil hunt`'s).
    public static func table(requested: OutputStyle?, environment: [String: String], withRule: Bool = true) -> AlertTable? {
        let isTerminal = standardOutputIsTerminal
        let (style, colored) = resolve(requested: requested, isTerminal: isTerminal, environment: environment)
        switch style {
        case .json: return nil
        case .tsv: return AlertTable(layout: .tsv, withRule: withRule)
        case .table:
            let width = isTerminal ? terminalWidth(environment: environment) : (environment["COLUMNS"].flatMap(Int.init) ?? 160)
            return AlertTable(layout: .table, totalWidth: width, colored: colored, withRule: withRule)
        }
    }

    /// The format the `stdout` sink uses, nil for JSON Lines.
    public static func format(requested: OutputStyle?, environment: [String: String]) -> AlertTableFormat? {
        table(requested: requested, environment: environment).map(AlertTableFormat.init)
    }
}

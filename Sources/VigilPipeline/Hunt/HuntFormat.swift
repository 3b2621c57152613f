import VigilAlerts
import VigilJSON

/// How a hunt writes what it found: one per output form, each fed the matches in order and told
/// when they end. A new form (a table for terminals) is one more conformer, not a change to the hunt.
public protocol HuntFormat {
    /// Appends what `match` comes to (nothing, for a form that only counts).
    mutating func append(_ match: Alerter.Match, to output: inout [UInt8])
    /// Appends what is written once every match was seen (counts), if anything.
    mutating func finish(to output: inout [UInt8])
}

/// The default form: each match as one JSON object per line, the alert's shape without `id`,
/// `rule` and `severity` (ARCHITECTURE.md's Alert).
public struct HuntEventLines: HuntFormat {
    public init() {}

    public mutating func append(_ match: Alerter.Match, to output: inout [UInt8]) {
        AlertWriter.appendEventLine(time: match.time, file: match.file, record: match.record, event: match.event, to: &output)
    }

    public mutating func finish(to output: inout [UInt8]) {}
}

/// `--fields PATH,…`: the values at those paths of each matching event, one line each, separated
/// by tabs, as `jq -r '[…] | @tsv'` writes them.
///
/// A string is written unescaped, with a tab, newline, carriage return and backslash written as
/// `\t`, `\n`, `\r` and `\\` (so a line is always one event and a column one value); a number,
/// `true`, `false` and `null` as in the event; an object or array as its JSON text, compacted and
/// escaped the same way; a path the event does not have as an empty column.
public struct HuntFieldColumns: HuntFormat {
    public let paths: [EventPath]
    private var scratch: [UInt8] = []

    public init(paths: [EventPath]) {
        self.paths = paths
    }

    public mutating func append(_ match: Alerter.Match, to output: inout [UInt8]) {
        match.event.withUnsafeBytes { event in
            for (index, path) in paths.enumerated() {
                if index > 0 { output.append(0x09) }
                guard let range = path.value(in: event) else { continue }
                let value = UnsafeRawBufferPointer(rebasing: event[range])
                scratch.removeAll(keepingCapacity: true)
                if value.first == UInt8(ascii: "\"") {
                    JSONString.unescape(UnsafeRawBufferPointer(rebasing: value.dropFirst().dropLast()), into: &scratch)
                } else if value.first == UInt8(ascii: "{") || value.first == UInt8(ascii: "[") {
                    JSONText.appendCompacted(value, to: &scratch)
                } else {
                    scratch.append(contentsOf: value)
                }
                Self.appendEscaped(scratch, to: &output)
            }
        }
        output.append(0x0A)
    }

    public mutating func finish(to output: inout [UInt8]) {}

    /// `text` with tab, newline, carriage return and backslash escaped as jq's `@tsv` does.
    static func appendEscaped(_ text: [UInt8], to output: inout [UInt8]) {
        for byte in text {
            switch byte {
            case 0x09: output.append(contentsOf: [0x5C, UInt8(ascii: "t")])
            case 0x0A: output.append(contentsOf: [0x5C, UInt8(ascii: "n")])
            case 0x0D: output.append(contentsOf: [0x5C, UInt8(ascii: "r")])
            case 0x5C: output.append(contentsOf: [0x5C, 0x5C])
            default: output.append(byte)
            }
        }
    }
}

/// `--count`: how many matching events of each source and detail-type, one line each,
/// `COUNT<tab>SOURCE<tab>DETAIL-TYPE`, most first (ties in name order), and the total last.
public struct HuntCounts: HuntFormat {
    private var counts: [[UInt8]: Int] = [:]
    private var key: [UInt8] = []
    private static let source = try! EventPath("source")
    private static let detailType = try! EventPath("detail-type")

    public init() {}

    public mutating func append(_ match: Alerter.Match, to output: inout [UInt8]) {
        key.removeAll(keepingCapacity: true)
        match.event.withUnsafeBytes { event in
            for (index, path) in [Self.source, Self.detailType].enumerated() {
                if index > 0 { key.append(0x09) }
                if let range = path.value(in: event), range.count >= 2 {
                    var text: [UInt8] = []
                    JSONString.unescape(UnsafeRawBufferPointer(rebasing: event[(range.lowerBound + 1)..<(range.upperBound - 1)]), into: &text)
                    HuntFieldColumns.appendEscaped(text, to: &key)
                }
            }
        }
        counts[key, default: 0] += 1
    }

    public mutating func finish(to output: inout [UInt8]) {
        let sorted = counts.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key.lexicographicallyPrecedes($1.key) }
        for (key, count) in sorted {
            output.append(contentsOf: String(count).utf8)
            output.append(0x09)
            output.append(contentsOf: key)
            output.append(0x0A)
        }
        output.append(contentsOf: "\(counts.values.reduce(0, +))\ttotal\n".utf8)
    }
}

import VigilJSON

/// The report's alerts as data for its script to show a page at a time (`ReportScript`): one JSON
/// text, held in the page in a `<script type="application/json">` element that is never run.
///
/// Why data and not an element per alert: the report of a 100,000-alert replay written as
/// 100,000 `<details>` elements was 58 MB and took Chromium 200 s to open on a loaded two-core
/// machine; the same alerts as this data, with a page of 250 drawn at a time, are in the report's
/// browser benchmark (Benchmarks/run-report-benchmark.py) and README's Limits.
///
/// What keeps it small: every text a row shows (time, severity, rule, who, from where, what,
/// resource) is stored once in `strings` and rows hold its index; files are numbered as in the
/// report's list of files; an event body is its compact JSON text, as a string, within the
/// builder's budget.
///
/// ```
/// {"strings":[…],"rows":[[ID,TIME,SEVERITY,RULE,WHO,FROM,WHAT,RESOURCE,FILE,RECORD,BODY],…],"bodies":[…]}
/// ```
/// TIME…RESOURCE are indexes into `strings` (0 is the empty text, shown as `-`); FILE is the file's
/// number in the list (0: none); RECORD is -1 when unknown; BODY is an index into `bodies`, or
/// `-(k + 1)` for `strings[k]`, the reason the event is left out.
///
/// Everything from logs is made safe twice over: texts are shown with visible escapes for
/// control, format and bidirectional characters (`TerminalText`), the script only ever sets
/// `textContent`, never markup, and every `<` in the JSON is written `\u003c`, so no text can
/// end the data element or open another.
struct AlertListData {
    private var strings: [String] = [""]
    private var stringIndex: [String: Int] = ["": 0]

    /// The data of `entries`, with `fileNumbers` from the report's list of files.
    static func json(of entries: [ReportBuilder.Entry], fileNumbers: [String: Int]) -> [UInt8] {
        var data = AlertListData()
        var rows: [UInt8] = []
        var bodies: [UInt8] = []
        var bodyCount = 0
        rows.reserveCapacity(entries.count * 80)
        for (position, entry) in entries.enumerated() {
            if position > 0 { rows.append(UInt8(ascii: ",")) }
            rows.append(UInt8(ascii: "["))
            JSONText.appendQuoted(Array(entry.anchor.utf8), to: &rows)
            let fields = entry.fields
            for text in [fields.time, fields.severity, fields.rule, fields.who, fields.from, fields.what, fields.resource] {
                rows.append(UInt8(ascii: ","))
                rows.append(decimal: data.index(of: text ?? ""))
            }
            rows.append(UInt8(ascii: ","))
            rows.append(decimal: entry.file.flatMap { fileNumbers[$0] } ?? 0)
            rows.append(UInt8(ascii: ","))
            rows.append(decimal: entry.record ?? -1)
            rows.append(UInt8(ascii: ","))
            if let body = entry.body {
                if bodyCount > 0 { bodies.append(UInt8(ascii: ",")) }
                appendBody(body, to: &bodies)
                rows.append(decimal: bodyCount)
                bodyCount += 1
            } else {
                rows.append(decimal: -(data.index(of: entry.bodyOmission ?? "not kept") + 1))
            }
            rows.append(UInt8(ascii: "]"))
        }
        var output: [UInt8] = []
        output.reserveCapacity(rows.count + bodies.count + data.strings.count * 24 + 64)
        output.append(utf8: #"{"strings":["#)
        for (position, text) in data.strings.enumerated() {
            if position > 0 { output.append(UInt8(ascii: ",")) }
            JSONText.appendQuoted(Array(text.utf8), to: &output)
        }
        output.append(utf8: #"],"rows":["#)
        output.append(contentsOf: rows)
        output.append(utf8: #"],"bodies":["#)
        output.append(contentsOf: bodies)
        output.append(utf8: "]}")
        return hidingMarkup(output)
    }

    /// The index of `text` (shown with visible escapes) in `strings`, adding it the first time.
    private mutating func index(of text: String) -> Int {
        if let index = stringIndex[text] { return index }
        let index = strings.count
        strings.append(TerminalText.escaped(text))
        stringIndex[text] = index
        return index
    }

    /// An event's compact JSON text as a JSON string. Its strings are still JSON-escaped, so a
    /// control character is already `\u001b`; raw C1, format and bidirectional characters (valid
    /// in JSON strings) get visible escapes, as everywhere a log's text is shown.
    private static func appendBody(_ event: ArraySlice<UInt8>, to output: inout [UInt8]) {
        var compact: [UInt8] = []
        compact.reserveCapacity(event.count)
        event.withUnsafeBytes { JSONText.appendCompacted($0, to: &compact) }
        if compact.contains(where: { $0 >= 0x80 }) {
            compact = Array(TerminalText.escaped(String(decoding: compact, as: UTF8.self)).utf8)
        }
        JSONText.appendQuoted(compact, to: &output)
    }

    /// `json` with every `<` written `\u003c`: in JSON text a `<` can only be inside a string,
    /// where the escape means the same, and without one no `</script>` or `<!--` can appear.
    static func hidingMarkup(_ json: [UInt8]) -> [UInt8] {
        guard json.contains(UInt8(ascii: "<")) else { return json }
        var output: [UInt8] = []
        output.reserveCapacity(json.count + 64)
        for byte in json {
            if byte == UInt8(ascii: "<") {
                output.append(utf8: #"\u003c"#)
            } else {
                output.append(byte)
            }
        }
        return output
    }
}

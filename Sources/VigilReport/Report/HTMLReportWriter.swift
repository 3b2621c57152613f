import Crypto
import Foundation

/// The investigation report as one self-contained HTML file: inline CSS, inline SVG, one inline
/// script (it lists the alerts a page at a time from the page's data, `ReportScript`); nothing is
/// fetched from anywhere.
///
/// A Content-Security-Policy in the page says so to the browser too: `default-src 'none'`, and the
/// style and the script allowed by their SHA-256 only, so even text that escaped the escaping
/// could neither run nor load anything. Everything from logs goes through `MarkupText.html`.
public struct HTMLReportWriter {
    public let builder: ReportBuilder
    /// nil: made from alert files, without the run's volume and summary.
    public let facts: ReportRunFacts?
    /// What the report was made from (alert files, or the paths a replay read).
    public let inputs: [String]
    /// Entities listed per kind; the rest are counted.
    public var entityLimit = 500

    public init(builder: ReportBuilder, facts: ReportRunFacts?, inputs: [String]) {
        self.builder = builder
        self.facts = facts
        self.inputs = inputs
    }

    static let style = """
        body{font:14px/1.4 system-ui,sans-serif;margin:24px;color:#1d2330;background:#fff}
        h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #d6dae3}
        table{border-collapse:collapse;margin:4px 0}td,th{padding:3px 10px;border-bottom:1px solid #eceef3;text-align:left;vertical-align:top}
        th{background:#f3f5f9}td.n{text-align:right;font-variant-numeric:tabular-nums}
        .note{color:#5b6475}.mono,pre,code{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12.5px}
        pre{white-space:pre-wrap;word-break:break-all;background:#f6f8fa;padding:8px;border-radius:4px;max-height:480px;overflow:auto}
        .sev{display:inline-block;min-width:62px;padding:0 6px;border-radius:3px;font-weight:600;text-align:center}
        span.sev-critical{background:#8e0b0b;color:#fff}span.sev-high{background:#d93025;color:#fff}span.sev-medium{background:#f4b400;color:#222}
        span.sev-low{background:#4f8fd6;color:#fff}span.sev-info{background:#a7b0bf;color:#222}
        rect.sev-critical{fill:#8e0b0b}rect.sev-high{fill:#d93025}rect.sev-medium{fill:#f4b400}rect.sev-low{fill:#4f8fd6}rect.sev-info{fill:#a7b0bf}
        svg{max-width:100%;height:auto;border:1px solid #e3e6ed;border-radius:4px}svg text{font-size:11px;fill:#3c4456}
        svg text.panel{font-weight:600}.axis{stroke:#8b93a5}.volume{fill:none;stroke-width:1.6}
        polyline.v0{stroke:#2b6cb0}polyline.v1{stroke:#2f855a}polyline.v2{stroke:#b7791f}polyline.v3{stroke:#6b46c1}polyline.v4{stroke:#c53030}polyline.v5{stroke:#2c7a7b}
        svg text.v0{fill:#2b6cb0}svg text.v1{fill:#2f855a}svg text.v2{fill:#b7791f}svg text.v3{fill:#6b46c1}svg text.v4{fill:#c53030}svg text.v5{fill:#2c7a7b}
        details.alert{border-bottom:1px solid #eceef3}details.alert>summary{cursor:pointer;padding:3px 0;display:grid;grid-template-columns:168px 80px minmax(120px,1.3fr) minmax(100px,1.2fr) 130px minmax(120px,1.4fr) minmax(100px,1fr);gap:8px;overflow:hidden}
        details.alert>summary>span{overflow:hidden;text-overflow:ellipsis;white-space:nowrap}details.alert>div{padding:4px 0 10px 24px}
        details.alert:target{background:#fff7d6}.controls{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;margin:6px 0 10px}
        .controls input{width:22em}#alert-range{font-variant-numeric:tabular-nums;color:#5b6475}.head{display:grid;grid-template-columns:168px 80px minmax(120px,1.3fr) minmax(100px,1.2fr) 130px minmax(120px,1.4fr) minmax(100px,1fr);gap:8px;font-weight:600;padding-left:16px}
        """

    static let script = ReportScript.source

    static func hash(_ text: String) -> String {
        "'sha256-" + Data(SHA256.hash(data: Array(text.utf8))).base64EncodedString() + "'"
    }

    /// The report, whole.
    public func render() -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src \(Self.hash(Self.style)); script-src \(Self.hash(Self.script)); img-src data:\">"
        html += "<meta name=\"viewport\" content=\"width=device-width\"><title>Vigil report</title>"
        html += "<style>\(Self.style)</style><script>\(Self.script)</script></head><body>"
        html += "<h1>Vigil investigation report</h1>"
        let entries = builder.entries
        let times = entries.compactMap(\.seconds)
        var subtitle = "\(entries.count) alert\(entries.count == 1 ? "" : "s")"
        if let first = times.min(), let last = times.max() {
            subtitle += " from \(ReportTime.text(first, withSeconds: true)) to \(ReportTime.text(last, withSeconds: true)) UTC"
        }
        html += "<p class=\"note\">\(subtitle). Made from \(inputs.map { "<code>\(MarkupText.html($0))</code>" }.joined(separator: ", ")).</p>"
        html += summarySection()
        html += "<h2 id=\"chart\">Timeline</h2>"
        html += TimelineChart(alertTimes: entries.compactMap { entry in entry.seconds.map { (seconds: $0, severity: entry.fields.severity ?? "") } },
                              volumeByMinute: facts?.volumeByMinute).svg()
        html += rulesSection()
        html += entitiesSection()
        html += alertsSection()
        html += "</body></html>\n"
        return html
    }

    private func summarySection() -> String {
        var html = "<h2 id=\"summary\">Run</h2>"
        guard let facts else {
            return html + "<p class=\"note\">Made from alert files: the run's files, records and problems are not known here (<code>vigil replay … --report</code> includes them).</p>"
        }
        html += "<table><tr><th>files</th><th>records</th><th>events</th><th>alerts</th><th>problems</th></tr>"
        html += "<tr><td class=\"n\">\(facts.files)</td><td class=\"n\">\(facts.records)</td><td class=\"n\">\(facts.events)</td><td class=\"n\">\(builder.entries.count)</td><td class=\"n\">\(facts.problems)</td></tr></table>"
        html += "<pre>\(MarkupText.htmlContent(facts.summaryLines.joined(separator: "\n"), keepingNewlines: true))</pre>"
        return html
    }

    private func rulesSection() -> String {
        var html = "<h2 id=\"rules\">Alerts by rule</h2><table><tr><th>rule</th><th>severity</th><th>alerts</th><th>first</th><th>last</th></tr>"
        for (name, group) in builder.rulesByCount {
            html += "<tr><td><a href=\"#\(MarkupText.html(group.firstAnchor))\">\(MarkupText.html(name))</a></td>"
            html += "<td><span class=\"sev sev-\(MarkupText.html(group.severity))\">\(MarkupText.html(group.severity))</span></td>"
            html += "<td class=\"n\">\(group.count)</td><td>\(time(group.first))</td><td>\(time(group.last))</td></tr>"
        }
        return html + "</table>"
    }

    private func entitiesSection() -> String {
        var html = "<h2 id=\"entities\">Entities</h2>"
        for kind in ReportBuilder.EntityKind.allCases {
            let sightings = builder.entities(kind)
            guard !sightings.isEmpty else { continue }
            html += "<h3>\(kind.rawValue)</h3><table><tr><th>\(kind.singular)</th><th>alerts</th><th>first seen</th><th>last seen</th></tr>"
            for (value, sighting) in sightings.prefix(entityLimit) {
                html += "<tr><td class=\"mono\"><a href=\"#\(MarkupText.html(sighting.firstAnchor))\">\(MarkupText.html(value))</a></td><td class=\"n\">\(sighting.count)</td><td>\(time(sighting.first))</td><td>\(time(sighting.last))</td></tr>"
            }
            html += "</table>"
            if sightings.count > entityLimit {
                html += "<p class=\"note\">\(sightings.count - entityLimit) more, with fewer alerts each, not listed.</p>"
            }
        }
        return html
    }

    private func alertsSection() -> String {
        var html = "<h2 id=\"alerts\">Alerts</h2>"
        if builder.bodiesOmitted > 0 {
            html += "<p class=\"note\">The events of \(builder.bodiesOmitted) alerts are not included (each event up to \(builder.bodyLimit / 1024) KB, \(builder.bodyBudget / 1_000_000) MB in all, shared among the rules so that a noisy rule gives way to rare ones, keep the report quick to open); each still shows its file and record, where <code>vigil normalize</code> finds it.</p>"
        }
        if builder.repeatedAlerts > 0 {
            html += "<p class=\"note\">\(builder.repeatedAlerts) alerts repeated an id already listed and are shown once.</p>"
        }
        html += filesList()
        html += "<div class=\"controls\"><label>severity <select id=\"alert-severity\"><option value=\"\">any</option></select></label>"
        html += "<label>rule <select id=\"alert-rule\"><option value=\"\">any</option></select></label>"
        html += "<label>containing <input id=\"alert-text\" type=\"search\" placeholder=\"who, address, action, resource, id\"></label>"
        html += "<button id=\"alert-prev\" type=\"button\">‹ previous</button><span id=\"alert-range\"></span>"
        html += "<button id=\"alert-next\" type=\"button\">next ›</button></div>"
        html += "<div class=\"head\"><span>time</span><span>severity</span><span>rule</span><span>who</span><span>from where</span><span>what</span><span>resource</span></div>"
        html += "<div id=\"alert-list\"></div>"
        html += "<noscript><p class=\"note\">The report's script lists the alerts, and scripts are off here: the Markdown report (<code>vigil report ALERTS… -o FILE.md</code>) lists them without one.</p></noscript>"
        html += "<script type=\"application/json\" id=\"alert-data\">"
        html += String(decoding: AlertListData.json(of: builder.entries, fileNumbers: fileNumbers), as: UTF8.self)
        html += "</script>"
        return html
    }

    /// Each file alerts came from, numbered in order of first appearance.
    private var fileNumbers: [String: Int] {
        var numbers: [String: Int] = [:]
        for entry in builder.entries { if let file = entry.file, numbers[file] == nil { numbers[file] = numbers.count + 1 } }
        return numbers
    }

    private func filesList() -> String {
        let numbers = fileNumbers
        guard !numbers.isEmpty else { return "" }
        var html = "<details><summary>\(numbers.count) file\(numbers.count == 1 ? "" : "s") the alerts came from</summary><ol>"
        for (file, number) in numbers.sorted(by: { $0.value < $1.value }) {
            html += "<li id=\"file-\(number)\"><code>\(MarkupText.htmlContent(file))</code></li>"
        }
        return html + "</ol></details>"
    }

    private func time(_ seconds: Int64?) -> String {
        seconds.map { ReportTime.text($0, withSeconds: true) } ?? "-"
    }
}

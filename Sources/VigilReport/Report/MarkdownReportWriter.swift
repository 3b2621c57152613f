/// The report as Markdown, for a ticket: the run, the rules with counts, the entities and the
/// alerts as tables (no event bodies: a ticket links to the HTML report or the alert files for
/// those). Everything from logs goes through `MarkupText.markdown`.
public struct MarkdownReportWriter {
    public let builder: ReportBuilder
    public let facts: ReportRunFacts?
    public let inputs: [String]
    /// Alerts listed; a ticket with more is unreadable, so the rest are counted.
    public var alertLimit = 1_000
    public var entityLimit = 50

    public init(builder: ReportBuilder, facts: ReportRunFacts?, inputs: [String]) {
        self.builder = builder
        self.facts = facts
        self.inputs = inputs
    }

    public func render() -> String {
        var text = "# Vigil investigation report\n\n"
        let times = builder.entries.compactMap(\.seconds)
        text += "\(builder.entries.count) alerts"
        if let first = times.min(), let last = times.max() {
            text += " from \(ReportTime.text(first, withSeconds: true)) to \(ReportTime.text(last, withSeconds: true)) UTC"
        }
        text += ", made from " + inputs.map { MarkupText.markdown($0) }.joined(separator: ", ") + ".\n\n"
        if let facts {
            text += "## Run\n\n| files | records | events | alerts | problems |\n|---:|---:|---:|---:|---:|\n"
            text += "| \(facts.files) | \(facts.records) | \(facts.events) | \(builder.entries.count) | \(facts.problems) |\n\n"
        } else {
            text += "The run's files, records, problems and event volume are not known: this report was made from alert files.\n\n"
        }
        text += "## Alerts by rule\n\n| rule | severity | alerts | first | last |\n|---|---|---:|---|---|\n"
        for (name, group) in builder.rulesByCount {
            text += "| \(MarkupText.markdown(name)) | \(MarkupText.markdown(group.severity)) | \(group.count) | \(time(group.first)) | \(time(group.last)) |\n"
        }
        text += "\n## Entities\n"
        for kind in ReportBuilder.EntityKind.allCases {
            let sightings = builder.entities(kind)
            guard !sightings.isEmpty else { continue }
            text += "\n### \(kind.rawValue)\n\n| value | alerts | first seen | last seen |\n|---|---:|---|---|\n"
            for (value, sighting) in sightings.prefix(entityLimit) {
                text += "| \(MarkupText.markdown(value)) | \(sighting.count) | \(time(sighting.first)) | \(time(sighting.last)) |\n"
            }
            if sightings.count > entityLimit { text += "\n\(sightings.count - entityLimit) more not listed.\n" }
        }
        text += "\n## Alerts\n\n| time | severity | rule | who | from where | what | resource | id |\n|---|---|---|---|---|---|---|---|\n"
        for entry in builder.entries.prefix(alertLimit) {
            let fields = entry.fields
            let cells = [fields.time, fields.severity, fields.rule, fields.who, fields.from, fields.what, fields.resource, entry.anchor]
            text += "| " + cells.map { MarkupText.markdown($0 ?? "") }.joined(separator: " | ") + " |\n"
        }
        if builder.entries.count > alertLimit {
            text += "\n\(builder.entries.count - alertLimit) more alerts are not listed here; the HTML report and the alert files hold them all.\n"
        }
        return text
    }

    private func time(_ seconds: Int64?) -> String {
        seconds.map { ReportTime.text($0, withSeconds: true) } ?? "-"
    }
}

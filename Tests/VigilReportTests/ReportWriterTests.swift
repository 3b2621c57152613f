import Foundation
import Testing
@testable import VigilReport

@Suite struct ReportWriterTests {
    static func builder(alerts: Int = 6, budget: Int = 10_000_000) throws -> ReportBuilder {
        var builder = ReportBuilder(bodyBudget: budget)
        let events = [AlertFixtures.cloudTrail(userAgent: AlertFixtures.hostileUserAgent), AlertFixtures.flow, AlertFixtures.guardDuty,
                      AlertFixtures.securityHub, AlertFixtures.config,
                      AlertFixtures.databaseAudit(sql: "SELECT '<script>alert(1)</script>' FROM cards")]
        let severities = ["high", "low", "critical", "medium", "info", "high"]
        let times = ["2026-11-20T09:14:07Z", "2026-11-20T09:20:00Z", "2026-11-20T09:30:00Z", "2026-11-20T10:00:00Z",
                     "2026-11-20T09:15:00Z", "2026-11-20T09:40:00Z"]
        for index in 0..<alerts {
            let line = AlertFixtures.line(id: String(format: "%032x", index + 1), rule: "rule-\(index % 3)",
                                          severity: severities[index % severities.count],
                                          time: times[index % times.count], record: index, event: events[index % events.count])
            builder.add(try AlertFixtures.document(line))
        }
        return builder
    }

    @Test func htmlHoldsEveryAlertAsAnAnchorAndEscapesWhatLogsWrote() throws {
        let builder = try Self.builder()
        let html = HTMLReportWriter(builder: builder, facts: nil, inputs: ["alerts.jsonl"]).render()
        for index in 1...6 { #expect(html.contains("[\"\(String(format: "%032x", index))\",")) }
        #expect(html.contains("<svg id=\"timeline\""))
        #expect(!html.contains("<script>window.__pwned"))
        #expect(!html.contains("<img src=x"))
        // In the alerts' data every `<` is `\u003c`: nothing a log wrote can end the data element.
        #expect(html.contains(#"\u003cscript>window.__pwned"#))
        #expect(html.contains(#"\u003cscript>alert(1)\u003c/script>"#))
        // Two script elements: the report's own, and its alerts as data, which is never run.
        #expect(html.components(separatedBy: "<script").count == 3)
        #expect(html.contains("<script type=\"application/json\" id=\"alert-data\">"))
        #expect(html.contains("Event volume unknown"))
        #expect(html.contains("default-src 'none'"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"))
    }

    @Test func theCSPHashesAreThoseOfTheInlineStyleAndScript() {
        // A changed style or script with a stale hash would be refused by the browser: the hashes
        // are computed from the very text written.
        let html = HTMLReportWriter(builder: ReportBuilder(), facts: nil, inputs: []).render()
        #expect(html.contains(HTMLReportWriter.hash(HTMLReportWriter.style)))
        #expect(html.contains("<style>\(HTMLReportWriter.style)</style>"))
        #expect(html.contains("<script>\(HTMLReportWriter.script)</script>"))
    }

    @Test func eventBodiesPastTheBudgetAreLeftOutAndTheReportSaysSo() throws {
        let builder = try Self.builder(alerts: 40, budget: 3_000)
        #expect(builder.bodiesOmitted > 0)
        #expect(builder.bodyBytes <= 3_000)
        let html = HTMLReportWriter(builder: builder, facts: nil, inputs: []).render()
        #expect(html.contains("The events of \(builder.bodiesOmitted) alerts are not included"))
    }

    @Test func aRareRuleAfterAFloodOfAnotherKeepsItsEventsBody() throws {
        let flow = AlertFixtures.flow
        var builder = ReportBuilder(bodyBudget: flow.utf8.count * 10)
        for index in 0..<500 {
            builder.add(try AlertFixtures.document(AlertFixtures.line(id: "noisy-\(index)", rule: "noisy", event: flow)))
        }
        #expect(builder.entries.filter { $0.body != nil }.count == 10, "the flood fills the budget")
        for index in 0..<3 {
            builder.add(try AlertFixtures.document(AlertFixtures.line(id: "rare-\(index)", rule: "rare", severity: "critical", event: flow)))
        }
        #expect(builder.bodyBytes <= builder.bodyBudget)
        let rare = builder.entries.filter { $0.anchor.hasPrefix("rare-") }
        #expect(rare.allSatisfy { $0.body != nil }, "the rare rule's events are all kept")
        let noisy = builder.entries.filter { $0.anchor.hasPrefix("noisy-") && $0.body != nil }.map(\.anchor)
        #expect(noisy == (0..<7).map { "noisy-\($0)" }, "the noisy rule gave up its latest bodies, and keeps its first")
        #expect(builder.bodiesOmitted == 500 - 7)
        let dropped = try #require(builder.entries.first { $0.anchor == "noisy-9" })
        #expect(dropped.bodyOmission?.contains("shared among the rules") == true)
    }

    @Test func rulesAndEntitiesAreCountedWithFirstAndLastSeen() throws {
        let builder = try Self.builder()
        #expect(builder.rulesByCount.map(\.group.count).reduce(0, +) == 6)
        let address = try #require(builder.entities(.address).first { $0.value == "203.0.113.50" })
        #expect(address.sighting.count == 3)
        #expect(address.sighting.first == ReportTime.seconds("2026-11-20T09:14:07Z"))
        #expect(address.sighting.last == ReportTime.seconds("2026-11-20T09:40:00Z"))
        #expect(builder.entities(.account).first?.value == "111122223333")
        // The flow's source 10.0.1.25:49152 and the audit client 203.0.113.50:50123 count as their addresses.
        #expect(builder.entities(.address).contains { $0.value == "10.0.1.25" })
        #expect(!builder.entities(.address).contains { $0.value.contains(":") })
        #expect(ReportBuilder.host("[2001:db8::1]:443") == "2001:db8::1")
        #expect(ReportBuilder.host("2001:db8::1") == "2001:db8::1")
    }

    @Test func theSameAlertTwiceIsListedOnce() throws {
        var builder = ReportBuilder()
        let line = AlertFixtures.line(id: "a1", event: AlertFixtures.flow)
        builder.add(try AlertFixtures.document(line))
        builder.add(try AlertFixtures.document(line))
        #expect(builder.entries.count == 1 && builder.repeatedAlerts == 1)
    }

    @Test func volumeIsChartedPerSourceWhenTheRunKnowsIt() throws {
        let minute = ReportTime.seconds("2026-11-20T09:14:00Z")! / 60
        let facts = ReportRunFacts(volumeByMinute: ["CloudTrail": [minute: 120, minute + 30: 40], "VPC Flow Logs": [minute + 5: 900]],
                                   summaryLines: ["3 files read"], files: 3, records: 1060, events: 1060, problems: 0)
        let html = HTMLReportWriter(builder: try Self.builder(), facts: facts, inputs: ["SampleLogs"]).render()
        #expect(html.contains("<polyline class=\"volume"))
        #expect(html.contains("CloudTrail: 160 events"))
        #expect(html.contains("VPC Flow Logs: 900 events"))
        #expect(!html.contains("Event volume unknown"))
    }

    @Test func markdownEscapesItsSyntaxAndMarkup() throws {
        let markdown = MarkdownReportWriter(builder: try Self.builder(), facts: nil, inputs: ["a|b.jsonl"]).render()
        #expect(!markdown.contains("<script>"))
        #expect(markdown.contains("a\\|b.jsonl"))
        let rows = markdown.split(separator: "\n").filter { $0.hasPrefix("| 2026-") }
        #expect(rows.count == 6)
        // Every alert row has exactly its 8 cells: nothing from a log added a column.
        for row in rows {
            let separators = row.enumerated().filter { $0.element == "|" && (row.index(row.startIndex, offsetBy: $0.offset) == row.startIndex || row[row.index(row.startIndex, offsetBy: $0.offset - 1)] != "\\") }
            #expect(separators.count == 9)
        }
    }

    @Test func timesReadAndWriteAsUTC() {
        #expect(ReportTime.seconds("1970-01-01T00:00:00Z") == 0)
        #expect(ReportTime.seconds("2026-11-20T09:14:07Z") == 1_795_166_047)
        #expect(ReportTime.text(1_795_166_047, withSeconds: true) == "2026-11-20 09:14:07")
        #expect(ReportTime.seconds("2026-13-01T00:00:00Z") == nil)
        #expect(ReportTime.seconds("redacted") == nil)
    }

    @Test func alertDataStoresEachTextOnceAndHidesMarkup() throws {
        let builder = try Self.builder(alerts: 12)
        let json = AlertListData.json(of: builder.entries, fileNumbers: [:])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        let strings = try #require(object["strings"] as? [String])
        let rows = try #require(object["rows"] as? [[Any]])
        #expect(rows.count == 12)
        #expect(Set(strings).count == strings.count, "each text is stored once")
        #expect(strings.first == "")
        #expect(rows.allSatisfy { $0.count == 11 })
        // The rule of the first row, through its index.
        #expect(strings[rows[0][3] as! Int] == "rule-0")
        #expect(!json.contains(UInt8(ascii: "<")))
        #expect(AlertListData.hidingMarkup(Array(#"{"a":"</script><!--"}"#.utf8)) == Array(#"{"a":"\u003c/script>\u003c!--"}"#.utf8))
        // Control and bidirectional characters are stored as their visible escapes.
        var hostile = ReportBuilder()
        hostile.add(try AlertFixtures.document(AlertFixtures.line(id: "h1", event: AlertFixtures.databaseAudit(sql: "SELECT 1 \u{202E}gnp.exe"))))
        let text = String(decoding: AlertListData.json(of: hostile.entries, fileNumbers: [:]), as: UTF8.self)
        #expect(!text.unicodeScalars.contains { $0.value == 0x202E })
        #expect(text.contains(#"\\u{202E}gnp.exe"#), "\(text)")
    }
}

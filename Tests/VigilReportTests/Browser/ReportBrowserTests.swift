import Foundation
import Testing
@testable import VigilReport

/// The report as a person opens it: in Chromium, from the file, with nothing fetched, nothing
/// logged to the console, and nothing planted in a log run.
@Suite(.serialized, .enabled(if: Chromium.runs, Chromium.skipMessage))
struct ReportBrowserTests {
    static func write(_ html: String, name: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-report-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let file = directory.appendingPathComponent(name)
        try Data(html.utf8).write(to: file)
        return file
    }

    struct Page: Decodable {
        let title: String
        let alerts: Int
        let ids: [String]
        let bars: Int
        let volumeLines: Int
        let pwned: Int
        let plantedShownAsText: Bool
        let sqlShownAsText: Bool
        let images: Int
        let anchorOpens: Bool
        let firstBody: String
    }

    static let inspection = #"""
        new Promise(resolve => {
          const first = document.querySelector('details.alert');
          const last = document.querySelectorAll('details.alert');
          location.hash = last.length ? last[last.length - 1].id : '';
          setTimeout(() => resolve(JSON.stringify({
            title: document.title,
            alerts: document.querySelectorAll('details.alert').length,
            ids: Array.from(document.querySelectorAll('details.alert')).map(d => d.id),
            bars: document.querySelectorAll('svg#timeline rect.bar').length,
            volumeLines: document.querySelectorAll('svg#timeline polyline.volume').length,
            pwned: window.__pwned || 0,
            plantedShownAsText: document.body.textContent.includes("<script>window.__pwned=1;console.error('pwned')</script><img src=x onerror=\\\"window.__pwned=2\\\">"),
            sqlShownAsText: document.body.textContent.includes("SELECT '<script>alert(1)</script>' FROM cards"),
            images: document.images.length,
            anchorOpens: last.length ? last[last.length - 1].open : false,
            firstBody: first ? first.querySelector('pre').textContent.slice(0, 60) : ''
          })), 200);
        })
        """#

    @Test func reportLoadsFromTheFileAloneShowsEveryAlertAndRunsNothingPlanted() throws {
        let builder = try ReportWriterTests.builder(alerts: 60)
        let minute = ReportTime.seconds("2026-11-20T09:14:00Z")! / 60
        let facts = ReportRunFacts(volumeByMinute: ["CloudTrail": [minute: 120], "VPC Flow Logs": [minute + 5: 900]],
                                   summaryLines: ["3 files read"], files: 3, records: 1020, events: 1020, problems: 0)
        let file = try Self.write(HTMLReportWriter(builder: builder, facts: facts, inputs: ["SampleLogs"]).render(), name: "report.html")
        let outcome = try Chromium.load(file, evaluating: Self.inspection)
        #expect(outcome.requests == [file.absoluteString], "only the file itself is loaded")
        #expect(outcome.console.isEmpty, "console: \(outcome.console)")
        #expect(outcome.exceptions.isEmpty)
        let page = try JSONDecoder().decode(Page.self, from: Data(try #require(outcome.result).utf8))
        #expect(page.title == "Vigil report")
        #expect(page.alerts == 60)
        #expect(page.ids == builder.entries.map(\.anchor))
        #expect(page.bars > 0)
        #expect(page.volumeLines == 2)
        #expect(page.pwned == 0, "a script planted in a user agent ran")
        #expect(page.images == 0, "a planted <img> became an element")
        #expect(page.plantedShownAsText)
        #expect(page.sqlShownAsText)
        #expect(page.anchorOpens, "#ID opens the alert")
        // The event is indented as written, two spaces a level.
        #expect(page.firstBody.hasPrefix("{\n  \"version\": \"0\",\n  \"id\": "), "\(page.firstBody)")
    }

    struct Pages: Decodable {
        let shown: Int
        let range: String
        let opened: Bool
        let rangeAfter: String
        let ruleRange: String
        let textRange: String
        let ruleOptions: Int
    }

    @Test func aLargeReportShowsAPageAtATimeNarrowsAndFindsAnAnchorOnAnyPage() throws {
        let builder = try ReportWriterTests.builder(alerts: 1_200)
        let file = try Self.write(HTMLReportWriter(builder: builder, facts: nil, inputs: ["alerts.jsonl"]).render(), name: "pages.html")
        let target = builder.entries[1_000].anchor
        let expression = """
            new Promise(resolve => {
              const shown = document.querySelectorAll('details.alert').length;
              const range = document.getElementById('alert-range').textContent;
              location.hash = '\(target)';
              setTimeout(() => {
                const target = document.getElementById('\(target)');
                const opened = !!target && target.open;
                const rangeAfter = document.getElementById('alert-range').textContent;
                const rule = document.getElementById('alert-rule');
                rule.value = 'rule-1';
                rule.dispatchEvent(new Event('change'));
                const ruleRange = document.getElementById('alert-range').textContent;
                const text = document.getElementById('alert-text');
                text.value = '203.0.113.50';
                text.dispatchEvent(new Event('input'));
                setTimeout(() => resolve(JSON.stringify({shown, range, opened, rangeAfter, ruleRange,
                  textRange: document.getElementById('alert-range').textContent, ruleOptions: rule.options.length})), 500);
              }, 300);
            })
            """
        let outcome = try Chromium.load(file, evaluating: expression)
        #expect(outcome.console.isEmpty, "console: \(outcome.console)")
        #expect(outcome.exceptions.isEmpty, "\(outcome.exceptions)")
        let pages = try JSONDecoder().decode(Pages.self, from: Data(try #require(outcome.result).utf8))
        #expect(pages.shown == 250)
        #expect(pages.range == "1\u{2013}250 of 1200")
        #expect(pages.opened, "#ID on the fifth page is drawn and opened")
        #expect(pages.rangeAfter == "1001\u{2013}1200 of 1200")
        #expect(pages.ruleRange == "1\u{2013}250 of 400 (of 1200)")
        let expected = builder.entries.filter { entry in
            entry.fields.rule == "rule-1" && [entry.fields.who, entry.fields.from, entry.fields.what, entry.fields.resource, entry.fields.time]
                .contains { $0?.contains("203.0.113.50") == true }
        }.count
        #expect(expected > 0)
        #expect(pages.textRange == "1\u{2013}\(min(expected, 250)) of \(expected) (of 1200)")
        #expect(pages.ruleOptions == 4, "any, and the three rules")
    }

    /// The check itself: a page that does fetch and log is caught, so the test above can fail.
    @Test func theCheckSeesRequestsConsoleOutputAndScriptsThatRun() throws {
        let file = try Self.write("""
            <!DOCTYPE html><html><head><title>planted</title></head><body>
            <img src="http://198.51.100.1/x.png"><script>window.__pwned=1;console.error('pwned')</script></body></html>
            """, name: "unsafe.html")
        let outcome = try Chromium.load(file, evaluating: "JSON.stringify({pwned: window.__pwned || 0})")
        #expect(outcome.requests.contains("http://198.51.100.1/x.png"))
        #expect(outcome.console.contains { $0.contains("pwned") })
        #expect(outcome.result == #"{"pwned":1}"#)
    }
}

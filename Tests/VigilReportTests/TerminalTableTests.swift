import Foundation
import Testing
@testable import VigilReport

@Suite struct TerminalTableTests {
    @Test func controlAndBidirectionalCharactersAreShownNotObeyed() {
        let escaped = TerminalText.escaped("a\u{1B}[2Jb\u{9B}31mc\r\n\u{202E}d\u{7}")
        #expect(escaped == #"a\e[2Jb\u{9B}31mc\r\n\u{202E}d\u{7}"#)
        #expect(!escaped.unicodeScalars.contains { $0.value < 0x20 || (0x7F..<0xA0).contains($0.value) })
    }

    @Test func cellsAreCutToTheirColumnByDisplayWidth() {
        #expect(TerminalText.fitted("abcdef", to: 4, padded: false) == "abc…")
        #expect(TerminalText.fitted("ab", to: 4, padded: true) == "ab  ")
        #expect(TerminalText.fitted("日本語テキスト", to: 6, padded: false) == "日本…")
        #expect(TerminalText.width(of: TerminalText.fitted("日本語テキスト", to: 6, padded: true)) == 6)
    }

    @Test func tableRowHoldsNoEscapeFromTheLogAndKeepsItsWidth() throws {
        let line = AlertFixtures.line(id: "a1", event: AlertFixtures.cloudTrail(userName: "evil\\u001b[2J\\u001b]8;;http://x\\u0007"))
        let table = AlertTable(layout: .table, totalWidth: 150, colored: false)
        let row = table.row(AlertRowFields(try AlertFixtures.document(line)))
        #expect(!row.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 })
        #expect(row.contains(#"\e[2J"#))
        #expect(TerminalText.width(of: String(row.dropLast())) <= 150)
        #expect(TerminalText.width(of: String(table.header.dropLast())) <= 150)
    }

    @Test func colourOnlyMarksSeverityAndOnlyWhenAsked() throws {
        let line = AlertFixtures.line(id: "a1", severity: "critical", event: AlertFixtures.cloudTrail())
        let fields = AlertRowFields(try AlertFixtures.document(line))
        let plain = AlertTable(layout: .table, totalWidth: 120, colored: false).row(fields)
        let colored = AlertTable(layout: .table, totalWidth: 120, colored: true).row(fields)
        #expect(!plain.contains("\u{1B}"))
        #expect(colored.contains("\u{1B}[1;97;41mcritical"))
        #expect(colored.replacingOccurrences(of: "\u{1B}[1;97;41m", with: "").replacingOccurrences(of: "\u{1B}[0m", with: "") == plain)
    }

    @Test func tsvKeepsEachAlertOnOneLineOfTabSeparatedFields() throws {
        let line = AlertFixtures.line(id: "a1", event: AlertFixtures.cloudTrail(userName: "x\\ty\\nz"))
        let row = AlertTable(layout: .tsv).row(AlertRowFields(try AlertFixtures.document(line)), id: "a1")
        #expect(row.filter { $0 == "\n" }.count == 1)
        let fields = row.dropLast().split(separator: "\t", omittingEmptySubsequences: false)
        #expect(fields.count == AlertTable.Column.allCases.count + 1)
        #expect(fields[3] == #"x\ty\nz"#)
        #expect(fields.last == "a1")
    }

    @Test func huntRowsLeaveOutSeverityAndRule() {
        let table = AlertTable(layout: .table, totalWidth: 120, withRule: false)
        #expect(!table.header.contains("SEVERITY") && !table.header.contains("RULE"))
        #expect(table.header.contains("FROM WHERE"))
    }

    @Test func styleFollowsTheTerminalAndNoColor() {
        func style(_ requested: OutputStyle?, terminal: Bool, _ environment: [String: String] = [:]) -> String {
            let resolved = OutputStyle.resolve(requested: requested, isTerminal: terminal, environment: environment)
            return resolved.style.rawValue + (resolved.colored ? "+color" : "")
        }
        #expect(style(nil, terminal: true) == "table+color")
        #expect(style(nil, terminal: false) == "json")
        #expect(style(nil, terminal: true, ["NO_COLOR": "1"]) == "table")
        #expect(style(nil, terminal: true, ["NO_COLOR": ""]) == "table+color")
        #expect(style(.table, terminal: false) == "table")
        #expect(style(.json, terminal: true) == "json")
        #expect(style(.tsv, terminal: true) == "tsv")
    }
}

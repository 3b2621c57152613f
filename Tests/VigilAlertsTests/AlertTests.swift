import Testing
import VigilAlerts

@Suite struct AlertTests {
    @Test func alertIDIsStableAndDependsOnRuleAndIdentity() {
        let identity = Array("cloudtrail:e49be7a2-2f21-5d87-bc32-ed48c60786ab".utf8)
        let first = identity.withUnsafeBytes { AlertWriter.alertID(rule: "rule-a", eventIdentity: $0) }
        let again = identity.withUnsafeBytes { AlertWriter.alertID(rule: "rule-a", eventIdentity: $0) }
        let otherRule = identity.withUnsafeBytes { AlertWriter.alertID(rule: "rule-b", eventIdentity: $0) }
        #expect(first == again)
        #expect(first != otherRule)
        #expect(first.count == 32)
        #expect(first.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) })
    }

    @Test func bodyIsTheAlertObjectUnlessTransformed() {
        let line = Array(#"{"id":"x"}"#.utf8) + [0x0A]
        let plain = Alert(id: "x", rule: "r", severity: .high, line: line)
        #expect(plain.body == Array(#"{"id":"x"}"#.utf8))
        #expect(plain.contentType == "application/json")
        let text = Alert(id: "x", rule: "r", severity: .high, line: line,
                         transformed: TransformedPayload(bytes: Array("DB made public".utf8), isJSON: false))
        #expect(text.body == Array("DB made public".utf8))
        #expect(text.contentType.hasPrefix("text/plain"))
    }
}

import Testing
import VigilJSON

/// Writing JSON text.
@Suite("JSON text")
struct JSONTextTests {
    @Test("quoted escapes quotes, backslashes and control characters, and keeps the rest", arguments: [
        ("plain", #""plain""#), ("a\"b\\c", #""a\"b\\c""#), ("\n\t\u{01}\u{1F}", #""\n\t\u0001\u001f""#), ("é😀", "\"é😀\""),
    ])
    func quoted(_ text: String, _ literal: String) {
        #expect(JSONText.quoted(text) == literal)
    }

    @Test("appendQuotedUTF8 stops at the first byte that is not UTF-8")
    func quotedUTF8() {
        var output: [UInt8] = []
        let bad: [UInt8] = [UInt8(ascii: "a"), 0xC3, 0xA9, 0xFF, UInt8(ascii: "b")]
        #expect(bad.withUnsafeBytes { JSONText.appendQuotedUTF8($0, to: &output) } == 3)
        output.removeAll()
        #expect(Array("é".utf8).withUnsafeBytes { JSONText.appendQuotedUTF8($0, to: &output) } == nil)
        #expect(output == Array("\"é\"".utf8))
    }

    @Test("appendCompacted drops whitespace outside strings only")
    func compacted() {
        var output: [UInt8] = []
        Array("{ \"a b\" : [ 1 ,\n\t\"x \\\" y\" ] }".utf8).withUnsafeBytes { JSONText.appendCompacted($0, to: &output) }
        #expect(String(decoding: output, as: UTF8.self) == #"{"a b":[1,"x \" y"]}"#)
    }
}

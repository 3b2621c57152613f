import Testing
import VigilJSON

/// Strings, whole values skipped without decoding, and the boundary of a value read in pieces.
@Suite("JSON bytes")
struct JSONBytesTests {
    static func unescaped(_ contents: String) -> String {
        var output: [UInt8] = []
        Array(contents.utf8).withUnsafeBytes { JSONString.unescape($0, into: &output) }
        return String(decoding: output, as: UTF8.self)
    }

    @Test("unescape decodes every escape, joins surrogate pairs and writes a lone surrogate as '?'", arguments: [
        (#"a\"b\\c\/d"#, "a\"b\\c/d"), (#"\b\f\n\r\t"#, "\u{08}\u{0C}\n\r\t"), (#"\u00e9\u20AC"#, "é€"),
        (#"\ud83d\ude00"#, "😀"), (#"\ud83d"#, "?"), (#"\u12"#, #"\u12"#),
    ])
    func unescape(_ contents: String, _ expected: String) {
        #expect(Self.unescaped(contents) == expected)
    }

    @Test("skipValue passes a whole value, strings with brackets and escaped quotes included")
    func skipValue() throws {
        let text = Array(#"{"a":["]",{"b":"\"}"}],"c":1} rest"#.utf8)
        let end = try text.withUnsafeBytes { try JSONBytes.skipValue($0, from: 0) }
        #expect(end == text.count - " rest".utf8.count)
        let number = Array("-12.5e3,".utf8)
        #expect(try number.withUnsafeBytes { try JSONBytes.scalarEnd($0, from: 0) } == 7)
    }

    @Test("the boundary of a value is found however the bytes are cut", arguments: [1, 2, 3, 7, 64])
    func boundaryInPieces(_ pieceSize: Int) {
        let text = Array(#"{"a":"}\\","b":[{"c":"\"]"}]} {"next":1}"#.utf8)
        let expectedEnd = text.firstIndex(of: UInt8(ascii: " "))!
        var boundary = JSONValueBoundary()
        boundary.reset()
        var found: Int?
        var position = 0
        var available = 0
        while found == nil, available < text.count {
            available = min(available + pieceSize, text.count)
            found = Array(text[0..<available]).withUnsafeBytes { bytes in
                let end = boundary.scan(bytes, from: position)
                position = available
                return end
            }
        }
        #expect(found == expectedEnd)
        #expect(boundary.deepest == 3)
    }
}

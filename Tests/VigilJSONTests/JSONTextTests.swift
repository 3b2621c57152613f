import Foundation
import Testing
@testable import VigilJSON

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

    @Test("appendQuoted and appendQuotedUTF8 agree with a byte-by-byte reference on random text, wherever the special bytes fall")
    func quotedAgreesWithReference() {
        var generator = SystemRandomNumberGenerator()
        // Plain letters mostly, so that runs of eight plain bytes are common and the bytes that
        // need a look fall at every offset in and across words.
        let alphabet: [[UInt8]] = [Array("abcdefgh".utf8), [0x22], [0x5C], [0x00], [0x0A], [0x1F], [0x20], [0x7F],
                                   Array("é".utf8), Array("😀".utf8), [0xFF], [0xC3], [0x80]]
        for _ in 0..<5_000 {
            var text: [UInt8] = []
            let pieces = Int.random(in: 0...12, using: &generator)
            for _ in 0..<pieces {
                let piece = Bool.random(using: &generator) ? alphabet[0] : alphabet.randomElement(using: &generator)!
                text += piece.prefix(Int.random(in: 1...piece.count, using: &generator))
            }
            var output: [UInt8] = []
            text.withUnsafeBytes { JSONText.appendQuoted($0, to: &output) }
            #expect(output == Self.referenceQuoted(text), "\(text)")
            output = []
            let invalid = text.withUnsafeBytes { JSONText.appendQuotedUTF8($0, to: &output) }
            let firstInvalid = Self.firstInvalidUTF8(text)
            #expect(invalid == firstInvalid, "\(text)")
            if firstInvalid == nil { #expect(output == Self.referenceQuoted(text), "\(text)") }
        }
    }

    /// Escapes byte by byte, as RFC 8259 asks.
    private static func referenceQuoted(_ text: [UInt8]) -> [UInt8] {
        var output: [UInt8] = [0x22]
        for byte in text {
            switch byte {
            case 0x22: output += Array(#"\""#.utf8)
            case 0x5C: output += Array(#"\\"#.utf8)
            case 0x08: output += Array(#"\b"#.utf8)
            case 0x0C: output += Array(#"\f"#.utf8)
            case 0x0A: output += Array(#"\n"#.utf8)
            case 0x0D: output += Array(#"\r"#.utf8)
            case 0x09: output += Array(#"\t"#.utf8)
            case 0..<0x20: output += Array(String(format: "\\u%04x", byte).utf8)
            default: output.append(byte)
            }
        }
        return output + [0x22]
    }

    /// The offset of the first byte that does not begin or continue well-formed UTF-8, or nil.
    private static func firstInvalidUTF8(_ text: [UInt8]) -> Int? {
        var index = 0
        while index < text.count {
            var length = 1
            while length <= 4 && index + length <= text.count {
                if String(validating: text[index..<(index + length)], as: UTF8.self) != nil { break }
                length += 1
            }
            if length > 4 || index + length > text.count { return index }
            index += length
        }
        return nil
    }

    @Test("appendCompacted drops whitespace outside strings only")
    func compacted() {
        var output: [UInt8] = []
        Array("{ \"a b\" : [ 1 ,\n\t\"x \\\" y\" ] }".utf8).withUnsafeBytes { JSONText.appendCompacted($0, to: &output) }
        #expect(String(decoding: output, as: UTF8.self) == #"{"a b":[1,"x \" y"]}"#)
    }

    /// The compaction by definition: a byte-by-byte walk that knows when it is inside a string.
    static func referenceCompaction(_ json: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        var inString = false
        var escaping = false
        for byte in json {
            if inString {
                if escaping {
                    escaping = false
                } else if byte == UInt8(ascii: "\\") {
                    escaping = true
                } else if byte == UInt8(ascii: "\"") {
                    inString = false
                }
                output.append(byte)
            } else if byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09 {
                continue
            } else {
                if byte == UInt8(ascii: "\"") { inString = true }
                output.append(byte)
            }
        }
        return output
    }

    static func compacted(_ text: String) -> [UInt8] {
        var output: [UInt8] = []
        Array(text.utf8).withUnsafeBytes { JSONText.appendCompacted($0, to: &output) }
        return output
    }

    /// Spaces inside strings next to every kind of byte, and whitespace outside strings next to
    /// every kind of token: where the neighbours of a space cannot tell, the string-by-string
    /// scan must run, and the result is the same either way.
    @Test("appendCompacted agrees with a byte-by-byte compaction", arguments: [
        #"{"userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-21-generic","n":1}"#,
        #"{"a": 1, "b" :[true , false,null ] , "c":{ }}"#,
        #"{"m":"x, 1","n":"a: {b}","o":"e -1","p":"l t","q":"" [","r":"] ""}"#,
        #"{"m":"x, 1", "n":2}"#,
        "{\n  \"a\": [\n    1,\n    \"b c\"\n  ]\n}",
        "\t{\"a\":\"b\"}\r\n",
        #"["a\" , \"b", "c"]"#,
        #"{"é":"ü ö","😀":" 😀 "}"#,
        #"" leading space""#,
        #""trailing space ""#,
        #"[1 ,2]"#,
        #"{"a":"\\" , "b":"c"}"#,
        #"{"a":"\\\" ,"}"#,
        "[]", "1", #""""#, " ",
    ])
    func compactedAgreesWithReference(_ text: String) {
        #expect(Self.compacted(text) == Self.referenceCompaction(Array(text.utf8)), "\(text)")
    }

    @Test("a compact record with spaces only inside its strings is copied as it is")
    func compactRecordIsSurelyCompact() {
        let record = #"{"eventVersion":"1.08","userAgent":"aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-21-generic exe/x86_64.ubuntu.22","#
            + #""errorMessage":"User: arn:aws:iam::111122223333:user/ci is not authorized to perform: iam:ListUsers","n":[1,2.5e3,-4],"#
            + #""t":true,"f":false,"z":null,"o":{}}"#
        #expect(Array(record.utf8).withUnsafeBytes { JSONText.isSurelyCompact($0) })
        // Words ending in e or l before words beginning with t, f or n are not `true`, `false`, `null`.
        let prose = #"{"errorMessage":"Login Profile for User x cannot be found, due to a rule named true"}"#
        #expect(Array(prose.utf8).withUnsafeBytes { JSONText.isSurelyCompact($0) })
        #expect(Self.compacted(record) == Array(record.utf8))
        // Whitespace outside strings is never taken for compact.
        for spaced in [#"{"a": 1}"#, #"{"a" :1}"#, #"{"a":1 }"#, #"[ 1]"#, #"{"a":"b" ,"c":2}"#, "{\"a\":\n1}", "{\"a\":1}\n",
                       #"[true ,false]"#, #"[null, true]"#, #"[false ,null]"#, #"{"a":true }"#, #"[1, false]"#] {
            #expect(!Array(spaced.utf8).withUnsafeBytes { JSONText.isSurelyCompact($0) }, "\(spaced)")
        }
    }

    /// Random JSON values, compact or with whitespace sprinkled between tokens, with strings full
    /// of spaces, escapes and structural characters: the fast path and the scan agree with the
    /// definition on every one.
    @Test("appendCompacted agrees with a byte-by-byte compaction on random JSON")
    func compactedRandom() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % UInt64(bound))
        }
        let whitespace = [" ", "\n", "\t", "\r\n", "  "]
        let stringPieces = [" ", "a", "1", ",", ":", "{", "}", "[", "]", "-", "t", "f", "n", "e", "l", "\\\"", "\\\\", "é", "x y", " 2",
                            "true", "false", "null", "due to ", " for"]
        func gap(_ spaced: Bool) -> String { spaced && next(3) == 0 ? whitespace[next(whitespace.count)] : "" }
        func value(_ depth: Int, _ spaced: Bool) -> String {
            switch depth > 3 ? next(4) : next(6) {
            case 0: return ["true", "false", "null", "-12", "3.5e2", "0"][next(6)]
            case 1, 2, 3:
                return "\"" + (0..<next(6)).map { _ in stringPieces[next(stringPieces.count)] }.joined() + "\""
            case 4:
                return "[" + (0..<next(4)).map { _ in gap(spaced) + value(depth + 1, spaced) + gap(spaced) }.joined(separator: ",") + "]"
            default:
                return "{" + (0..<next(4)).map { index in
                    gap(spaced) + "\"k\(index) \"" + gap(spaced) + ":" + gap(spaced) + value(depth + 1, spaced) + gap(spaced)
                }.joined(separator: ",") + "}"
            }
        }
        for round in 0..<2_000 {
            let text = value(0, round % 2 == 1)
            #expect(Self.compacted(text) == Self.referenceCompaction(Array(text.utf8)), "\(text)")
        }
    }
}

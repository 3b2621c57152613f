import Foundation
import Testing
@testable import VigilJSON
import VigilTestSupport

/// The vector validator (CSimd, AVX2) against the scalar one it only ever speeds up: on the shared
/// corpus, on random well-formed JSON and on both mutated, whatever it proves well-formed the
/// scalar validator accepts with the same end and members (`VectorJSONValidation.disagreement`),
/// and every well-formed record is proven (else the fast path would be dead weight, untested).
@Suite("Vector JSON validation", .enabled(if: JSONValidationChoice.cpuHasAVX2, "the CPU has no AVX2"))
struct VectorValidationDifferentialTests {
    /// The JSON files of the shared corpus (`../shared/corpus`) and of Tests/Fixtures.
    static let seeds: [[UInt8]] = {
        let testsFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        let folders = [testsFolder.appendingPathComponent("Fixtures"),
                       testsFolder.appendingPathComponent("../../shared/corpus").standardizedFileURL]
        var files: [URL] = []
        for folder in folders {
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else { continue }
            for case let file as URL in walker where file.pathExtension == "json" { files.append(file) }
        }
        return files.sorted { $0.path < $1.path }.compactMap { try? Array(Data(contentsOf: $0)) }
    }()

    /// Written to reach what the corpus rarely holds: escapes next to quotes and block edges,
    /// multi-byte UTF-8 of every length, numbers of every form, empty and deep containers.
    static let handWritten: [String] = [
        #"{}"#, #"[]"#, #"[[],{},[[]],{"a":{}}]"#, #"{"a":[1,-0.5e+3,true,false,null,"\u00e9\n"]}"#,
        "  {\"a\" : { } , \"b\":[ ] }  ", #"{"k\"ey":"v\\","\\":"\\\"","u":"\u12aB\uFFFF"}"#,
        #"{"n":[0,-0,1e5,1E-5,0.25,-12.5e+10,123456789012345678901234567890]}"#,
        "{\"é\":\"日本語 😀 \u{10FFFF} \u{7FF} \u{800}\",\"x\":\"\u{FFFF}\"}",
        #"{"a":"\/\b\f\n\r\t"}"#, String(repeating: "[", count: 200) + String(repeating: "]", count: 200),
        "{\"long\":\"" + String(repeating: "abcdefgh\\\"", count: 40) + "\"}",
        "{\"a\":\"" + String(repeating: "é", count: 70) + "\",\"b\":\"" + String(repeating: "😀", count: 40) + "\"}",
        "{\"a\":1}\n{\"b\":2}\n", #"[{"Records":[{"eventName":"x"},{"eventName":"y"}]}]"#,
        // More members than the vector validator's first room for notes (64): it grows and proves again.
        "{" + (0..<150).map { "\"k\($0)\":[\($0)]" }.joined(separator: ",") + "}",
    ]

    /// Bytes and pieces a mutation puts in: JSON's syntax, escapes, control characters, UTF-8
    /// lead and continuation bytes, surrogates and overlong forms.
    static let pieces: [[UInt8]] = [
        [0x22], [0x5C], [0x7B], [0x7D], [0x5B], [0x5D], [0x2C], [0x3A], [0x20], [0x0A], [0x09], [0x00], [0x1F],
        [0x5C, 0x75], [0x5C, 0x75, 0x30, 0x30, 0x65, 0x39], [0x5C, 0x5C], [0x5C, 0x22], [0x5C, 0x78],
        [0x80], [0xBF], [0xC0, 0xAF], [0xC2, 0xA9], [0xE2, 0x82], [0xE2, 0x82, 0xAC], [0xED, 0xA0, 0x80],
        [0xF0, 0x9F, 0x98, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xF8], [0xFF], Array("true".utf8), Array("nul".utf8),
        Array("-0.e1".utf8), Array("1e".utf8), Array("01".utf8), Array("\"a\":".utf8),
    ]

    @Test("every well-formed corpus file and hand-written value is proven, with the scalar validator's end and members")
    func provesWellFormed() throws {
        var proven = 0
        for seed in Self.seeds + Self.handWritten.map({ Array($0.utf8) }) {
            try seed.withUnsafeBytes { bytes in
                #expect(VectorJSONValidation.disagreement(bytes, from: 0) == nil)
                guard (try? JSONValidator.scalarValidateValue(bytes, from: 0)) != nil,
                      let first = bytes.first(where: { $0 > 0x20 }), first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
                else { return }
                let vectorEnd = try #require(VectorJSONValidation.prove(bytes, from: 0, maximumDepth: JSONBytes.maximumDepth, members: nil),
                                             "not proven: \(String(decoding: seed.prefix(200), as: UTF8.self))")
                #expect(vectorEnd == (try JSONValidator.scalarValidateValue(bytes, from: 0)))
                proven += 1
            }
        }
        #expect(proven >= 60)
    }

    @Test("values amid other bytes: from every '{' of the corpus, and at depth limits")
    func valuesAmidOthers() {
        for seed in Self.seeds {
            seed.withUnsafeBytes { bytes in
                for start in bytes.indices where bytes[start] == UInt8(ascii: "{") {
                    #expect(VectorJSONValidation.disagreement(bytes, from: start) == nil)
                    #expect(VectorJSONValidation.disagreement(bytes, from: start, maximumDepth: 2) == nil)
                }
                // Cut short anywhere: a record whose end lies past the window is never accepted.
                for cut in stride(from: 0, to: bytes.count, by: 97) {
                    #expect(VectorJSONValidation.disagreement(UnsafeRawBufferPointer(rebasing: bytes[..<cut]), from: 0) == nil)
                }
            }
        }
    }

    @Test("mutated corpus and hand-written values: the same verdict, end and members")
    func mutations() {
        var random = SeededRandom(seed: 20)
        let seeds = Self.seeds.filter { $0.count <= 16_384 } + Self.handWritten.map { Array($0.utf8) }
        var checked = 0
        for seed in seeds {
            for _ in 0..<60 {
                var mutated = seed
                for _ in 0..<Int.random(in: 1...3, using: &random) {
                    Self.mutate(&mutated, using: &random)
                }
                mutated.withUnsafeBytes { bytes in
                    #expect(VectorJSONValidation.disagreement(bytes, from: 0) == nil,
                            "\(String(decoding: mutated.prefix(300), as: UTF8.self))")
                }
                checked += 1
            }
        }
        #expect(checked > 3_000)
    }

    @Test("random well-formed JSON, then mutated: proven when well-formed, never in disagreement")
    func randomJSON() throws {
        var random = SeededRandom(seed: 8259)
        for _ in 0..<2_000 {
            var text: [UInt8] = []
            Self.writeRandomObject(into: &text, depth: 0, using: &random)
            try text.withUnsafeBytes { bytes in
                #expect(VectorJSONValidation.disagreement(bytes, from: 0) == nil)
                let end = try #require(VectorJSONValidation.prove(bytes, from: 0, maximumDepth: JSONBytes.maximumDepth, members: nil),
                                       "not proven: \(String(decoding: text, as: UTF8.self))")
                #expect(end == text.count)
            }
            var mutated = text
            Self.mutate(&mutated, using: &random)
            mutated.withUnsafeBytes { bytes in
                #expect(VectorJSONValidation.disagreement(bytes, from: 0) == nil, "\(mutated)")
            }
        }
    }

    static func mutate(_ bytes: inout [UInt8], using random: inout SeededRandom) {
        let piece = pieces.randomElement(using: &random)!
        let position = bytes.isEmpty ? 0 : Int.random(in: 0..<bytes.count, using: &random)
        switch Int.random(in: 0..<5, using: &random) {
        case 0: bytes.insert(contentsOf: piece, at: position)
        case 1 where !bytes.isEmpty: bytes[position] = piece[0]
        case 2 where !bytes.isEmpty: bytes.removeSubrange(position..<min(bytes.count, position + Int.random(in: 1...8, using: &random)))
        case 3: bytes.removeSubrange(position...)
        default: bytes.insert(UInt8.random(in: 0...255, using: &random), at: position)
        }
    }

    static func writeRandomObject(into text: inout [UInt8], depth: Int, using random: inout SeededRandom) {
        text.append(UInt8(ascii: "{"))
        for index in 0..<Int.random(in: 0...(depth == 0 ? 12 : 4), using: &random) {
            if index > 0 { text.append(UInt8(ascii: ",")) }
            writeRandomString(into: &text, using: &random)
            text.append(contentsOf: Array((Bool.random(using: &random) ? " : " : ":").utf8))
            writeRandomValue(into: &text, depth: depth + 1, using: &random)
        }
        text.append(UInt8(ascii: "}"))
    }

    static func writeRandomValue(into text: inout [UInt8], depth: Int, using random: inout SeededRandom) {
        switch Int.random(in: 0..<(depth > 6 ? 4 : 6), using: &random) {
        case 0: writeRandomString(into: &text, using: &random)
        case 1:
            let numbers = ["0", "-0", "12", "-3.25", "1e9", "6.02E+23", "1.5e-7", "123456789012345678901234"]
            text.append(contentsOf: Array(numbers.randomElement(using: &random)!.utf8))
        case 2: text.append(contentsOf: Array(["true", "false", "null"].randomElement(using: &random)!.utf8))
        case 3: writeRandomString(into: &text, using: &random)
        case 4: writeRandomObject(into: &text, depth: depth, using: &random)
        default:
            text.append(UInt8(ascii: "["))
            for index in 0..<Int.random(in: 0...5, using: &random) {
                if index > 0 { text.append(contentsOf: Array((Bool.random(using: &random) ? ",\n " : ",").utf8)) }
                writeRandomValue(into: &text, depth: depth + 1, using: &random)
            }
            text.append(UInt8(ascii: "]"))
        }
    }

    static func writeRandomString(into text: inout [UInt8], using random: inout SeededRandom) {
        let parts = ["a", "Key", "arn:aws:iam::123456789012:role/x", " ", "\\\"", "\\\\", "\\/", "\\n", "\\u00e9", "\\uD83D\\uDE00",
                     "é", "€", "😀", "\u{7FF}", "\u{800}", "\u{FFFF}", "\u{10000}", "\u{10FFFF}",
                     String(repeating: "x", count: 61), String(repeating: "y", count: 130)]
        text.append(UInt8(ascii: "\""))
        for _ in 0..<Int.random(in: 0...8, using: &random) {
            text.append(contentsOf: Array(parts.randomElement(using: &random)!.utf8))
        }
        text.append(UInt8(ascii: "\""))
    }
}

import Testing
import VigilJSON

/// Strict RFC 8259 validation: what is accepted, what is refused and where.
@Suite("JSON validator")
struct JSONValidatorTests {
    @Test("accepts well-formed JSON values", arguments: [
        #"{}"#, #"[]"#, #"{"a":[1,-0.5e+3,true,false,null,"\u00e9\n"]}"#, "  {\"a\" : { } }  ", #""x""#, "0",
    ])
    func accepts(_ text: String) {
        #expect(throws: Never.self) { try JSONValidator.validate(Array(text.utf8)) }
    }

    @Test("refuses what is not one well-formed value, at the offending byte", arguments: [
        (#"{"a":01}"#, 5), (#"{"a":1.}"#, 5), (#"{"a":tru}"#, 5), (#"{"a":"\x"}"#, 6), ("{\"a\":\"line\nbreak\"}", 10),
        (#"{'a':1}"#, 1), (#"{"a":1,}"#, 7), (#"{"a":[1,]}"#, 8), (#"{"a" 1}"#, 5), (#"{"a":"x"} trailing"#, 10),
        (#"{"a":"\u12G4"}"#, 6), ("", 0),
    ])
    func refuses(_ text: String, _ offset: Int) {
        do throws(EventError) {
            try JSONValidator.validate(Array(text.utf8))
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.offset == offset, "\(text): \(error)")
        }
    }

    @Test("refuses invalid UTF-8 in strings: overlong forms, surrogates, stray continuation bytes", arguments: [
        [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82],
    ] as [[UInt8]])
    func refusesInvalidUTF8(_ sequence: [UInt8]) {
        let text = Array(#"{"a":""#.utf8) + sequence + Array(#""}"#.utf8)
        #expect(throws: EventError.self) { try JSONValidator.validate(text) }
    }

    @Test("nesting is refused one level past the limit, as too deep")
    func depthLimit() throws {
        let nested = { (levels: Int) in Array((String(repeating: "[", count: levels) + String(repeating: "]", count: levels)).utf8) }
        try nested(8).withUnsafeBytes { try JSONValidator.validate($0, maximumDepth: 8) }
        let error = #expect(throws: EventError.self) {
            try nested(9).withUnsafeBytes { try JSONValidator.validate($0, maximumDepth: 8) }
        }
        #expect(error?.kind == .tooDeep)
    }
}

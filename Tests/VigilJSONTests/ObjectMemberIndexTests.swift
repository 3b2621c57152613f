import Testing
import VigilJSON

/// Validation that also finds where a value ends and notes where an object's members lie.
@Suite("Member index")
struct MemberIndexTests {
    /// The members of `json` as the validator noted them: key as written, value text.
    static func members(of json: String) throws -> [(key: String, escaped: Bool, value: String)] {
        let index = ObjectMemberIndex()
        let bytes = Array(json.utf8)
        try bytes.withUnsafeBytes { try JSONValidator.validate($0, members: index) }
        return (0..<index.count).map { member in
            let (key, escaped) = index.key(member)
            // Offsets are relative to the object's first byte.
            let start = json.utf8.firstIndex(of: UInt8(ascii: "{"))!
            let base = json.utf8.distance(from: json.utf8.startIndex, to: start)
            let value = index.value(member)
            return (String(decoding: bytes[(base + key.lowerBound)..<(base + key.upperBound)], as: UTF8.self), escaped,
                    String(decoding: bytes[(base + value.lowerBound)..<(base + value.upperBound)], as: UTF8.self))
        }
    }

    @Test("every top-level member is noted, with nested values whole and escaped keys flagged")
    func notesTopLevelMembers() throws {
        let found = try Self.members(of: #"  { "a" : 1 , "b\"c":{"x":[1,{"y":"}"}]}, "d": [ [], {} ], "e":"s\\", "f" :null}  "#)
        #expect(found.map(\.key) == ["a", #"b\"c"#, "d", "e", "f"])
        #expect(found.map(\.escaped) == [false, true, false, false, false])
        #expect(found.map(\.value) == ["1", #"{"x":[1,{"y":"}"}]}"#, "[ [], {} ]", #""s\\""#, "null"])
    }

    @Test("an empty object has no members; an array's elements are not members")
    func emptyObjectAndArray() throws {
        #expect(try Self.members(of: "{}").isEmpty)
        let index = ObjectMemberIndex()
        try Array(#"[{"a":1},{"b":2}]"#.utf8).withUnsafeBytes { try JSONValidator.validate($0, members: index) }
        #expect(index.count == 0)
    }

    @Test("validateValue returns the end of the first value and ignores what follows")
    func valueEnd() throws {
        let text = Array(#"{"a":[1,2]}{"next":true} garbage"#.utf8)
        let end = try text.withUnsafeBytes { try JSONValidator.validateValue($0, from: 0) }
        #expect(end == 11)
        let second = try text.withUnsafeBytes { try JSONValidator.validateValue($0, from: end) }
        #expect(second == 24)
    }

    @Test("validateValue refuses a value cut short, wherever the cut falls", arguments: [
        #"{"a":"#, #"{"a":"x"#, #"{"a":[1,"#, #"{"a":1"#, #"{"a\"#, #"{"a":tr"#, "{",
    ])
    func truncatedValues(_ text: String) {
        #expect(throws: EventError.self) {
            try Array(text.utf8).withUnsafeBytes { _ = try JSONValidator.validateValue($0, from: 0) }
        }
    }
}

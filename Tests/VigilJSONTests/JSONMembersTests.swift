import Testing
import VigilJSON

/// An object's members read as byte ranges, and string values taken out of them.
@Suite("JSON members")
struct JSONMembersTests {
    static let object = Array(#" {"a\u0062":"x\ty","n":12,"o":{"k":"v"},"s":"{\"p\":[1]}"} "#.utf8)

    @Test("read gives each member's unescaped key and its value's range")
    func read() throws {
        let members = try Self.object.withUnsafeBytes { try JSONMembers.read($0) }
        #expect(members.map(\.key) == ["ab", "n", "o", "s"])
        #expect(members.map { String(decoding: Self.object[$0.value], as: UTF8.self) }
            == [#""x\ty""#, "12", #"{"k":"v"}"#, #""{\"p\":[1]}""#])
    }

    @Test("string gives a string value unescaped and nothing for other values; jsonText unwraps embedded JSON")
    func strings() throws {
        let members = try Self.object.withUnsafeBytes { try JSONMembers.read($0) }
        Self.object.withUnsafeBytes { bytes in
            #expect(JSONMembers.string(at: members[0].value, in: bytes) == "x\ty")
            #expect(JSONMembers.string(at: members[1].value, in: bytes) == nil)
            #expect(String(decoding: JSONMembers.jsonText(at: members[3].value, in: bytes), as: UTF8.self) == #"{"p":[1]}"#)
            #expect(String(decoding: JSONMembers.jsonText(at: members[2].value, in: bytes), as: UTF8.self) == #"{"k":"v"}"#)
        }
    }
}

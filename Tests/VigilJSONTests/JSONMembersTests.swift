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

    @Test("valueStart finds the first member of a name, escaped keys unescaped, and reads no value after it")
    func valueStartOfAMember() throws {
        func start(of name: String, in text: String) throws -> String? {
            let bytes = Array(text.utf8)
            var scratch: [UInt8] = []
            let found = try bytes.withUnsafeBytes { object in
                try Array(name.utf8).withUnsafeBytes { try JSONMembers.valueStart(ofMember: $0, in: object, scratch: &scratch) }
            }
            return found.map { String(decoding: bytes[$0...], as: UTF8.self) }
        }
        let object = String(decoding: Self.object, as: UTF8.self)
        #expect(try start(of: "ab", in: object)?.hasPrefix(#""x\ty","n""#) == true)
        #expect(try start(of: "o", in: object)?.hasPrefix(#"{"k":"v"},"s""#) == true)
        #expect(try start(of: "k", in: object) == nil, "only top-level members")
        #expect(try start(of: "z", in: object) == nil)
        #expect(try start(of: "a", in: #"{"a": 1, "a": 2}"#) == #"1, "a": 2}"#)
        // The value found is not read: what follows it may be cut off.
        #expect(try start(of: "d", in: #"{"x": [1], "d": {"a": 1, "b": "#) == #"{"a": 1, "b": "#)
        #expect(throws: EventError.self) { try start(of: "d", in: #"{"x": [1, "d": 1"#) }
        #expect(try start(of: "d", in: "{}") == nil)
    }
}

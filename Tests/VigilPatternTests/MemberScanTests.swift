import Testing
import VigilJSON
@testable import VigilPattern

/// Scanning that goes from member to member of a record validated into an `ObjectMemberIndex`.
@Suite("Member scan")
struct MemberScanTests {
    @Test("a record validated into an index matches the same fields as one walked whole", arguments: [
        (#"{"detail":{"eventName":"DeleteDBInstance","n":[1,2]}}"#, #"{"eventName":["DeleteDBInstance"]}"#),
        (#"{"eventName":"x","requestParameters":{"dBInstanceIdentifier":"prod"},"z":[{"a":1}]}"#,
         #"{"requestParameters":{"dBInstanceIdentifier":["prod"]}}"#),
        (#"{"list":[{"a":1},{"a":2,"b":3}]}"#, #"{"list":{"a":[2],"b":[3]}}"#),
        (#"{"list":[{"a":1},{"a":2,"b":3}]}"#, #"{"list":{"a":[1],"b":[3]}}"#),
        (#"{"k\u0065y":"v"}"#, #"{"key":["v"]}"#),
        (#"{"a":{"b":{"c":null}}}"#, #"{"a":{"b":{"c":[null]}}}"#),
        (#"{"a":1}"#, #"{"b":[{"exists":false}]}"#),
    ])
    func memberScanAgreesWithWalk(_ event: String, _ pattern: String) throws {
        let set = CompiledPatternSet([(name: "p", pattern: try EventPattern(json: Array(pattern.utf8)))])
        let bytes = Array(event.utf8)
        let walked = try set.makeMatcher().match(bytes)
        let members = ObjectMemberIndex()
        let indexed = try bytes.withUnsafeBytes { buffer in
            try JSONValidator.validate(buffer, members: members)
            return try set.makeMatcher().match(buffer, members: members)
        }
        #expect(indexed == walked)
    }
}

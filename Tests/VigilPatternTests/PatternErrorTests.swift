import Testing
import VigilJSON
@testable import VigilPattern

/// One pattern that must be refused, and the words of event-ruler's message.
struct RefusalCase: Sendable, CustomTestStringConvertible {
    let pattern: String
    let message: String
    var testDescription: String { "\(pattern) → \(message)" }

    init(_ pattern: String, _ message: String) {
        self.pattern = pattern
        self.message = message
    }
}

/// Invalid patterns are refused with event-ruler's own message (so a user can search for it), and
/// `PatternTester` reports them, and invalid events, as `.invalid`.
@Suite("Pattern refusals")
struct PatternErrorTests {
    static let refusals: [RefusalCase] = [
        // wildcard
        RefusalCase(#"{"a":[{"wildcard":"a**b"}]}"#, "Consecutive wildcard characters at pos 2"),
        RefusalCase(#"{"a":[{"wildcard":"*.png**"}]}"#, "Consecutive wildcard characters at pos 6"),
        RefusalCase(#"{"a":[{"wildcard":"a\\b"}]}"#, "Invalid escape character at pos 2"),
        RefusalCase(#"{"a":[{"wildcard":"a\\*\\c"}]}"#, "Invalid escape character at pos 4"),
        RefusalCase(#"{"a":[{"anything-but":{"wildcard":"x**"}}]}"#, "Consecutive wildcard characters at pos 2"),
        RefusalCase(#"{"a":[{"wildcard":null}]}"#, "wildcard match pattern must be a string"),
        // numeric
        RefusalCase(#"{"a":[{"numeric":[">",5,"<",1]}]}"#, "Bottom must be less than top"),
        RefusalCase(#"{"a":[{"numeric":[">=",5,"<=",5]}]}"#, "Bottom must be less than top"),
        RefusalCase(#"{"a":[{"numeric":["<",5,">",1]}]}"#, "Too many elements in numeric expression"),
        RefusalCase(#"{"a":[{"numeric":[">"]}]}"#, "Value of > must be numeric"),
        RefusalCase(#"{"a":[{"numeric":["=",[5]]}]}"#, "Value of equals must be numeric"),
        RefusalCase(#"{"a":[{"numeric":[">",1,">",2]}]}"#, "Bad numeric range operator: >"),
        RefusalCase(#"{"a":[{"numeric":[">",1,2]}]}"#, "Bad value in numeric range: 2"),
        RefusalCase(#"{"a":[{"numeric":[">",1.2345678901234567890]}]}"#, "Cannot compare number : 1.2345678901234567890"),
        RefusalCase(#"{"a":[{"numeric":["<",0.1000000000000000055511151231257827]}]}"#,
                    "Cannot compare number : 0.1000000000000000055511151231257827"),
        // cidr
        RefusalCase(#"{"ip":[{"cidr":"10.0.0.1/32"}]}"#, "IPv4 mask bits must be < 32"),
        RefusalCase(#"{"ip":[{"cidr":"1.2.3.4/99"}]}"#, "IPv4 mask bits must be < 32"),
        RefusalCase(#"{"ip":[{"cidr":"::1/128"}]}"#, "IPv6 mask bits must be < 128"),
        RefusalCase(#"{"ip":[{"cidr":"10.0.0.0"}]}"#, "Malformed CIDR, one '/' required"),
        RefusalCase(#"{"ip":[{"cidr":"10.0.0.0/8/8"}]}"#, "Malformed CIDR, one '/' required"),
        // structure
        RefusalCase(#"{"a":[]}"#, "Empty arrays are not allowed"),
        RefusalCase(#"{"a":{}}"#, "Empty objects are not allowed"),
        RefusalCase(#"{"a":{"b":{}}}"#, "Empty objects are not allowed"),
        RefusalCase(#"{"a": {}, garbage"#, "Empty objects are not allowed"),
        RefusalCase(#"[1]"#, "Filter is not an object"),
        RefusalCase(#"true"#, "Filter is not an object"),
        RefusalCase(#""x""#, "Filter is not an object"),
        RefusalCase(#"{"a":"x"}"#, #""a" must be an object or an array"#),
        RefusalCase(#"{"a":5}"#, #""a" must be an object or an array"#),
        RefusalCase(#"{"a":null}"#, #""a" must be an object or an array"#),
        RefusalCase(#"{"d":{"b":true}}"#, #""b" must be an object or an array"#),
        RefusalCase(#"{"a":[["x"]]}"#, "Match value must be String, number, true, false, or null"),
        // match expressions
        RefusalCase(#"{"a":[{"foo":"bar"}]}"#, "Unrecognized match type foo"),
        RefusalCase(#"{"a":[{"equals":"x"}]}"#, "Unrecognized match type equals"),
        RefusalCase(#"{"a":[{"cidr":"10.0.0.0/8","prefix":"1"}]}"#, "Only one key allowed in match expression"),
        RefusalCase(#"{"a":[{"wildcard":"a*","suffix":"b"}]}"#, "Only one key allowed in match expression"),
        RefusalCase(#"{"a":[{"prefix":["x","y"]}]}"#, "prefix match pattern must be a string"),
        RefusalCase(#"{"a":[{"suffix":null}]}"#, "suffix match pattern must be a string"),
        RefusalCase(#"{"a":[{"equals-ignore-case":1}]}"#, "equals-ignore-case match pattern must be a string"),
        RefusalCase(#"{"a":[{"prefix":{}}]}"#, "Prefix expression name not found"),
        RefusalCase(#"{"a":[{"suffix":{}}]}"#, "Suffix expression name not found"),
        RefusalCase(#"{"a":[{"prefix":{"exactly":"a"}}]}"#, "Unsupported prefix pattern: exactly"),
        RefusalCase(#"{"a":[{"suffix":{"prefix":"a"}}]}"#, "Unsupported suffix pattern: prefix"),
        RefusalCase(#"{"a":[{"exists":{"x":1}}]}"#, "exists match pattern must be either true or false."),
        RefusalCase(#"{"a":[{"exists":"true"}]}"#, "exists match pattern must be either true or false."),
        RefusalCase(#"{"a":[{"exists":null}]}"#, "exists match pattern must be either true or false."),
        // anything-but
        RefusalCase(#"{"a":[{"anything-but":{"prefix":""}}]}"#, "Null prefix/suffix not allowed"),
        RefusalCase(#"{"a":[{"anything-but":{"suffix":""}}]}"#, "Null prefix/suffix not allowed"),
        RefusalCase(#"{"a":[{"anything-but":["x",1]}]}"#,
                    "Inside anything but list, either all values are number or string, mixed type is not supported"),
        RefusalCase(#"{"a":[{"anything-but":["a",null]}]}"#, "Inside anything but list, start|null|boolean is not supported."),
        RefusalCase(#"{"a":[{"anything-but":[1,[2]]}]}"#, "Inside anything but list, start|null|boolean is not supported."),
        RefusalCase(#"{"a":[{"anything-but":{"exists":true}}]}"#, "Unsupported anything-but pattern: exists"),
        RefusalCase(#"{"a":[{"anything-but":{"Prefix":"a"}}]}"#, "Unsupported anything-but pattern: Prefix"),
        RefusalCase(#"{"a":[{"anything-but":{"anything-but":"x"}}]}"#, "Unsupported anything-but pattern: anything-but"),
        RefusalCase(#"{"a":[{"anything-but":null}]}"#,
                    "Value of anything-but must be an array or single string/number value."),
        RefusalCase(#"{"a":[{"anything-but":true}]}"#,
                    "Value of anything-but must be an array or single string/number value."),
        RefusalCase(#"{"a":[{"anything-but":["a"],"anything-but":["b"]}]}"#, "Too many elements in numeric expression"),
        // $or: when $or is not valid as an operator, event-ruler reads it as a field name.
        RefusalCase(#"{"$or":[{"a":["x"]}]}"#, "Unrecognized match type a"),
        RefusalCase(#"{"$or":[{"a":["x"]},{"wildcard":["y"]}]}"#, "Unrecognized match type a"),
        RefusalCase(#"{"detail":{"$or":[{"a":["x"]},{"prefix":["y"]}]}}"#, "Unrecognized match type a"),
        // Jackson's JSON syntax errors.
        RefusalCase(#"{"a":["x"],}"#, "Unexpected character ('}' (code 125)): was expecting double-quote to start field name"),
        RefusalCase(#"{"a":[None]}"#,
                    "Unrecognized token 'None': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
        RefusalCase("{\"a\":[\"x\"]\n", "Unexpected end-of-input: expected close marker for Object"),
        RefusalCase(#"{"a":["x",]}"#,
                    "Unexpected character (']' (code 93)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')"),
        RefusalCase(#"{"a":["bad \x escape"]}"#, "Unrecognized character escape 'x' (code 120)"),
        RefusalCase(#"{"a":[{"numeric":["<",5],["<",6]}]}"#,
                    "Unexpected character ('[' (code 91)): was expecting double-quote to start field name"),
    ]

    @Test("refused with event-ruler's message", arguments: refusals)
    func refused(_ testCase: RefusalCase) {
        let message = PatternCheck.refusal(testCase.pattern)
        #expect(message?.contains(testCase.message) == true, "got: \(message ?? "accepted")")
    }

    @Test("PatternTester reports a refused pattern as invalid, with the message", arguments: refusals.prefix(12))
    func testerReportsRefusal(_ testCase: RefusalCase) {
        let verdict = PatternCheck.verdict(testCase.pattern, #"{"a":"x"}"#)
        guard case .invalid(let message) = verdict else {
            Issue.record("expected .invalid, got \(verdict)")
            return
        }
        #expect(message.hasPrefix("Event pattern is not valid: "))
        #expect(message.contains(testCase.message))
    }

    static let accepted: [String] = [
        #"{"a":[{"prefix":""}]}"#,
        #"{"a":[{"suffix":""}]}"#,
        #"{"a":[{"wildcard":""}]}"#,
        #"{"a":[{"wildcard":"\\*\\\\*"}]}"#,
        #"{"a":[{"exactly":"x"}]}"#,
        #"{"a":[{"cidr":"0.0.0.0/0"}]}"#,
        #"{"a":[{"cidr":"10.0.0.0/31"}]}"#,
        #"{"a":[{"cidr":"::/127"}]}"#,
        #"{"a":[{"numeric":[">",-1e300,"<=",1e300]}]}"#,
        #"{"a":[{"numeric":["=",-0]}]}"#,
        #"{"a":[12345678901234567890]}"#,
        #"{"a":[0.10000000000000001]}"#,
        #"{"a":[{"anything-but":{"wildcard":["x*","*y"]}}]}"#,
        #"{"a":[{"anything-but":{"equals-ignore-case":["A","b"]}}]}"#,
        #"{"a":[{"exists":true},{"exists":false}]}"#,
        #"{"$or":[{"a":["x"]},{"b":["y"]}]}"#,
        #"{"a":{"$or":[{"b":["x"]},{"c":{"$or":[{"d":[1]},{"e":[2]}]}}]}}"#,
        " \n{ \"a\" : [ \"x\" ] }\n ",
    ]

    @Test("valid patterns are accepted", arguments: accepted)
    func acceptsValidPattern(_ pattern: String) {
        #expect(PatternCheck.refusal(pattern) == nil)
    }

    // MARK: $or combinations

    /// `{"f0":{"$or":[{"v0":["x"]},…]},"f1":{…},…}`: sibling `$or`s whose branches multiply.
    static func siblingOrs(_ sizes: [Int]) -> String {
        let members = sizes.enumerated().map { field, count in
            "\"f\(field)\":{\"$or\":[" + (0..<count).map { "{\"v\($0)\":[\"x\"]}" }.joined(separator: ",") + "]}"
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// `{"$or":[{"l0":["0"],"$or":[{"l1":["0"],"$or":[…]},…]},…]}`: `$or` nested in `$or`.
    static func nestedOrs(_ sizes: [Int], level: Int = 0) -> String {
        guard level < sizes.count else { return "" }
        let alternatives = (0..<sizes[level]).map { index -> String in
            let inner = nestedOrs(sizes, level: level + 1)
            return "{\"l\(level)\":[\"\(index)\"]" + (inner.isEmpty ? "" : "," + inner) + "}"
        }
        return "\"$or\":[" + alternatives.joined(separator: ",") + "]"
    }

    @Test("exactly 1000 $or combinations are accepted")
    func thousandCombinationsAccepted() throws {
        let sibling = try EventPattern(json: Self.siblingOrs([10, 10, 10]))
        #expect(sibling.branches.count == 1000)
        let nested = try EventPattern(json: "{" + Self.nestedOrs([10, 10, 10]) + "}")
        #expect(nested.branches.count == 1000)
        #expect(PatternCheck.verdict(Self.siblingOrs([10, 10, 10]), #"{"f0":{"v3":"x"},"f1":{"v9":"x"},"f2":{"v0":"x"}}"#) == .match)
        #expect(PatternCheck.verdict(Self.siblingOrs([10, 10, 10]), #"{"f0":{"v3":"x"},"f1":{"v9":"x"}}"#) == .noMatch)
        #expect(PatternCheck.verdict("{" + Self.nestedOrs([10, 10, 10]) + "}", #"{"l0":"7","l1":"2","l2":"9"}"#) == .match)
        #expect(PatternCheck.verdict("{" + Self.nestedOrs([10, 10, 10]) + "}", #"{"l0":"7","l1":"2","l2":"10"}"#) == .noMatch)
    }

    @Test("more than 1000 $or combinations are refused", arguments: [[10, 10, 11], [11, 10, 10], [2, 501], [1001 / 7 + 1, 7]])
    func tooManyCombinationsRefused(_ sizes: [Int]) {
        for text in [Self.siblingOrs(sizes), "{" + Self.nestedOrs(sizes) + "}"] {
            let message = PatternCheck.refusal(text)
            #expect(message?.contains("1000") == true, "got: \(message ?? "accepted")")
            guard case .invalid = PatternCheck.verdict(text, #"{"a":1}"#) else {
                Issue.record("PatternTester did not report the pattern as invalid")
                continue
            }
        }
    }

    // MARK: Invalid events

    static func deepEvent(arrays: Int) -> String {
        "{\"a\":" + String(repeating: "[", count: arrays) + "1" + String(repeating: "]", count: arrays) + "}"
    }

    static let invalidEvents: [String] = [
        "",
        "   ",
        #"{"a":"x""#,
        #"{"a":"#,
        #"{"a""#,
        #"{"a":"x"} trailing"#,
        #"{"a":"x"}{"a":"x"}"#,
        #"["x"]"#,
        #""x""#,
        "5",
        "null",
        #"{"a":01}"#,
        #"{"a":1.}"#,
        #"{"a":tru}"#,
        #"{"a":"\x"}"#,
        "{\"a\":\"line\nbreak\"}",
        #"{'a':1}"#,
        #"{"a":1,}"#,
        #"{"a":[1,]}"#,
        #"{"a" 1}"#,
        #"{"a":"x",,"b":1}"#,
        deepEvent(arrays: 1000),
        deepEvent(arrays: 5000),
    ]

    @Test("PatternTester reports events that are not one JSON object as invalid",
          arguments: invalidEvents.indices)
    func invalidEvent(_ index: Int) {
        let event = Self.invalidEvents[index]
        for pattern in [#"{"a":[{"exists":true}]}"#, #"{"b":["x"]}"#] {
            let verdict = PatternCheck.verdict(pattern, event)
            guard case .invalid(let message) = verdict else {
                Issue.record("event \(event.prefix(60)) with \(pattern): expected .invalid, got \(verdict)")
                continue
            }
            #expect(message.hasPrefix("Event is not valid JSON"))
        }
    }

    @Test("nesting up to 1000 levels is accepted")
    func nestingLimit() throws {
        let event = Self.deepEvent(arrays: 999)  // the object plus 999 arrays: 1000 levels
        #expect(PatternCheck.verdict(#"{"a":[1]}"#, event) == .match)
        #expect(PatternCheck.verdict(#"{"b":[1]}"#, event) == .noMatch)
    }

    /// Objects nested around a value list: `levels` levels in all, counting the list as Jackson does.
    static func deepPattern(levels: Int, key: String = "a") -> String {
        String(repeating: "{\"\(key)\":", count: levels - 1) + "[1]" + String(repeating: "}", count: levels - 1)
    }

    @Test("a pattern nested past 1000 levels is refused in Jackson's words, as text or as an operand of $or")
    func patternNestingLimit() throws {
        let accepted = try EventPattern(json: Self.deepPattern(levels: 1000))
        #expect(accepted.fieldPaths == [Array(repeating: "a", count: 999).joined(separator: ".")])
        let message = "Document nesting depth (1001) exceeds the maximum allowed (1000, from `StreamReadConstraints.getMaxNestingDepth()`)"
        #expect(PatternCheck.refusal(Self.deepPattern(levels: 1001)) == message)
        // $or alternatives are objects in an array: two levels each.
        let ors = String(repeating: #"{"$or":[{"b":[2]},"#, count: 500) + #"{"a":[1]}"# + String(repeating: "]}", count: 500)
        #expect(PatternCheck.refusal(ors) == message)
        // The first level past the limit is where it stops, however far the text goes on.
        do {
            _ = try EventPattern(json: Self.deepPattern(levels: 100_000))
            Issue.record("accepted")
        } catch {
            #expect(error.message == message)
            #expect(error.line == 1 && error.column == 5_001)
        }
    }

    @Test("the matcher refuses over-deep events whether or not a pattern names the path")
    func matcherDepthLimit() throws {
        let set = CompiledPatternSet([(name: "p", pattern: try EventPattern(json: #"{"a":[1]}"#))])
        let matcher = set.makeMatcher()
        #expect(throws: EventError.self) { try matcher.match(Array(Self.deepEvent(arrays: 1000).utf8)) }
        let unnamed = "{\"z\":" + String(repeating: "[", count: 1000) + String(repeating: "]", count: 1000) + ",\"a\":1}"
        #expect(throws: EventError.self) { try matcher.match(Array(unnamed.utf8)) }
        // The matcher still works afterwards.
        #expect(try matcher.match(Array(#"{"a":1}"#.utf8)) == [0])
    }

    // MARK: test-pattern --batch

    @Test("answerBatchLine", arguments: [
        (#"{"pattern":{"a":["x"]},"event":{"a":"x"}}"#, #"{"result":true}"#),
        (#"{"pattern":{"a":["x"]},"event":{"a":"y"}}"#, #"{"result":false}"#),
        (#"{"pattern":"{\"a\":[\"x\"]}","event":"{\"a\":\"x\"}"}"#, #"{"result":true}"#),
        (#"{"pattern":"{\"a\":[\"x\"]}","event":"{\"a\":\"y\"}"}"#, #"{"result":false}"#),
        (#"{"event":{"a":"\u00e9"},"pattern":"{\"a\":[\"é\"]}"}"#, #"{"result":true}"#),
        (#" { "pattern" : { "a" : [ { "exists" : false } ] } , "event" : { } } "#, #"{"result":true}"#),
    ])
    func batchAnswers(_ line: String, _ answer: String) {
        #expect(PatternTester.answerBatchLine(Array(line.utf8)) == answer)
    }

    @Test("answerBatchLine answers a bad line with an error object", arguments: [
        #"{"pattern":"#,
        #"not json"#,
        #"{"pattern":{"a":["x"]}}"#,
        #"{"event":{"a":"x"}}"#,
        #"{"pattern":{"a":[]},"event":{"a":"x"}}"#,
        #"{"pattern":{"a":["x"]},"event":"{\"a\":"}"#,
        #"{"pattern":{"a":["x"]},"event":["x"]}"#,
    ])
    func batchErrors(_ line: String) {
        let answer = PatternTester.answerBatchLine(Array(line.utf8))
        #expect(answer.hasPrefix(#"{"error":""#) && answer.hasSuffix("\"}"), "got: \(answer)")
    }

    @Test("answerBatchLine carries the pattern's refusal message")
    func batchRefusalMessage() {
        let answer = PatternTester.answerBatchLine(Array(#"{"pattern":{"a":[{"wildcard":"a**b"}]},"event":{"a":"x"}}"#.utf8))
        #expect(answer == #"{"error":"Event pattern is not valid: Consecutive wildcard characters at pos 2"}"#)
        let quoted = PatternTester.answerBatchLine(Array(#"{"pattern":{"a":"x"},"event":{"a":"x"}}"#.utf8))
        #expect(quoted.contains(#"\"a\" must be an object or an array"#), "got: \(quoted)")
    }
}

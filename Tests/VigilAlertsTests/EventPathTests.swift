import Testing
import VigilAlerts

@Suite struct EventPathTests {
    /// The example EC2 event of the EventBridge input transformation guide
    /// (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html),
    /// pretty-printed as there, so lookups also cross whitespace.
    static let ec2Event = """
        {
          "version": "0",
          "id": "7bf73129-1428-4cd3-a780-95db273d1602",
          "detail-type": "EC2 Instance State-change Notification",
          "source": "aws.ec2",
          "account": "123456789012",
          "time": "2015-11-11T21:29:54Z",
          "region": "us-east-1",
          "resources": [
            "arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"
          ],
          "detail": {
            "instance-id": "i-0123456789",
            "state": "RUNNING"
          }
        }
        """

    /// The text of the value `path` names in `event`, or nil.
    func lookup(_ path: String, in event: String) throws -> String? {
        let parsed = try EventPath(path)
        let bytes = Array(event.utf8)
        return bytes.withUnsafeBytes { buffer in
            parsed.value(in: buffer).map { String(decoding: buffer[$0], as: UTF8.self) }
        }
    }

    /// The reason a path is refused, or nil when it is accepted.
    func refusal(_ path: String) -> EventPath.SyntaxError? {
        do {
            _ = try EventPath(path)
            return nil
        } catch {
            return error
        }
    }

    @Test func dollarIsTheWholeEventWithoutSurroundingWhitespace() throws {
        let event = "  \n{\"a\": [1, 2]}\n "
        #expect(try lookup("$", in: event) == "{\"a\": [1, 2]}")
        #expect(try EventPath("$").isWholeEvent)
        #expect(try !EventPath("$.a").isWholeEvent)
    }

    @Test func membersOfTheDocumentationEvent() throws {
        #expect(try lookup("$.detail.state", in: Self.ec2Event) == "\"RUNNING\"")
        #expect(try lookup("$.detail.instance-id", in: Self.ec2Event) == "\"i-0123456789\"")
        #expect(try lookup("$.time", in: Self.ec2Event) == "\"2015-11-11T21:29:54Z\"")
        #expect(try lookup("$.detail-type", in: Self.ec2Event) == "\"EC2 Instance State-change Notification\"")
        #expect(try lookup("$.detail", in: Self.ec2Event)?.hasPrefix("{\n    \"instance-id\"") == true)
    }

    @Test func theDollarPrefixMayBeLeftOut() throws {
        #expect(try lookup("detail.state", in: Self.ec2Event) == "\"RUNNING\"")
        #expect(try lookup("region", in: Self.ec2Event) == "\"us-east-1\"")
        #expect(try EventPath("detail.state").value(in: [] as [UInt8]) == nil)
    }

    @Test func arrayIndexes() throws {
        // `$.resources[0]` is the guide's own example of an index.
        #expect(try lookup("$.resources[0]", in: Self.ec2Event) == "\"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111\"")
        #expect(try lookup("$.resources[1]", in: Self.ec2Event) == nil)
        let event = #"{"detail":{"items":[{"name":"a"},{"name":"b","tags":[[1,2],[3, {"k":"v"}]]}],"empty":[ ]}}"#
        #expect(try lookup("$.detail.items[1].name", in: event) == "\"b\"")
        #expect(try lookup("detail.items[0]", in: event) == "{\"name\":\"a\"}")
        #expect(try lookup("$.detail.items[1].tags[1][1].k", in: event) == "\"v\"")
        #expect(try lookup("$.detail.items[2]", in: event) == nil)
        #expect(try lookup("$.detail.empty[0]", in: event) == nil)
    }

    @Test func stepsIntoTheWrongKindOfValueFindNothing() throws {
        let event = #"{"detail":{"s":"text","n":5,"o":{"a":1},"l":[1]}}"#
        #expect(try lookup("$.detail.s.x", in: event) == nil)
        #expect(try lookup("$.detail.s[0]", in: event) == nil)
        #expect(try lookup("$.detail.n.x", in: event) == nil)
        #expect(try lookup("$.detail.o[0]", in: event) == nil)
        #expect(try lookup("$.detail.l.x", in: event) == nil)
        #expect(try lookup("$.detail.missing", in: event) == nil)
        #expect(try lookup("$.nothing.at.all", in: event) == nil)
        #expect(try lookup("$.detail.o.a", in: event) == "1")
    }

    @Test func valuesOfEveryKindAreWholeRanges() throws {
        let event = #"{"a":-1.5e3,"b":true,"c":null,"d":"x\"y","e":{"f":[1,{"g":"}"}]},"h":false}"#
        #expect(try lookup("a", in: event) == "-1.5e3")
        #expect(try lookup("b", in: event) == "true")
        #expect(try lookup("c", in: event) == "null")
        #expect(try lookup("d", in: event) == #""x\"y""#)
        #expect(try lookup("e", in: event) == #"{"f":[1,{"g":"}"}]}"#)
        #expect(try lookup("h", in: event) == "false")
    }

    @Test func keysWrittenWithEscapesInTheEventStillMatch() throws {
        let event = #"{"detail":{"na\u006de":"escaped","caf\u00e9":"accent","a\"b":"quote"}}"#
        #expect(try lookup("$.detail.name", in: event) == "\"escaped\"")
        #expect(try lookup("$.detail.café", in: event) == "\"accent\"")
        #expect(try lookup(#"$.detail["a\"b"]"#, in: event) == "\"quote\"")
    }

    @Test func bracketQuotedNamesReachKeysADotPathCannot() throws {
        let event = #"{"detail":{"a.b":1,"with space":2,"x[0]":3,"ünï":4,"aws:SourceIp":5,"a/b":6}}"#
        #expect(try lookup(#"$.detail["a.b"]"#, in: event) == "1")
        #expect(try lookup("$.detail['a.b']", in: event) == "1")
        #expect(try lookup("$.detail['with space']", in: event) == "2")
        #expect(try lookup(#"detail["x[0]"]"#, in: event) == "3")
        #expect(try lookup("$.detail.ünï", in: event) == "4")
        #expect(try lookup("$.detail.aws:SourceIp", in: event) == "5")
        #expect(try lookup("$.detail.a/b", in: event) == "6")
        #expect(try lookup("$['detail'].a/b", in: event) == "6")
    }

    @Test func theFirstOfTwoEqualKeysWins() throws {
        #expect(try lookup("$.a", in: #"{"a":1,"a":2}"#) == "1")
    }

    @Test func malformedEventsGiveNothingRatherThanATrap() throws {
        for event in ["", "   ", "{", #"{"a":"#, #"{"a":[1,"#, #"{"a" 1}"#, "[1,2]", #"{"a":{"b":"unclosed}}"#] {
            #expect(try lookup("$.a.b", in: event) == nil, "event \(event)")
            #expect(try lookup("$.a[3]", in: event) == nil, "event \(event)")
        }
        #expect(try lookup("$", in: "{") == nil)
    }

    @Test func theTextIsKept() throws {
        let path = try EventPath("$.detail['a b'][0]")
        #expect(path.text == "$.detail['a b'][0]")
        #expect(path.description == path.text)
        #expect(try EventPath("detail.a") != EventPath("$.detail.b"))
    }

    @Test(arguments: [
        ("", "a path cannot be empty", 1),
        ("$.", "the path ends with '.'", 3),
        ("$..a", "a field name cannot be empty", 3),
        ("$.a.", "the path ends with '.'", 5),
        ("a..b", "a field name cannot be empty", 3),
        (".a", "a path starts with '$' or with a field name", 1),
        ("[0]", "a path starts with '$' or with a field name", 1),
        ("$a", "expected '.' or '[' here", 2),
        ("$.a[", "'[' is not closed", 4),
        ("$.a[x]", "expected an index (0, 1, …) or a quoted name inside '[ ]'", 5),
        ("$.a[1", "expected ']' here", 6),
        ("$.a[-1]", "negative indexes are not supported", 5),
        ("$.a[01]", "an index cannot have leading zeros", 5),
        ("$.a[12345678901]", "the index is too large", 5),
        ("$.*", "wildcards are not supported: a path names one value", 3),
        ("$.a[*]", "wildcards are not supported: a path names one value", 5),
        ("$.a.b*", "wildcards are not supported: a path names one value", 6),
        ("$.a b", "a field name cannot contain spaces or control characters; write it as [\"…\"]", 4),
        ("$.a]", "unexpected ']' in a field name; write the name as [\"…\"]", 4),
        ("$.a[0]b", "expected '.' or '[' here", 7),
        ("$.a[\"b]", "the quoted name is not closed", 5),
        ("$.a['b]", "the quoted name is not closed", 5),
        ("$.a['']", "a field name cannot be empty", 5),
        ("$.a[\"b\\q\"]", "invalid quoted name: Invalid escape '\\q'", 7),
        ("$.é b", "a field name cannot contain spaces or control characters; write it as [\"…\"]", 4),
    ])
    func badSyntaxIsRefusedWithReasonAndPosition(path: String, reason: String, position: Int) {
        let error = refusal(path)
        #expect(error?.reason == reason, "path \(path)")
        #expect(error?.position == position, "path \(path)")
        #expect(error?.path == path)
        #expect(error?.description == "Invalid path \"\(path)\": \(reason) (at character \(position))")
    }
}

extension EventPath {
    /// Looks up in an array's bytes (tests only).
    func value(in bytes: [UInt8]) -> Range<Int>? {
        bytes.withUnsafeBytes { value(in: $0) }
    }
}

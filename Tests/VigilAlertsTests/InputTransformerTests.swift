import Testing
import VigilAlerts
import VigilJSON

@Suite struct InputTransformerTests {
    /// The example EC2 event of https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html
    static let ec2Event = EventPathTests.ec2Event
    /// The input paths of the same page's examples.
    static let ec2Paths: KeyValuePairs<String, String> = [
        "timestamp": "$.time", "instance": "$.detail.instance-id", "state": "$.detail.state", "resource": "$.resources[0]",
    ]

    // MARK: - Helpers

    /// An `inputTransformer` object as a rule file holds it, the template written as a JSON string.
    static func json(paths: KeyValuePairs<String, String>?, template: String,
                     pathsKey: String = "inputPathsMap", templateKey: String = "inputTemplate") -> String {
        var members: [String] = []
        if let paths {
            let entries = paths.map { "\(JSONText.quoted($0.key)): \(JSONText.quoted($0.value))" }
            members.append("\(JSONText.quoted(pathsKey)): {\(entries.joined(separator: ", "))}")
        }
        members.append("\(JSONText.quoted(templateKey)): \(JSONText.quoted(template))")
        return "{" + members.joined(separator: ", ") + "}"
    }

    static func make(_ json: String) throws -> InputTransformer {
        try Array(json.utf8).withUnsafeBytes { try InputTransformer(json: $0) }
    }

    static func make(paths: KeyValuePairs<String, String>? = ec2Paths, template: String) throws -> InputTransformer {
        try make(json(paths: paths, template: template))
    }

    /// The rendered payload as text, and whether it is JSON; a JSON payload must also validate.
    static func render(_ transformer: InputTransformer, _ event: String, rule: String = "example",
                       ingestionTime: String = "2015-11-11T21:30:34Z") -> (text: String, isJSON: Bool) {
        let payload = Array(event.utf8).withUnsafeBytes {
            transformer.render(event: $0, ruleName: rule, ingestionTime: ingestionTime)
        }
        if payload.isJSON {
            do {
                try JSONValidator.validate(payload.bytes)
            } catch {
                Issue.record("not valid JSON (\(error)): \(String(decoding: payload.bytes, as: UTF8.self))")
            }
        }
        return (String(decoding: payload.bytes, as: UTF8.self), payload.isJSON)
    }

    static func missing(_ transformer: InputTransformer, _ event: String) -> [String] {
        Array(event.utf8).withUnsafeBytes { transformer.missingPaths(in: $0) }
    }

    /// The JSON string literal `literal` decoded.
    static func decoded(_ literal: Substring) -> String {
        var bytes: [UInt8] = []
        Array(literal.utf8).withUnsafeBytes { JSONString.unescape($0, into: &bytes) }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: - The AWS documentation's examples

    /// Each template of the guide's "Input transform examples" table with our output. Where the
    /// guide's output is not what we give, the comment says why.
    @Test(arguments: [
        // Simple string. EventBridge sends the quoted string; we send its text.
        (#""instance <instance> is in <state>""#, "instance i-0123456789 is in RUNNING", false),
        // String with escaped quotes.
        (#""instance \"<instance>\" is in <state>""#, #"instance "i-0123456789" is in RUNNING"#, false),
        // Simple JSON (minified, as EventBridge minifies).
        ("{\n  \"instance\" : <instance>,\n  \"state\": <state>\n}", #"{"instance":"i-0123456789","state":"RUNNING"}"#, true),
        // JSON with strings and variables.
        ("{\n \"instance\" : <instance>,\n \"state\": \"<state>\",\n \"instanceStatus\": \"instance \\\"<instance>\\\" is in <state>\"\n}",
         #"{"instance":"i-0123456789","state":"RUNNING","instanceStatus":"instance \"i-0123456789\" is in RUNNING"}"#, true),
        // JSON with a mix of variables and static information.
        ("{\n  \"instance\" : <instance>,\n  \"state\": [ 9, <state>, true ],\n  \"Transformed\" : \"Yes\"\n}\n",
         #"{"instance":"i-0123456789","state":[9,"RUNNING",true],"Transformed":"Yes"}"#, true),
        // Including reserved variables in a string.
        (#""<aws.events.rule-name> triggered""#, "example triggered", false),
        // Amazon CloudWatch log group. The guide's output (`"timestamp" : 2015-11-11T21:29:54Z`, an
        // unescaped quote in "message") is not JSON; ours is.
        ("{\n  \"timestamp\" : <timestamp>,\n  \"message\": \"instance \\\"<instance>\\\" is in <state>\"\n}",
         #"{"timestamp":"2015-11-11T21:29:54Z","message":"instance \"i-0123456789\" is in RUNNING"}"#, true),
        // The `$.resources[0]` input path of the same page.
        (#"{"resource": <resource>}"#, #"{"resource":"arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"}"#, true),
    ])
    func userGuideExamples(template: String, expected: String, isJSON: Bool) throws {
        let transformer = try Self.make(template: template)
        let output = Self.render(transformer, Self.ec2Event)
        #expect(output.text == expected)
        #expect(output.isJSON == isJSON)
        #expect(transformer.kind == (isJSON ? .json : .string))
    }

    /// The examples of https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html,
    /// in the API's own key spelling.
    @Test func apiReferenceExamples() throws {
        let paths: KeyValuePairs<String, String> = ["instance": "$.detail.instance", "status": "$.detail.status"]
        let event = #"{"detail":{"instance":"i-1234","status":"running"}}"#
        func output(_ template: String) throws -> (String, Bool, InputTransformer.TemplateKind) {
            let json = Self.json(paths: paths, template: template, pathsKey: "InputPathsMap", templateKey: "InputTemplate")
            let transformer = try Self.make(json)
            let rendered = Self.render(transformer, event)
            return (rendered.text, rendered.isJSON, transformer.kind)
        }
        #expect(try output("<instance> is in state <status>") == ("i-1234 is in state running", false, .text))
        #expect(try output(#"<instance> is in state "<status>""#) == (#"i-1234 is in state "running""#, false, .text))
        #expect(try output(#"{"myInstance": <instance>,"myStatus": "<instance> is in state \"<status>\""}"#)
                == (#"{"myInstance":"i-1234","myStatus":"i-1234 is in state \"running\""}"#, true, .json))
    }

    /// Behaviour recorded against AWS in LocalStack's validated snapshots
    /// (https://github.com/localstack/localstack/blob/main/tests/aws/services/events/test_events_inputs.snapshot.json):
    /// a path that matches nothing renders as the empty string, `""` outside quotes.
    @Test func missingPathsRenderAsEventBridgeRecordedThem() throws {
        let event = #"{"version":"0","detail-type":"core.update-account-command","time":"2024-05-13T12:27:20Z","detail":{"command":"update-account"}}"#
        let paths: KeyValuePairs<String, String> = [
            "detail-type": "$.detail-type", "timestamp": "$.time", "command": "$.detail.notinmessage",
        ]
        let json = try Self.make(paths: paths, template: #"{"detailType": <detail-type>,  "time": <timestamp>, "command": <command>}"#)
        #expect(Self.render(json, event).text
                == #"{"detailType":"core.update-account-command","time":"2024-05-13T12:27:20Z","command":""}"#)
        let string = try Self.make(paths: paths, template: #""Event of <detail-type> type, at time <timestamp>, info extracted from detail <command>""#)
        #expect(Self.render(string, event).text
                == "Event of core.update-account-command type, at time 2024-05-13T12:27:20Z, info extracted from detail ")
        let special = try Self.make(paths: paths, template: #""{[/Check with special starting characters for event of <detail-type> type""#)
        #expect(special.kind == .string)
        #expect(Self.render(special, event).text == "{[/Check with special starting characters for event of core.update-account-command type")
    }

    // MARK: - Quoting, escaping, kinds of values

    @Test func quotesComeWithTheValueOutsideAStringAndNotInsideOne() throws {
        let event = #"{"detail":{"s":"text","n":-12.5e1,"t":true,"f":false,"z":null}}"#
        let paths: KeyValuePairs<String, String> = ["s": "$.detail.s", "n": "$.detail.n", "t": "$.detail.t", "f": "$.detail.f", "z": "$.detail.z"]
        let outside = try Self.make(paths: paths, template: "[<s>, <n>, <t>, <f>, <z>]")
        #expect(Self.render(outside, event).text == #"["text",-12.5e1,true,false,null]"#)
        let inside = try Self.make(paths: paths, template: #"{"all": "<s> <n> <t> <f> <z>"}"#)
        #expect(Self.render(inside, event).text == #"{"all":"text -12.5e1 true false null"}"#)
        let text = try Self.make(paths: paths, template: "<s> <n> <t> <f> <z>")
        #expect(Self.render(text, event) == ("text -12.5e1 true false null", false))
    }

    /// EventBridge copies values into strings unescaped, so these would break its JSON; ours stays valid
    /// and the value comes back intact.
    @Test func quotesBackslashesAndNewlinesAreEscaped() throws {
        let event = #"{"detail":{"msg":"say \"hi\" \\ back\nslash\ttab \u0001 \/"}}"#
        let original = "say \"hi\" \\ back\nslash\ttab \u{01} /"
        let paths: KeyValuePairs<String, String> = ["msg": "$.detail.msg"]

        let json = try Self.make(paths: paths, template: #"{"m": <msg>, "s": "msg=<msg>."}"#)
        let output = Self.render(json, event).text
        #expect(output == #"{"m":"say \"hi\" \\ back\nslash\ttab \u0001 \/","s":"msg=say \"hi\" \\ back\nslash\ttab \u0001 \/."}"#)
        let inside = output.split(separator: #""s":"#)[1].dropLast()
        #expect(Self.decoded(inside.dropFirst().dropLast()) == "msg=\(original).")

        #expect(Self.render(try Self.make(paths: paths, template: "<msg>!"), event) == (original + "!", false))
        #expect(Self.render(try Self.make(paths: paths, template: #""m: <msg>""#), event) == ("m: " + original, false))
    }

    @Test func reservedTextValuesAreEscapedToo() throws {
        let transformer = try Self.make(paths: nil, template: #"{"at": <aws.events.event.ingestion-time>, "note": "at <aws.events.event.ingestion-time>"}"#)
        let output = Self.render(transformer, "{}", ingestionTime: "odd \"time\"\n")
        #expect(output.text == #"{"at":"odd \"time\"\n","note":"at odd \"time\"\n"}"#)
    }

    @Test func objectsAndArraysGoInRawOutsideStringsAndEscapedInside() throws {
        let event = """
            {"detail": {
              "obj": {"a": [1, 2], "b": "x y"},
              "arr": [ "p", {"q": null} ]
            }}
            """
        let paths: KeyValuePairs<String, String> = ["obj": "$.detail.obj", "arr": "$.detail.arr"]
        let json = try Self.make(paths: paths, template: #"{"o": <obj>, "a": <arr>, "in": "obj=<obj> arr=<arr>"}"#)
        #expect(Self.render(json, event).text
                == #"{"o":{"a":[1,2],"b":"x y"},"a":["p",{"q":null}],"in":"obj={\"a\":[1,2],\"b\":\"x y\"} arr=[\"p\",{\"q\":null}]"}"#)
        let array = try Self.make(paths: paths, template: "[<obj>, <arr>]")
        #expect(Self.render(array, event).text == #"[{"a":[1,2],"b":"x y"},["p",{"q":null}]]"#)
        let text = try Self.make(paths: paths, template: "obj <obj> arr <arr>")
        #expect(Self.render(text, event) == (#"obj {"a":[1,2],"b":"x y"} arr ["p",{"q":null}]"#, false))
    }

    @Test func aBarePlaceholderIsAJSONTemplate() throws {
        let detail = try Self.make(paths: ["detail": "$.detail"], template: " <detail> ")
        #expect(detail.kind == .json)
        #expect(Self.render(detail, Self.ec2Event) == (#"{"instance-id":"i-0123456789","state":"RUNNING"}"#, true))
        let state = try Self.make(template: "<state>")
        #expect(Self.render(state, Self.ec2Event) == (#""RUNNING""#, true))
        let number = try Self.make(paths: nil, template: "42")
        #expect(Self.render(number, Self.ec2Event) == ("42", true))
    }

    @Test func jsonTemplatesAreMinifiedButStringsKeepTheirSpaces() throws {
        let transformer = try Self.make(template: "{\n\t\"a b\" :  [ <state> ,\r\n \"  x  <instance>  \" ] ,\n \"c\":{ } }")
        #expect(Self.render(transformer, Self.ec2Event).text == #"{"a b":["RUNNING","  x  i-0123456789  "],"c":{}}"#)
    }

    // MARK: - Reserved variables

    @Test func reservedVariablesInJSON() throws {
        let transformer = try Self.make(template: """
            {"instance": <instance>, "ruleName": <aws.events.rule-name>, "originalEvent": <aws.events.event>,
             "full": <aws.events.event.json>, "ingested": <aws.events.event.ingestion-time>}
            """)
        let withoutDetail = #"{"version":"0","id":"7bf73129-1428-4cd3-a780-95db273d1602","detail-type":"EC2 Instance State-change Notification","source":"aws.ec2","account":"123456789012","time":"2015-11-11T21:29:54Z","region":"us-east-1","resources":["arn:aws:ec2:us-east-1:123456789012:instance/i-abcd1111"]}"#
        let full = String(withoutDetail.dropLast()) + #","detail":{"instance-id":"i-0123456789","state":"RUNNING"}}"#
        #expect(Self.render(transformer, Self.ec2Event, rule: "ec2-state").text
                == #"{"instance":"i-0123456789","ruleName":"ec2-state","originalEvent":"# + withoutDetail
                    + #","full":"# + full + #","ingested":"2015-11-11T21:30:34Z"}"#)
    }

    @Test func eventVariablesMayAlsoGoInsideStringsAndText() throws {
        let event = #"{"source":"aws.ec2","detail":{"k":"v"}}"#
        let json = try Self.make(paths: nil, template: #"{"raw": "event <aws.events.event.json>", "head": "<aws.events.event>"}"#)
        #expect(Self.render(json, event).text
                == #"{"raw":"event {\"source\":\"aws.ec2\",\"detail\":{\"k\":\"v\"}}","head":"{\"source\":\"aws.ec2\"}"}"#)
        let text = try Self.make(paths: nil, template: "rule <aws.events.rule-name> saw <aws.events.event.json>")
        #expect(Self.render(text, event, rule: "r1") == (#"rule r1 saw {"source":"aws.ec2","detail":{"k":"v"}}"#, false))
    }

    @Test func aKeyNamedDetailIsDroppedEvenWhenWrittenWithEscapes() throws {
        let transformer = try Self.make(paths: nil, template: "<aws.events.event>")
        #expect(Self.render(transformer, #"{"a":1,"d\u0065tail":{"x":2},"b":[3]}"#).text == #"{"a":1,"b":[3]}"#)
    }

    @Test func theRuleArnIsRefused() {
        #expect(throws: InputTransformerError.unsupportedPlaceholder(name: "aws.events.rule-arn", position: 14)) {
            try Self.make(paths: nil, template: #"{"ruleArn" : <aws.events.rule-arn>}"#)
        }
    }

    // MARK: - Missing paths

    @Test func missingPathsAreListedAndRenderEmpty() throws {
        let paths: KeyValuePairs<String, String> = ["state": "$.detail.state", "gone": "$.detail.gone", "far": "$.resources[3]"]
        let json = try Self.make(paths: paths, template: #"{"a": <gone>, "b": "[<gone>]", "c": [9, <far>, true], "s": <state>}"#)
        #expect(Self.missing(json, Self.ec2Event) == ["gone", "far"])
        #expect(Self.render(json, Self.ec2Event).text == #"{"a":"","b":"[]","c":[9,"",true],"s":"RUNNING"}"#)
        let text = try Self.make(paths: paths, template: "state=<state> gone=<gone>.")
        #expect(Self.render(text, Self.ec2Event).text == "state=RUNNING gone=.")
        #expect(Self.missing(text, #"{"detail":{"state":"x","gone":null},"resources":[0,1,2,3]}"#) == [])
        #expect(Self.missing(text, "{}") == ["state", "gone", "far"])
    }

    // MARK: - Unicode

    @Test func unicodeValuesAndTemplates() throws {
        let event = #"{"detail":{"user":"José 🚀","esc":"caf\u00e9 \ud83d\ude80"}}"#
        let paths: KeyValuePairs<String, String> = ["user": "$.detail.user", "esc": "$.detail.esc"]
        let json = try Self.make(paths: paths, template: #"{"u": <user>, "s": "¡Hola <user>! <esc>", "e": <esc>}"#)
        #expect(Self.render(json, event).text == #"{"u":"José 🚀","s":"¡Hola José 🚀! caf\u00e9 \ud83d\ude80","e":"caf\u00e9 \ud83d\ude80"}"#)
        let text = try Self.make(paths: paths, template: "¡Hola <user>! <esc>")
        #expect(Self.render(text, event) == ("¡Hola José 🚀! café 🚀", false))
        #expect(throws: InputTransformerError.undefinedPlaceholder(name: "nope", position: 4)) {
            try Self.make(paths: paths, template: #""é <nope>""#)
        }
    }

    // MARK: - Reading the inputTransformer object

    @Test func bothSpellingsAreRead() throws {
        let api = try Self.make(#"{"InputPathsMap": {"s": "detail.state"}, "InputTemplate": "<s>"}"#)
        let file = try Self.make(#"{"inputPathsMap": {"s": "$.detail.state"}, "inputTemplate": "<s>"}"#)
        #expect(api.variables.map(\.name) == ["s"])
        #expect(api.template == "<s>")
        #expect(Self.render(api, Self.ec2Event).text == Self.render(file, Self.ec2Event).text)
        #expect(try Self.make(#"{"inputTemplate": "\"<aws.events.rule-name>\""}"#).variables.isEmpty)
    }

    @Test func variablesKeepTheirOrderAndPaths() throws {
        let transformer = try Self.make(template: "<state>")
        #expect(transformer.variables.map(\.name) == ["timestamp", "instance", "state", "resource"])
        #expect(transformer.variables.map(\.path.text) == ["$.time", "$.detail.instance-id", "$.detail.state", "$.resources[0]"])
    }

    @Test(arguments: [
        (#"{"inputTemplate": "a", "InputTemplate": "b"}"#, InputTransformerError.duplicateKey("InputTemplate")),
        (#"{"inputPathsMap": {}, "inputPathsMap": {}, "inputTemplate": "a"}"#, .duplicateKey("inputPathsMap")),
        (#"{"inputPath": "$.detail", "inputTemplate": "a"}"#, .unknownKey("inputPath")),
        (#"[{"inputTemplate": "a"}]"#, .notAnObject),
        (#"{"inputTemplate": "a",}"#, .malformedJSON(reason: "Expected a double-quoted key", offset: 22)),
        (#"{"inputPathsMap": ["$.a"], "inputTemplate": "a"}"#, .pathsMapNotAnObject),
        (#"{"inputPathsMap": {"x": 1}, "inputTemplate": "<x>"}"#, .pathNotAString(variable: "x")),
        (#"{"inputPathsMap": {"x": "$.a", "x": "$.b"}, "inputTemplate": "<x>"}"#, .duplicateVariable("x")),
        (#"{"inputPathsMap": {"x": "$.a"}}"#, .missingTemplate),
        (#"{"inputTemplate": {"a": 1}}"#, .templateNotAString),
        (#"{"inputTemplate": ""}"#, .emptyTemplate),
    ])
    func malformedTransformersAreRefused(json: String, error: InputTransformerError) {
        #expect(throws: error) { try Self.make(json) }
    }

    @Test(arguments: ["my var", "a.b", "", "état", String(repeating: "v", count: 257)])
    func variableNamesFollowEventBridge(name: String) {
        #expect(throws: InputTransformerError.invalidVariableName(name)) {
            try Self.make(paths: [name: "$.detail"], template: "x")
        }
    }

    @Test(arguments: ["aws.events.rule-name", "aws.events.event", "aws.events.event.json",
                      "aws.events.event.ingestion-time", "aws.events.rule-arn", "AWS.mine"])
    func reservedNamesCannotBeRedefined(name: String) {
        #expect(throws: InputTransformerError.reservedVariableName(name)) {
            try Self.make(paths: [name: "$.detail"], template: "x")
        }
    }

    @Test func aHundredVariablesAreAllowedAndNoMore() throws {
        func paths(_ count: Int) -> String {
            (0..<count).map { "\"v\($0)\": \"$.detail.f\($0)\"" }.joined(separator: ", ")
        }
        let hundred = try Self.make(#"{"inputPathsMap": {"# + paths(100) + #"}, "inputTemplate": "<v99>"}"#)
        #expect(hundred.variables.count == 100)
        #expect(throws: InputTransformerError.tooManyVariables(count: 101)) {
            try Self.make(#"{"inputPathsMap": {"# + paths(101) + #"}, "inputTemplate": "<v100>"}"#)
        }
    }

    @Test func lengthLimitsFollowEventBridge() throws {
        let longPath = "$." + String(repeating: "a", count: 254)
        _ = try Self.make(paths: ["p": longPath], template: "<p>")
        #expect(throws: InputTransformerError.pathTooLong(variable: "p", length: 257)) {
            try Self.make(paths: ["p": longPath + "b"], template: "<p>")
        }
        _ = try Self.make(paths: nil, template: String(repeating: "t", count: 8192))
        #expect(throws: InputTransformerError.templateTooLong(length: 8193)) {
            try Self.make(paths: nil, template: String(repeating: "t", count: 8193))
        }
    }

    @Test func badPathSyntaxIsRefusedWithTheVariable() throws {
        do {
            _ = try Self.make(paths: ["user": "$.detail..name"], template: "<user>")
            Issue.record("a bad path was accepted")
        } catch let error as InputTransformerError {
            guard case .invalidPath(let variable, let syntax) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(variable == "user")
            #expect(syntax.position == 10)
            #expect(error.description
                    == #"inputTransformer: variable "user": Invalid path "$.detail..name": a field name cannot be empty (at character 10)"#)
        }
        #expect(throws: InputTransformerError.self) { try Self.make(paths: ["all": "$.detail[*]"], template: "<all>") }
    }

    // MARK: - Checking the template

    @Test func undefinedPlaceholdersAreRefusedWhereTheyStand() {
        // LocalStack's AWS-validated test: EventBridge answers "InputTemplate for target … contains
        // invalid placeholder notdefinedkey."
        let template = #""Event of <detail-type> type, with not defined key <notdefinedkey>""#
        let expected = InputTransformerError.undefinedPlaceholder(name: "notdefinedkey", position: 52)
        #expect(throws: expected) { try Self.make(paths: ["detail-type": "$.detail-type"], template: template) }
        #expect(expected.description.contains("<notdefinedkey> at character 52"))
        #expect(throws: InputTransformerError.undefinedPlaceholder(name: "b", position: 2)) {
            try Self.make(paths: nil, template: #""<b>bold</b>""#)
        }
        #expect(throws: InputTransformerError.undefinedPlaceholder(name: "x", position: 7)) {
            try Self.make(paths: nil, template: #"{"a": <x>}"#)
        }
    }

    @Test func aLessThanSignThatIsNoPlaceholderIsText() throws {
        let transformer = try Self.make(template: #""1 < 2 and <state> > <> < x > <a b>""#)
        #expect(Self.render(transformer, Self.ec2Event).text == "1 < 2 and RUNNING > <> < x > <a b>")
        let json = try Self.make(template: #"{"cmp": "a<b", "s": <state>}"#)
        #expect(Self.render(json, Self.ec2Event).text == #"{"cmp":"a<b","s":"RUNNING"}"#)
    }

    @Test func placeholdersCannotBeKeys() {
        #expect(throws: InputTransformerError.placeholderInKey(name: "state", position: 2)) {
            try Self.make(template: "{<state>: 1}")
        }
        #expect(throws: InputTransformerError.placeholderInKey(name: "state", position: 12)) {
            try Self.make(template: #"{"a": 1, "k<state>": 2}"#)
        }
        #expect(throws: InputTransformerError.placeholderInKey(name: "state", position: 16)) {
            try Self.make(template: #"{"a": {"b": 1, <state>: 2}}"#)
        }
    }

    @Test func jsonTemplatesMustBeValidJSON() {
        #expect(throws: InputTransformerError.invalidJSONTemplate(reason: "Expected a double-quoted key", position: 15)) {
            try Self.make(template: #"{"a": <state>,}"#)
        }
        #expect(throws: InputTransformerError.invalidJSONTemplate(reason: "Expected ',' or '}'", position: 15)) {
            try Self.make(template: #"{"a": <state> <instance>}"#)
        }
        #expect(throws: InputTransformerError.invalidJSONTemplate(reason: "Invalid escape '\\q'", position: 8)) {
            try Self.make(template: #"["a", "\q"]"#)
        }
        #expect(throws: InputTransformerError.self) { try Self.make(template: "[1, 2") }
    }

    @Test func aTemplateStartingWithAQuoteMustBeOneString() {
        do {
            _ = try Self.make(template: #""instance "<instance>" is in <state>""#)
            Issue.record("accepted")
        } catch let error as InputTransformerError {
            guard case .invalidJSONTemplate(let reason, let position) = error else {
                Issue.record("unexpected \(error)")
                return
            }
            #expect(reason.hasPrefix("a template that starts with a quote must be one JSON string"))
            #expect(position == 12)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func templateKinds() throws {
        #expect(try Self.make(template: "{\"a\": <state>}").kind == .json)
        #expect(try Self.make(template: "[<state>]").kind == .json)
        #expect(try Self.make(template: "null").kind == .json)
        #expect(try Self.make(template: "\"<state>\"").kind == .string)
        #expect(try Self.make(template: "state: <state>").kind == .text)
        #expect(try Self.make(template: "hi {<state>: 1}").kind == .text)
        #expect(Self.render(try Self.make(template: "hi {<state>: 1}"), Self.ec2Event) == ("hi {RUNNING: 1}", false))
    }
}

import Testing
import VigilJSON
@testable import VigilPattern

/// `PatternExplainer`: the first field that failed, what the pattern wanted there and what the
/// event had, in EventBridge's order of fields; and never a verdict other than the matcher's.
@Suite("Pattern explanations")
struct PatternExplainerTests {
    /// The explanation of `event` against `pattern`, both JSON text.
    static func explain(_ pattern: String, _ event: String) throws -> PatternExplanation? {
        try PatternExplainer.explain(try EventPattern(json: pattern), event: Array(event.utf8))
    }

    /// The explanation of a pair that must not match.
    static func failure(_ pattern: String, _ event: String,
                        sourceLocation: SourceLocation = #_sourceLocation) throws -> PatternExplanation {
        try #require(try explain(pattern, event), "expected no match", sourceLocation: sourceLocation)
    }

    @Test("a wrong value names the field, the wanted value and the event's value")
    func wrongValue() throws {
        let explanation = try Self.failure(
            #"{"source":["aws.rds"],"detail":{"requestParameters":{"publiclyAccessible":[true]}}}"#,
            #"{"source":"aws.rds","detail":{"requestParameters":{"publiclyAccessible":false}}}"#)
        #expect(explanation.path == "detail.requestParameters.publiclyAccessible")
        #expect(explanation.wanted == "[true]")
        #expect(explanation.found == .values(["false"]))
        #expect(explanation.lines == [
            "field detail.requestParameters.publiclyAccessible: the pattern wants [true], the event has false",
        ])
    }

    @Test("fields are checked in path order, so the first failing field in that order is named")
    func firstFieldInPathOrder() throws {
        // Both fields fail; event-ruler checks `detail.eventName` before `source`.
        let explanation = try Self.failure(
            #"{"source":["aws.s3"],"detail":{"eventName":[{"prefix":"Delete"}]}}"#,
            #"{"source":"aws.ec2","detail":{"eventName":"PutObject"}}"#)
        #expect(explanation.path == "detail.eventName")
        #expect(explanation.wanted == #"[{"prefix":"Delete"}]"#)
        #expect(explanation.found == .values([#""PutObject""#]))
    }

    @Test("an absent field is reported as absent, with the reason when a parent is not an object")
    func absentField() throws {
        let pattern = #"{"detail":{"requestParameters":{"publiclyAccessible":[true]}}}"#
        let missing = try Self.failure(pattern, #"{"detail":{"eventName":"CreateDBInstance"}}"#)
        #expect(missing.path == "detail.requestParameters.publiclyAccessible")
        #expect(missing.found == .absent)
        #expect(missing.lines.last == "field detail.requestParameters.publiclyAccessible: the pattern wants [true], the event does not have this field")

        let underNull = try Self.failure(pattern, #"{"detail":{"requestParameters":null}}"#)
        #expect(underNull.found == .notAnObject(path: "detail.requestParameters", value: "null"))
        #expect(underNull.lines.last?.hasSuffix("the event does not have this field (detail.requestParameters is null)") == true)

        let object = try Self.failure(pattern, #"{"detail":{"requestParameters":{"publiclyAccessible":{"value":true}}}}"#)
        #expect(object.found == .object)

        let empty = try Self.failure(pattern, #"{"detail":{"requestParameters":{"publiclyAccessible":[]}}}"#)
        #expect(empty.found == .emptyArray)
    }

    @Test("an array matches when any element does, and a failing array shows all its elements")
    func arrayElements() throws {
        let pattern = #"{"resources":[{"suffix":":bucket/logs"}]}"#
        #expect(try Self.explain(pattern, #"{"resources":["arn:a","arn:aws:s3:::x:bucket/logs"]}"#) == nil)
        let explanation = try Self.failure(pattern, #"{"resources":["arn:a","arn:b"]}"#)
        #expect(explanation.found == .values([#""arn:a""#, #""arn:b""#]))
        #expect(explanation.lines.last == #"field resources: the pattern wants [{"suffix":":bucket/logs"}], the event has ["arn:a","arn:b"]"#)
    }

    @Test("conditions under one array of objects must hold in the same element")
    func sameElementRule() throws {
        let pattern = #"{"detail":{"items":{"name":["Anna"],"role":["admin"]}}}"#
        // Each condition holds in some element, but not both in one.
        let explanation = try Self.failure(
            pattern, #"{"detail":{"items":[{"name":"Anna","role":"reader"},{"name":"Peter","role":"admin"}]}}"#)
        #expect(explanation.path == "detail.items.role")
        #expect(explanation.conflict == PatternExplanation.SameElementConflict(
            array: "detail.items", otherPath: "detail.items.name", otherWanted: #"["Anna"]"#))
        #expect(explanation.lines.last == #"field detail.items.role: no single element of detail.items satisfies both detail.items.name ["Anna"] and detail.items.role ["admin"]"#)
        // When no element has the value at all, it is an ordinary wrong value.
        let wrong = try Self.failure(pattern, #"{"detail":{"items":[{"name":"Anna","role":"reader"}]}}"#)
        #expect(wrong.conflict == nil)
        #expect(wrong.found == .values([#""reader""#]))
        #expect(try Self.explain(pattern, #"{"detail":{"items":[{"name":"Peter","role":"reader"},{"name":"Anna","role":"admin"}]}}"#) == nil)
    }

    @Test("for $or the alternative that got furthest is explained, with the number of alternatives")
    func orFurthestBranch() throws {
        let pattern = #"""
            {"source":["aws.iam"],
             "$or":[{"detail":{"eventName":["DeleteRole"]}},
                    {"detail":{"eventName":["AttachRolePolicy"],"requestParameters":{"policyArn":[{"suffix":"AdministratorAccess"}]}}},
                    {"detail":{"errorCode":["AccessDenied"]}}]}
            """#
        let event = #"{"source":"aws.iam","detail":{"eventName":"AttachRolePolicy","requestParameters":{"policyArn":"arn:aws:iam::aws:policy/ReadOnlyAccess"}}}"#
        let explanation = try Self.failure(pattern, event)
        #expect(explanation.alternativeCount == 3)
        #expect(explanation.alternative == 1)
        #expect(explanation.conditionsMet == 1)
        #expect(explanation.conditionCount == 3)
        #expect(explanation.path == "detail.requestParameters.policyArn")
        #expect(explanation.lines == [
            "none of the 3 alternatives of $or matches; alternative 2 gets furthest, with 1 of its 3 conditions met before this one:",
            #"field detail.requestParameters.policyArn: the pattern wants [{"suffix":"AdministratorAccess"}], the event has "arn:aws:iam::aws:policy/ReadOnlyAccess""#,
        ])
    }

    @Test("exists: false fails on a present field, and shows the value that is there")
    func existsFalsePresent() throws {
        let explanation = try Self.failure(
            #"{"detail":{"eventName":["ConsoleLogin"],"errorCode":[{"exists":false}]}}"#,
            #"{"detail":{"eventName":"ConsoleLogin","errorCode":"AccessDenied"}}"#)
        #expect(explanation.path == "detail.errorCode")
        #expect(explanation.wanted == #"[{"exists":false}]"#)
        #expect(explanation.found == .values([#""AccessDenied""#]))
        // `detail.errorCode` sorts before `detail.eventName`, so it is checked first.
        #expect(explanation.conditionsMet == 0)
    }

    @Test("exists: false sees only the values in the array elements already chosen")
    func existsFalseInArrays() throws {
        // `items.name` sorts first, so its element is chosen before the absence of `items.tags` is judged.
        let pattern = #"{"items":{"name":["disk"],"tags":[{"exists":false}]}}"#
        let event = #"{"items":[{"name":"disk","tags":"yes"},{"name":"net","tags":"no"}]}"#
        let explanation = try Self.failure(pattern, event)
        #expect(explanation.path == "items.tags")
        #expect(explanation.found == .values([#""yes""#]))
        #expect(explanation.conditionsMet == 1)
        #expect(try Self.explain(pattern, #"{"items":[{"name":"disk"},{"name":"net","tags":"no"}]}"#) == nil)
    }

    @Test("numeric ranges and type-exact values are quoted back as pattern text")
    func numericRange() throws {
        let explanation = try Self.failure(
            #"{"detail":{"dstport":[{"numeric":[">",0,"<=",1024]}]}}"#, #"{"detail":{"dstport":8080}}"#)
        #expect(explanation.wanted == #"[{"numeric":[">",0,"<=",1024]}]"#)
        #expect(explanation.found == .values(["8080"]))
        // A string never passes a numeric test, and the explanation shows it is a string.
        let string = try Self.failure(#"{"detail":{"dstport":[22]}}"#, #"{"detail":{"dstport":"22"}}"#)
        #expect(string.lines.last == #"field detail.dstport: the pattern wants [22], the event has "22""#)
    }

    @Test("anything-but and cidr failures")
    func anythingButAndCIDR() throws {
        let excluded = try Self.failure(
            #"{"detail":{"userIdentity":{"type":[{"anything-but":["AWSService","AWSAccount"]}]}}}"#,
            #"{"detail":{"userIdentity":{"type":"AWSService"}}}"#)
        #expect(excluded.wanted == #"[{"anything-but":["AWSService","AWSAccount"]}]"#)
        #expect(excluded.found == .values([#""AWSService""#]))

        let prefixes = try Self.failure(#"{"a":[{"anything-but":{"prefix":"arn:aws:iam"}}]}"#, #"{"a":"arn:aws:iam::1:role/x"}"#)
        #expect(prefixes.wanted == #"[{"anything-but":{"prefix":"arn:aws:iam"}}]"#)

        let cidr = try Self.failure(#"{"detail":{"srcaddr":[{"cidr":"10.0.0.7/8"}]}}"#, #"{"detail":{"srcaddr":"11.0.0.1"}}"#)
        #expect(cidr.wanted == #"[{"cidr":"10.0.0.0/8"}]"#)
        #expect(cidr.found == .values([#""11.0.0.1""#]))
    }

    @Test("test-pattern --batch adds the explanation to a no-match answer only")
    func batchAnswer() {
        let line = Array(#"{"pattern":{"a":["x"]},"event":{"a":"y"}}"#.utf8)
        #expect(PatternTester.answerBatchLine(line, explaining: true)
            == #"{"result":false,"explanation":"field a: the pattern wants [\"x\"], the event has \"y\""}"#)
        #expect(PatternTester.answerBatchLine(line) == #"{"result":false}"#)
        let matching = Array(#"{"pattern":{"a":["x"]},"event":{"a":"x"}}"#.utf8)
        #expect(PatternTester.answerBatchLine(matching, explaining: true) == #"{"result":true}"#)
    }

    // MARK: - Agreement with the engine over the conformance cases

    static let validCases = ConformanceTests.cases.filter { $0.expect != "invalid" }

    @Test("the explainer returns nil exactly when the matcher matches", arguments: validCases)
    func agreesWithMatcher(_ testCase: ConformanceTests.Case) throws {
        let pattern = try EventPattern(json: testCase.pattern)
        let event = Array(testCase.event.utf8)
        let matched = try !CompiledPatternSet([(name: "p", pattern: pattern)]).makeMatcher().match(event).isEmpty
        let explanation = try PatternExplainer.explain(pattern, event: event)
        #expect((explanation == nil) == matched,
                "pattern \(testCase.pattern) event \(testCase.event): matcher \(matched), explanation \(explanation?.description ?? "nil")")
        if let explanation {
            // The failing field is one the explained alternative names, at the position reported.
            let conditions = pattern.branches[explanation.alternative].conditions
            #expect(conditions[explanation.conditionsMet].path == explanation.path)
        }
    }

    @Test("the second walk of the event lines up leaf by leaf with the matcher's", arguments: validCases)
    func valuesAlignWithMatcher(_ testCase: ConformanceTests.Case) throws {
        let set = CompiledPatternSet([(name: "p", pattern: try EventPattern(json: testCase.pattern))])
        let matcher = set.makeMatcher()
        let event = Array(testCase.event.utf8)
        try matcher.match(event)
        let values = try event.withUnsafeBytes { bytes throws(EventError) in try EventFieldValues(event: bytes, trie: set.trie) }
        #expect(values.isAligned(with: matcher), "event \(testCase.event)")
    }

    /// The property suite's generator draws patterns and events from one small vocabulary, with
    /// arrays of objects, nested arrays, dotted keys and escapes: many more near-misses than the
    /// conformance cases hold.
    @Test("the explainer agrees with the matcher on generated patterns and events", arguments: [UInt64(41), 42])
    func agreesOnGeneratedCases(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let generated = PropertyTests.generatePatterns(&rng, count: 60)
        let events = (0..<100).map { _ in Array(GenVocabulary.event(&rng, objectArrays: rng.chance(0.5)).utf8) }
        var disagreements = 0
        var explained = 0
        for (index, pattern) in generated.compiled.enumerated() {
            let set = CompiledPatternSet([(name: "p", pattern: pattern)])
            let matcher = set.makeMatcher()
            for event in events {
                let matched = try !matcher.match(event).isEmpty
                let values = try event.withUnsafeBytes { bytes throws(EventError) in try EventFieldValues(event: bytes, trie: set.trie) }
                #expect(values.isAligned(with: matcher))
                let explanation = try PatternExplainer.explain(pattern, event: event)
                if explanation != nil { explained += 1 }
                if (explanation == nil) != matched {
                    disagreements += 1
                    if disagreements <= 5 {
                        Issue.record("""
                            pattern \(generated.texts[index]) event \(String(decoding: event, as: UTF8.self)): \
                            matcher \(matched), explanation \(explanation?.description ?? "nil")
                            """)
                    }
                }
            }
        }
        #expect(disagreements == 0)
        #expect(explained > 1000 && 6000 - explained > 500, "the generator should give both verdicts (explained \(explained) of 6000)")
    }

    @Test("every condition written back as pattern text parses to the same matchers", arguments: validCases)
    func patternTextRoundTrips(_ testCase: ConformanceTests.Case) throws {
        for branch in try EventPattern(json: testCase.pattern).branches {
            for condition in branch.conditions {
                let text = PatternText.condition(condition.matchers)
                let reparsed = try EventPattern(json: #"{"f":\#(text)}"#)
                #expect(Set(reparsed.branches[0].conditions[0].matchers) == Set(condition.matchers),
                        "\(condition.matchers) written as \(text)")
            }
        }
    }
}

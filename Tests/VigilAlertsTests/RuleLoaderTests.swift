import Foundation
import Testing
import VigilAlerts

@Suite("Rule files")
struct RuleLoaderTests {
    func load(_ text: String, name: String = "rule.json") throws -> RuleLoader.Result {
        let directory = try AlertsFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: file)
        return RuleLoader.load(paths: [file.path])
    }

    @Test func theShippedRulesLoad() {
        let loaded = RuleLoader.load(paths: [AlertsFixtures.rules])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        #expect(loaded.rules.count >= 30)
    }

    @Test func anInvalidPatternIsRefusedWithEventRulersWords() throws {
        let result = try load(#"{"name":"r1","severity":"high","eventPattern":{"detail":{"x":[{"wildcard":"a**b"}]}}}"#)
        #expect(result.rules.isEmpty)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.rule == "r1")
        #expect(result.problems.first?.reason.contains("Consecutive wildcard characters at pos 2") == true)
    }

    /// A rule whose pattern is `detail` with the fields `f0`… in `branches`, each branch an `$or`
    /// alternative (one branch: no `$or`).
    static func rule(named name: String, fieldsPerBranch branches: [Range<Int>]) -> String {
        let objects = branches.map { fields in "{" + fields.map { "\"f\($0)\":[1]" }.joined(separator: ",") + "}" }
        let detail = objects.count == 1 ? objects[0] : "{\"$or\":[" + objects.joined(separator: ",") + "]}"
        return #"{"name":"\#(name)","severity":"low","eventPattern":{"detail":\#(detail)}}"#
    }

    @Test func aPatternNamingMoreThan256FieldsIsRefusedWithEventBridgesWords() throws {
        let result = try load(Self.rule(named: "wide", fieldsPerBranch: [0..<257]))
        #expect(result.rules.map(\.name) == [])
        #expect(result.problems.map(\.reason) == ["Invalid eventPattern: Size of rule 'wide' exceeds max value of 256"])
        // Fields count once however many $or branches name them; every field named counts.
        #expect(try load(Self.rule(named: "r", fieldsPerBranch: [0..<256])).problems.isEmpty)
        #expect(try load(Self.rule(named: "r", fieldsPerBranch: [0..<256, 0..<256, 100..<200])).problems.isEmpty)
        let split = try load(Self.rule(named: "split", fieldsPerBranch: [0..<129, 129..<257]))
        #expect(split.problems.map(\.reason) == ["Invalid eventPattern: Size of rule 'split' exceeds max value of 256"])
    }

    @Test func aPatternGivenAsAStringIsAccepted() throws {
        let result = try load(#"{"name":"r1","severity":"low","eventPattern":"{\"source\":[\"aws.rds\"]}"}"#)
        #expect(result.problems.isEmpty)
        #expect(result.rules.first?.name == "r1")
    }

    @Test func everyProblemIsListed() throws {
        let result = try load(#"""
            [{"name":"dup","severity":"high","eventPattern":{"source":["a"]}},
             {"name":"dup","severity":"high","eventPattern":{"source":["a"]}},
             {"name":"bad name!","severity":"urgent","eventPattern":{"source":["a"]},"colour":"red"},
             {"severity":"low"}]
            """#)
        let reasons = result.problems.map(\.reason)
        #expect(reasons.contains { $0.contains("Duplicate rule name") })
        #expect(reasons.contains { $0.contains("The name must be") })
        #expect(reasons.contains { $0.contains("\"severity\" must be one of") })
        #expect(reasons.contains { $0.contains("Unknown key \"colour\"") })
        #expect(reasons.contains { $0.contains("A rule needs a \"name\"") })
        #expect(reasons.contains { $0.contains("A rule needs an \"eventPattern\"") })
    }

    @Test func badJSONIsReportedWithLineAndColumn() throws {
        let result = try load("{\n  \"name\": \"r\",\n  \"severity\": high\n}")
        #expect(result.problems.first?.line == 3)
        #expect(result.problems.first?.column == 15)
    }

    @Test func theShippedRulesEachHaveAMatchingAndANonMatchingTest() {
        let loaded = RuleLoader.load(paths: [AlertsFixtures.rules])
        #expect(loaded.rules.count >= 30)
        for rule in loaded.rules {
            #expect(rule.tests.contains { $0.expectation == .match }, "\(rule.name) has no matching test")
            #expect(rule.tests.contains { $0.expectation == .noMatch }, "\(rule.name) has no non-matching test")
            #expect(!rule.description.isEmpty && !rule.references.isEmpty, "\(rule.name)")
        }
    }

    @Test func dedupAndThresholdAreRead() throws {
        let result = try load(#"""
            [{"name":"d","severity":"low","eventPattern":{"source":["a"]},"dedup":{"keys":["$.detail.x","detail.y"],"window":"1h30m"}},
             {"name":"t","severity":"low","eventPattern":{"source":["a"]},"threshold":{"count":20,"window":"5m","groupBy":["$.detail.srcaddr"]}}]
            """#)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.rules[0].dedup?.window.seconds == 5_400)
        #expect(result.rules[0].dedup?.keys.map(\.text) == ["$.detail.x", "detail.y"])
        #expect(result.rules[1].threshold?.count == 20)
        #expect(result.rules[1].threshold?.window.description == "5m")
    }

    @Test func badWindowsAndPoliciesAreRefused() throws {
        let result = try load(#"""
            [{"name":"a","severity":"low","eventPattern":{"source":["a"]},"dedup":{"keys":[],"window":"1h"}},
             {"name":"b","severity":"low","eventPattern":{"source":["a"]},"dedup":{"keys":["$.x"],"window":"5 minutes"}},
             {"name":"c","severity":"low","eventPattern":{"source":["a"]},"threshold":{"count":1,"window":"5m"}},
             {"name":"d","severity":"low","eventPattern":{"source":["a"]},"threshold":{"count":5,"window":"40d"}},
             {"name":"e","severity":"low","eventPattern":{"source":["a"]},"threshold":{"count":5,"window":"5m","groupBy":["$.a[x]"]}},
             {"name":"f","severity":"low","eventPattern":{"source":["a"]},"threshold":{"count":5,"window":"5m","per":["$.a"]}},
             {"name":"g","severity":"low","eventPattern":{"source":["a"]},"threshold":{"count":5,"window":"5m"},"dedup":{"keys":["$.a"],"window":"1h"}}]
            """#)
        #expect(result.rules.isEmpty)
        let byRule = Dictionary(grouping: result.problems, by: { $0.rule ?? "" })
        #expect(byRule["a"]?.first?.reason.contains("at least one path") == true)
        #expect(byRule["b"]?.first?.reason.contains("is not a window") == true)
        #expect(byRule["c"]?.first?.reason.contains("count must be a whole number from 2") == true)
        #expect(byRule["d"]?.first?.reason.contains("is not a window") == true)
        #expect(byRule["e"]?.isEmpty == false)
        #expect(byRule["f"]?.first?.reason.contains("Unknown key \"per\"") == true)
        #expect(byRule["g"]?.first?.reason.contains("not both") == true)
    }

    @Test func timeWindowsParseAndPrint() {
        #expect(TimeWindow("30s")?.seconds == 30)
        #expect(TimeWindow("5m")?.seconds == 300)
        #expect(TimeWindow("1d")?.seconds == 86_400)
        #expect(TimeWindow("90")?.seconds == 90)
        #expect(TimeWindow("1h30m")?.description == "1h30m")
        for bad in ["", "0s", "5", "m", "5x", "5m30", "32d", "-5m", "99999999999999999999s"] where bad != "5" {
            #expect(TimeWindow(bad) == nil, "\(bad)")
        }
    }

    @Test func testsAreReadAndCheckedForShape() throws {
        let event = #"{"source":"aws.rds","detail-type":"AWS API Call via CloudTrail","detail":{"x":1}}"#
        let result = try load(#"""
            {"name":"r","severity":"low","eventPattern":{"source":["aws.rds"]},
             "tests":[{"name":"hit","event":\#(event),"expect":"match"},
                      {"event":{"source":"aws.ec2","detail-type":"x"},"expect":"no-match"},
                      {"name":"raw record","event":{"eventName":"x"},"expect":"match"},
                      {"name":"typo","event":\#(event),"expect":"matches"}]}
            """#)
        let reasons = result.problems.map(\.reason)
        #expect(reasons.contains { $0.contains("test raw record") && $0.contains("not an EventBridge event") })
        #expect(reasons.contains { $0.contains("test typo") && $0.contains("\"expect\" must be") })
        #expect(reasons.count == 2)
    }

    @Test func testEventsMayComeFromAFileBesideTheRule() throws {
        let directory = try AlertsFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("events"), withIntermediateDirectories: true)
        try Data(#"{"source":"aws.rds","detail-type":"d","detail":{}}"#.utf8).write(to: directory.appendingPathComponent("events/one.json"))
        try Data(#"""
            {"name":"r","severity":"low","eventPattern":{"source":["aws.rds"]},
             "tests":[{"name":"from file","eventFile":"events/one.json","expect":"match"},
                      {"name":"gone","eventFile":"events/missing.json","expect":"match"}]}
            """#.utf8).write(to: directory.appendingPathComponent("rule.json"))
        let result = RuleLoader.load(paths: [directory.appendingPathComponent("rule.json").path])
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.reason.contains("cannot read eventFile") == true)
    }

    @Test func pathsThatFindNothingInTheMatchingTestsAreReported() throws {
        let event = #"{"source":"aws.rds","detail-type":"d","detail":{"requestParameters":{"dBInstanceIdentifier":"orders"}}}"#
        let result = try load(#"""
            {"name":"r","severity":"low","eventPattern":{"source":["aws.rds"]},
             "inputTransformer":{"inputPathsMap":{"db":"$.detail.requestParameters.dBInstanceIdentifier",
                                                  "who":"$.detail.userIdentity.arnn"},
                                 "inputTemplate":"{\"db\":<db>,\"who\":<who>}"},
             "tests":[{"event":\#(event),"expect":"match"}]}
            """#)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.reason.contains("variable who ($.detail.userIdentity.arnn) finds nothing") == true)
    }

    @Test func describeRuleOutputComesOverUnchanged() throws {
        let result = try load(#"""
            {"Name": "rds-public", "Arn": "arn:aws:events:us-east-1:111122223333:rule/rds-public",
             "EventPattern": "{\"source\":[\"aws.rds\"],\"detail\":{\"requestParameters\":{\"publiclyAccessible\":[true]}}}",
             "State": "ENABLED", "Description": "made public", "EventBusName": "default", "CreatedBy": "111122223333"}
            """#)
        #expect(result.problems.isEmpty, "\(result.problems)")
        let rule = try #require(result.rules.first)
        #expect(rule.name == "rds-public" && rule.description == "made public" && rule.severity == .medium)
        #expect(rule.pattern.fieldPaths == ["detail.requestParameters.publiclyAccessible", "source"])
        #expect(rule.importedTargets.isEmpty)
    }

    @Test func targetsAddedToDescribeRuleOutputBecomeImportedTargets() throws {
        let result = try load(#"""
            {"Name": "rds-public", "EventPattern": "{\"source\":[\"aws.rds\"]}", "State": "ENABLED",
             "Targets": [{"Id": "sns", "Arn": "arn:aws:sns:us-east-1:111122223333:alerts"},
                         {"Id": "fn", "Arn": "arn:aws:lambda:us-east-1:111122223333:function:respond", "Input": "{}"}]}
            """#)
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.rules.first?.importedTargets
            == ["arn:aws:sns:us-east-1:111122223333:alerts", "arn:aws:lambda:us-east-1:111122223333:function:respond"])
    }

    @Test func listRulesOutputSkipsScheduledRules() throws {
        let result = try load(#"""
            {"Rules": [{"Name": "a", "EventPattern": "{\"source\":[\"aws.kms\"]}", "State": "DISABLED"},
                       {"Name": "nightly", "ScheduleExpression": "rate(1 day)", "State": "ENABLED"}]}
            """#)
        #expect(result.problems.isEmpty)
        #expect(result.rules.map(\.name) == ["a"])
        #expect(result.rules.first?.isEnabled == false)
        #expect(result.notices.first?.reason.contains("scheduled rule") == true)
    }

    @Test func cloudFormationRulesComeOverWithTheirTransformer() throws {
        let result = try load(#"""
            {"AWSTemplateFormatVersion": "2010-09-09",
             "Resources": {
               "Bucket": {"Type": "AWS::S3::Bucket"},
               "SnapshotShared": {"Type": "AWS::Events::Rule", "Properties": {
                  "Description": "snapshot shared",
                  "EventPattern": {"source": ["aws.rds"], "detail": {"eventName": ["ModifyDBSnapshotAttribute"]}},
                  "Targets": [{"Arn": {"Fn::GetAtt": ["Topic", "Arn"]}, "Id": "t1",
                               "InputTransformer": {"InputPathsMap": {"s": "$.detail.requestParameters.dBSnapshotIdentifier"},
                                                    "InputTemplate": "\"Snapshot <s> was shared\""}}]}},
               "Named": {"Type": "AWS::Events::Rule", "Properties": {"Name": "kms-off",
                  "EventPattern": "{\"source\":[\"aws.kms\"]}"}},
               "Broken": {"Type": "AWS::Events::Rule", "Properties": {"Name": "broken",
                  "EventPattern": {"source": [{"Fn::Sub": "aws.${Service}"}]}}}}}
            """#)
        // A rule without a Name is named TEMPLATE-STEM.LogicalId, so that templates load together.
        #expect(result.rules.map(\.name).sorted() == ["kms-off", "rule.SnapshotShared"])
        #expect(result.rules.first { $0.name == "rule.SnapshotShared" }?.inputTransformer != nil)
        #expect(result.problems.count == 1)
        #expect(result.problems.first?.rule == "Broken")
        #expect(result.problems.first?.reason.contains("Resources.Broken.Properties.EventPattern.source[0]") == true)
    }
}

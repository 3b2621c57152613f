import Foundation
import Testing
@testable import VigilAlerts
import VigilPattern

@Suite("CloudFormation and SAM templates")
struct CloudFormationTemplateTests {
    static let templates = AlertsFixtures.repository.appendingPathComponent("Tests/Fixtures/templates").path

    /// Loads `files` (name → text) written into one directory.
    func load(_ files: [String: String], parameters: TemplateParameters = TemplateParameters()) throws -> RuleLoader.Result {
        let directory = try AlertsFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        for (name, text) in files {
            try Data(text.utf8).write(to: directory.appendingPathComponent(name))
        }
        return RuleLoader.load(paths: [directory.path], parameters: parameters)
    }

    func pattern(_ rule: Rule?) -> String? {
        rule.map { String(decoding: $0.patternJSON, as: UTF8.self) }
    }

    @Test func anSRATemplateLoadsWithItsSubNameAndTargetARN() {
        let file = Self.templates + "/sra/sra-account-alternate-contacts-global-events.yaml"
        let bare = RuleLoader.load(paths: [file])
        #expect(bare.problems.isEmpty, "\(bare.problems)")
        #expect(bare.rules.map(\.name) == ["sra-account-alternate-contacts-forward-org-events"])
        #expect(pattern(bare.rules.first) == #"{"source":["aws.organizations"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["organizations.amazonaws.com"],"eventName":["AcceptHandshake","CreateAccountResult","TagResource"]}}"#)
        #expect(bare.rules.first?.logicalId == "rOrganizationsRule")
        // The target ARN needs pHomeRegion (no default) and the account: left out, with a notice saying what to pass.
        #expect(bare.rules.first?.importedTargets == [])
        #expect(bare.notices.contains { $0.reason.contains("--parameter pHomeRegion=VALUE") })
        let given = RuleLoader.load(paths: [file], parameters: TemplateParameters(values: ["pHomeRegion": "eu-west-1", "AWS::AccountId": "111122223333"]))
        #expect(given.rules.first?.importedTargets == ["arn:aws:events:eu-west-1:111122223333:event-bus/default"])
    }

    @Test func thePublicTemplatesLoadTogetherWithoutNameCollisions() throws {
        let loaded = RuleLoader.load(paths: [Self.templates])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        #expect(loaded.files == 10)
        // SRA 6, aws-samples 2, aws-cdk 8, Sumo Logic 2 (the same SAM event before and after SAM's transform).
        #expect(loaded.rules.count == 18)
        #expect(Set(loaded.rules.map(\.name)).count == loaded.rules.count)
        // Five rules share SRA's logical id; their resolved names keep them apart.
        #expect(loaded.rules.filter { $0.logicalId == "rOrganizationsRule" }.count == 5)
        let lifeCycle = loaded.rules.first { $0.logicalId == "rControlTowerLifeCycleRule" }
        #expect(lifeCycle?.name == "sra-account-alternate-contacts-trigger")
        #expect(pattern(lifeCycle) == #"{"source":["aws.controltower"],"detail-type":["AWS Service Event via CloudTrail"],"detail":{"eventName":["CreateManagedAccount","UpdateManagedAccount"]}}"#)
        #expect(loaded.rules.first { $0.name == "sra-account-alternate-contacts-trigger-org-update" } != nil)
        #expect(loaded.rules.first { $0.name == "sra-securityhub-org-forward-config-recorder-start" }.map(pattern)
            == #"{"source":["aws.config"],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventSource":["config.amazonaws.com"],"eventName":["StartConfigurationRecorder"]}}"#)
        // A rule without Name: the template's stem and the logical id, here 67 characters, so the
        // stem is cut and hashed to fit EventBridge's 64 and the logical id stays whole.
        let unnamed = loaded.rules.first { $0.logicalId == "GuardDutyRemediationRule" }?.name ?? ""
        #expect(unnamed.utf8.count == 64)
        #expect(unnamed.hasPrefix("amazon-guardduty-automated-res-") && unnamed.hasSuffix(".GuardDutyRemediationRule"))
        // Targets built from GetAtt are known only once deployed: noted, not refused.
        #expect(loaded.notices.contains { $0.reason.hasPrefix("Fn::GetAtt at Resources.rControlTowerLifeCycleRule.Properties.Targets[0].Arn") })
        // A SAM event is given the logical id SAM gives the rule it generates: Sumo Logic's SAM
        // template and the CloudFormation JSON SAM made of it name the same rule.
        #expect(loaded.rules.filter { $0.logicalId == "CloudWatchEventFunctionCloudWatchEventTrigger" }.map(\.name).sorted()
            == ["cloudwatchevents.CloudWatchEventFunctionCloudWatchEventTrigger", "template.CloudWatchEventFunctionCloudWatchEventTrigger"])
        #expect(pattern(loaded.rules.first { $0.logicalId == "ConsumerFunctionTrigger" })
            == #"{"source":["custom.myApp"],"detail-type":["transaction"],"detail":{"location":[{"prefix":"EUR-"}]}}"#)
        // Every loaded rule compiles, and matches as EventBridge would.
        let compiled = CompiledPatternSet(loaded.rules.map { (name: $0.name, pattern: $0.pattern) })
        #expect(try compiled.matchingNames(json: #"{"source":"custom.myApp","detail-type":"transaction","detail":{"location":"EUR-7"}}"#)
            == ["serverless-patterns-eventbridge-lambda.ConsumerFunctionTrigger"])
        #expect(try compiled.matchingNames(json: #"{"source":"aws.guardduty","detail-type":"GuardDuty Finding"}"#).count == 3)
    }

    /// AWS CDK's integration-test template for EventBridge rules: every pattern feature CDK can
    /// write (numeric ranges, cidr, exists, anything-but with prefix/suffix/wildcard/ignore-case,
    /// wildcard). Without intrinsic functions, each pattern must reach EventBridge as written.
    @Test func theCDKTemplatesPatternsComeThroughAsWritten() throws {
        let file = Self.templates + "/aws-cdk/RuleStack.template.json"
        let loaded = RuleLoader.load(paths: [file])
        #expect(loaded.problems.isEmpty, "\(loaded.problems)")
        #expect(loaded.rules.count == 8)
        let template = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file))) as? [String: Any])
        let resources = try #require(template["Resources"] as? [String: [String: Any]])
        for rule in loaded.rules {
            let logicalId = try #require(rule.logicalId)
            #expect(rule.name == "RuleStack.template." + logicalId)
            let written = (resources[logicalId]?["Properties"] as? [String: Any])?["EventPattern"] as? NSDictionary
            let loadedPattern = try JSONSerialization.jsonObject(with: Data(rule.patternJSON)) as? NSDictionary
            #expect(written != nil && written == loadedPattern, "\(logicalId)")
        }
        let compiled = CompiledPatternSet(loaded.rules.map { (name: $0.logicalId ?? "", pattern: $0.pattern) })
        #expect(try compiled.matchingNames(json: #"{"account":"PREFIX-1"}"#)
            == ["MyAnythingButPrefixRule756FC7C6", "MyAnythingButSuffixRuleB1E496DF", "MyAnythingButWildcardRuleEED7F44B",
                "MyAnythingButEqualsIgnoreCaseEBE7F91F", "MyPrefixEqualsIgnoreCaseC9726B40"])
    }

    @Test func aNameMadeFromALongStemFitsEventBridgesLimitAndStaysUnique() {
        #expect(ImportedRule.fallbackName(stem: "short", id: "rRule") == "short.rRule")
        let stem = String(repeating: "s", count: 40)
        let first = ImportedRule.fallbackName(stem: stem + "-one", id: "SomeLogicalIdOf24Chars00")
        let second = ImportedRule.fallbackName(stem: stem + "-two", id: "SomeLogicalIdOf24Chars00")
        #expect(first.utf8.count <= 64 && second.utf8.count <= 64 && first != second)
        #expect(first.hasSuffix(".SomeLogicalIdOf24Chars00") && RuleLoader.isValidName(first))
        // A Terraform address longer than the limit by itself: the whole name is cut and hashed.
        let address = "module.a.module.b." + String(repeating: "x", count: 80)
        let long = ImportedRule.fallbackName(stem: "main", id: address)
        #expect(long.utf8.count == 64 && RuleLoader.isValidName(long)
            && long != ImportedRule.fallbackName(stem: "main", id: address + "y"))
    }

    @Test func intrinsicFunctionsResolveInShortAndLongForms() throws {
        let result = try load(["stack.yaml": """
            Parameters:
              pEnv: {Type: String, Default: prod}
              pAccounts: {Type: CommaDelimitedList, Default: "111111111111,222222222222"}
              pBucket: {Type: String}
            Mappings:
              Services: {prod: {source: aws.s3}}
            Conditions:
              cProd: !Equals [!Ref pEnv, prod]
              cNotProd: !Not [!Condition cProd]
              cEither: !Or [!Condition cProd, !Condition cNotProd]
              cBoth: {"Fn::And": [{"Condition": "cProd"}, {"Condition": "cEither"}]}
            Resources:
              rRule:
                Type: AWS::Events::Rule
                Properties:
                  Name: !Join ['-', [!Ref pEnv, !Select [1, !Split [',', 'a,bucket-rule']]]]
                  EventPattern:
                    source: [!FindInMap [Services, !Ref pEnv, source]]
                    account: !Ref pAccounts
                    region: [!Ref 'AWS::Region']
                    detail:
                      bucket: [!Sub ['${Name}-${AWS::Partition}', {Name: !Ref pBucket}]]
                      tier: !If [cBoth, ["gold"], !Ref 'AWS::NoValue']
                      stack: [{"Fn::Sub": "${AWS::StackName}-${!Literal}"}]
                      export: [!ImportValue shared-key]
                      env: !If [cNotProd, [x], !Ref AWS::NoValue]
            """], parameters: TemplateParameters(values: ["pBucket": "logs", "AWS::Region": "eu-west-1"],
                                                 importValues: ["shared-key": "arn:aws:kms:eu-west-1:1:key/k"]))
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.rules.map(\.name) == ["prod-bucket-rule"])
        #expect(pattern(result.rules.first) == #"{"source":["aws.s3"],"account":["111111111111","222222222222"],"region":["eu-west-1"],"detail":{"bucket":["logs-aws"],"tier":["gold"],"stack":["stack-${Literal}"],"export":["arn:aws:kms:eu-west-1:1:key/k"]}}"#)
    }

    @Test func subKeepsTheTextAroundVariablesByteForByte() throws {
        let result = try load(["sub.yaml": """
            Parameters: {pName: {Type: String, Default: "é-東"}}
            Resources:
              rSub:
                Type: AWS::Events::Rule
                Properties:
                  EventPattern:
                    detail:
                      x: [!Sub "«${pName}»${!a}${!b}$${pName}{}$", !Sub "open ${pName", !Sub "${pName}"]
            """])
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(pattern(result.rules.first) == #"{"detail":{"x":["«é-東»${a}${b}$é-東{}$","open ${pName","é-東"]}}"#)
    }

    @Test func whatCannotBeResolvedIsRefusedWithFunctionPathAndOption() throws {
        let result = try load(["t.yaml": """
            Parameters:
              pNoDefault: {Type: String}
            Resources:
              rTopic: {Type: AWS::SNS::Topic}
              rParam:
                Type: AWS::Events::Rule
                Properties: {EventPattern: {detail: {x: [!Ref pNoDefault]}}}
              rAttr:
                Type: AWS::Events::Rule
                Properties: {EventPattern: {detail: {x: [!GetAtt rTopic.TopicName]}}}
              rAccount:
                Type: AWS::Events::Rule
                Properties: {EventPattern: {account: [!Ref AWS::AccountId]}}
              rImport:
                Type: AWS::Events::Rule
                Properties: {EventPattern: {source: [!ImportValue other-stack-source]}}
              rUnknown:
                Type: AWS::Events::Rule
                Properties: {EventPattern: {source: [{"Fn::Frobnicate": [1]}]}}
              rTag:
                Type: AWS::Events::Rule
                Properties: {EventPattern: {source: [!Rain::Embed x.txt]}}
            """])
        #expect(result.rules.isEmpty)
        let reasons = Dictionary(result.problems.map { ($0.rule ?? "", $0.reason) }, uniquingKeysWith: { $0 + " | " + $1 })
        #expect(reasons["rParam"] == "Ref at Resources.rParam.Properties.EventPattern.detail.x[0]: the parameter pNoDefault has no Default; pass --parameter pNoDefault=VALUE")
        #expect(reasons["rAttr"]?.hasPrefix("Fn::GetAtt at Resources.rAttr.Properties.EventPattern.detail.x[0]: the attribute rTopic.TopicName") == true)
        #expect(reasons["rAccount"]?.hasSuffix("pass --parameter AWS::AccountId=VALUE") == true)
        #expect(reasons["rImport"]?.hasSuffix("pass --import-value other-stack-source=VALUE") == true)
        #expect(reasons["rUnknown"] == "Fn::Frobnicate at Resources.rUnknown.Properties.EventPattern.source[0]: an unknown intrinsic function")
        #expect(reasons["rTag"]?.hasPrefix("!Rain::Embed at Resources.rTag.Properties.EventPattern.source[0]") == true)
    }

    @Test func yamlScalarsBecomeTheJSONEventBridgeReceives() throws {
        let result = try load(["s.yml": """
            Resources:
              rScalars:
                Type: AWS::Events::Rule
                Properties:
                  EventPattern:
                    detail:
                      quoted: ['123', "1.50"]
                      number: [123, 1.50, -0.5, 1e3, 0x1F, +7]
                      flag: [true, False, yes]
                      nothing: [null, ~]
                      text: [plain words, 2026-12-07]
            """])
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(pattern(result.rules.first) == #"{"detail":{"quoted":["123","1.50"],"number":[123,1.50,-0.5,1e3,31,7],"flag":[true,false,true],"nothing":[null,null],"text":["plain words","2026-12-07"]}}"#)
    }

    @Test func samEventsDisabledRulesAndJSONTextPatterns() throws {
        let result = try load(["app.template": """
            Transform: AWS::Serverless-2016-10-31
            Resources:
              Responder:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: app.handler
                  Events:
                    Findings:
                      Type: EventBridgeRule
                      Properties:
                        Pattern: {source: [aws.guardduty], detail-type: [GuardDuty Finding]}
                    Legacy:
                      Type: CloudWatchEvent
                      Properties:
                        Enabled: false
                        Pattern: {source: [aws.securityhub]}
                    Nightly:
                      Type: Schedule
                      Properties: {Schedule: rate(1 day)}
              rOff:
                Type: AWS::Events::Rule
                Properties:
                  Name: off-rule
                  State: DISABLED
                  EventPattern: '{"source": ["aws.kms"], "detail": {"n": [1.0]}}'
            """])
        #expect(result.problems.isEmpty, "\(result.problems)")
        #expect(result.rules.map(\.name) == ["app.ResponderFindings", "app.ResponderLegacy", "off-rule"])
        #expect(result.rules.map(\.isEnabled) == [true, false, false])
        #expect(result.rules.first?.logicalId == "ResponderFindings")
        #expect(pattern(result.rules.last) == #"{"source":["aws.kms"],"detail":{"n":[1.0]}}"#)
        // Disabled rules load and validate but never match (RuleSet keeps the enabled ones).
        #expect(RuleSet(result.rules).rules.map(\.name) == ["app.ResponderFindings"])
    }

    @Test func aFalseResourceConditionSkipsTheRule() throws {
        let result = try load(["c.yaml": """
            Parameters: {pOn: {Type: String, Default: "no"}}
            Conditions: {cOn: !Equals [!Ref pOn, "yes"]}
            Resources:
              rMaybe: {Type: AWS::Events::Rule, Condition: cOn, Properties: {EventPattern: {source: [a]}}}
            """])
        #expect(result.rules.isEmpty && result.problems.isEmpty)
        #expect(result.notices.first?.reason.contains("condition cOn is false") == true)
        let on = try load(["c.yaml": """
            Parameters: {pOn: {Type: String, Default: "no"}}
            Conditions: {cOn: !Equals [!Ref pOn, "yes"]}
            Resources:
              rMaybe: {Type: AWS::Events::Rule, Condition: cOn, Properties: {EventPattern: {source: [a]}}}
            """], parameters: TemplateParameters(values: ["pOn": "yes"]))
        #expect(on.rules.map(\.name) == ["c.rMaybe"])
    }

    @Test func damagedTemplatesGiveClearProblemsAndTheRestLoads() throws {
        let bomb = (1...9).map { level in
            "  l\(level): &l\(level) [" + Array(repeating: "*l\(level - 1)", count: 10).joined(separator: ",") + "]"
        }.joined(separator: "\n")
        let result = try load([
            "good.yaml": "Resources:\n  rGood: {Type: AWS::Events::Rule, Properties: {EventPattern: {source: [ok]}}}\n",
            "malformed.yaml": "Resources:\n  rBad:\n    Type: AWS::Events::Rule\n   Properties: [unclosed\n",
            "notobject.yaml": "Resources:\n  rList: {Type: AWS::Events::Rule, Properties: {EventPattern: [a, b]}}\n",
            "circle.yaml": "Conditions:\n  a: !Condition b\n  b: !Not [!Condition a]\nResources:\n  rC: {Type: AWS::Events::Rule, Properties: {EventPattern: {source: !If [a, [x], [y]]}}}\n",
            "bomb.yaml": "Metadata:\n  l0: &l0 [lol]\n\(bomb)\nResources:\n  rBomb: {Type: AWS::Events::Rule, Properties: {EventPattern: {source: *l9}}}\n",
            "plain.yml": "just: text\n",
            // Yams hashes mapping keys; a key aliasing the bomb kept the loader busy past 60 s.
            "keybomb.yaml": "Metadata:\n  l0: &l0 [lol]\n\(bomb)\n  k: {? *l9 : x}\nResources: {}\n",
            "aliaskey.yaml": "Metadata:\n  a: &a k\n  m: {? *a : v}\nResources: {}\n",
            // 20,000 conditions each naming the next overflowed the stack.
            "chain.yaml": "Conditions:\n" + (0..<20_000).map { "  c\($0): !Condition c\($0 + 1)\n" }.joined()
                + "  c20000: !Equals [a, a]\nResources:\n  rChain: {Type: AWS::Events::Rule, Condition: c0, Properties: {EventPattern: {source: [x]}}}\n",
        ])
        #expect(result.rules.map(\.name) == ["good.rGood"])
        let byFile = Dictionary(result.problems.map { (($0.file as NSString).lastPathComponent, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(byFile["malformed.yaml"]?.line == 4)
        #expect(byFile["malformed.yaml"]?.reason.hasPrefix("Not valid YAML") == true)
        #expect(byFile["notobject.yaml"]?.reason.contains("an event pattern must be an object (or JSON text), not a list") == true)
        #expect(byFile["circle.yaml"]?.reason.contains("in a circle: a → b → a") == true)
        #expect(byFile["bomb.yaml"]?.reason.contains("billion laughs") == true)
        #expect(byFile["plain.yml"]?.reason.contains("no \"Resources\"") == true)
        #expect(byFile["keybomb.yaml"]?.reason.contains("billion laughs") == true)
        #expect(byFile["aliaskey.yaml"]?.reason.contains("An alias is used as a mapping key") == true)
        #expect(byFile["chain.yaml"]?.reason == "Condition at Conditions.c100: the conditions name each other more than 100 deep")
    }

    @Test func terraformStateAndPlanJSON() throws {
        let state = #"""
            {"format_version":"1.0","terraform_version":"1.9.5","values":{"root_module":{"resources":[
              {"address":"aws_cloudwatch_event_rule.console_login","mode":"managed","type":"aws_cloudwatch_event_rule","name":"console_login",
               "provider_name":"registry.terraform.io/hashicorp/aws","schema_version":1,
               "values":{"arn":"arn:aws:events:us-east-1:111122223333:rule/capture-console-login","description":"Capture each AWS Console Sign In",
                 "event_bus_name":"default","event_pattern":"{\"detail-type\":[\"AWS Console Sign In via CloudTrail\"],\"detail\":{\"n\":[1.50]}}",
                 "force_destroy":false,"id":"capture-console-login","is_enabled":true,"name":"capture-console-login","name_prefix":"","role_arn":"",
                 "schedule_expression":"","state":"ENABLED","tags":{},"tags_all":{}},"sensitive_values":{"tags":{},"tags_all":{}}},
              {"address":"aws_cloudwatch_event_target.sns","mode":"managed","type":"aws_cloudwatch_event_target","name":"sns",
               "provider_name":"registry.terraform.io/hashicorp/aws","schema_version":1,
               "values":{"arn":"arn:aws:sns:us-east-1:111122223333:aws-console-logins","event_bus_name":"default","id":"capture-console-login-SendToSNS",
                 "input":"","input_path":"","input_transformer":[{"input_paths":{"who":"$.detail.userIdentity.arn"},"input_template":"\"<who> signed in\""}],
                 "rule":"capture-console-login","target_id":"SendToSNS"}}],
              "child_modules":[{"address":"module.nightly","resources":[
                {"address":"module.nightly.aws_cloudwatch_event_rule.cron","mode":"managed","type":"aws_cloudwatch_event_rule","name":"cron",
                 "values":{"name":"nightly","event_pattern":null,"schedule_expression":"rate(1 day)","state":"ENABLED"}}]}]}}}
            """#
        let plan = #"""
            {"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":[
              {"address":"aws_cloudwatch_event_rule.off","mode":"managed","type":"aws_cloudwatch_event_rule","name":"off",
               "values":{"description":null,"event_bus_name":"default","event_pattern":"{\"source\":[\"aws.iam\"]}","is_enabled":null,
                 "name":"iam-off","schedule_expression":null,"state":"DISABLED"}},
              {"address":"aws_cloudwatch_event_rule.computed","mode":"managed","type":"aws_cloudwatch_event_rule","name":"computed",
               "values":{"name":"computed","state":"ENABLED"}}]}},
             "resource_changes":[{"address":"aws_cloudwatch_event_rule.computed","mode":"managed","type":"aws_cloudwatch_event_rule",
               "name":"computed","change":{"actions":["create"],"before":null,"after":{"name":"computed"},"after_unknown":{"arn":true,"event_pattern":true}}}]}
            """#
        let result = try load(["main.tfstate.json": state, "plan.json": plan])
        #expect(result.rules.map(\.name) == ["capture-console-login", "iam-off"])
        let login = result.rules.first
        #expect(pattern(login) == #"{"detail-type":["AWS Console Sign In via CloudTrail"],"detail":{"n":[1.50]}}"#)
        #expect(login?.importedTargets == ["arn:aws:sns:us-east-1:111122223333:aws-console-logins"])
        #expect(login?.inputTransformer?.template == "\"<who> signed in\"")
        #expect(login?.logicalId == "aws_cloudwatch_event_rule.console_login")
        #expect(result.rules.last?.isEnabled == false)
        #expect(result.problems.map(\.rule) == ["aws_cloudwatch_event_rule.computed"])
        #expect(result.problems.first?.reason.contains("known only after apply") == true)
        #expect(result.notices.contains { $0.rule == "module.nightly.aws_cloudwatch_event_rule.cron" })
    }
}

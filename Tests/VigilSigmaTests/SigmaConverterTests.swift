import Foundation
import Testing
import VigilAlerts
import VigilPattern
@testable import VigilSigma

/// The conversion of single Sigma detections: what each construct becomes, and what is refused.
/// The detections are cut down from SigmaHQ's AWS rules (DRL 1.1; ../shared/corpus/SOURCES.md).
@Suite("Sigma conversion")
struct SigmaConverterTests {
    private func converted(_ detection: String, level: String = "medium") throws -> ConvertedSigmaRule {
        switch SigmaFixtures.convert(SigmaFixtures.rule(detection, level: level)) {
        case .success(let rule): return rule
        case .failure(let problem): throw problem
        }
    }

    private func problem(_ yaml: String, file: String = "rule.yml") -> SigmaProblem? {
        if case .failure(let problem) = SigmaFixtures.convert(yaml, file: file) { return problem }
        return nil
    }

    @Test("fields map into detail, values compare regardless of case, and eventSource gives source")
    func plainSelection() throws {
        let rule = try converted("""
                selection:
                    eventSource: ec2.amazonaws.com
                    eventName:
                        - AuthorizeSecurityGroupIngress
                        - RevokeSecurityGroupIngress
                condition: selection
            """, level: "high")
        #expect(try SigmaFixtures.pattern(rule) == """
            {"detail":{"eventName":[{"equals-ignore-case":"AuthorizeSecurityGroupIngress"},{"equals-ignore-case":"RevokeSecurityGroupIngress"}],\
            "eventSource":[{"equals-ignore-case":"ec2.amazonaws.com"}]},"detail-type":[{"suffix":"via CloudTrail"}],\
            "source":[{"equals-ignore-case":"aws.ec2"}]}
            """)
        let loaded = try SigmaFixtures.load(rule)
        #expect(loaded.problems.isEmpty)
        let vigilRule = try #require(loaded.rules.first)
        #expect(vigilRule.name == "sigma-rule")
        #expect(vigilRule.severity == .high)
        #expect(vigilRule.tags.contains("sigma.id=00000000-1111-4222-8333-444444444444"))
        #expect(vigilRule.tags.contains("attack.t1562.008"))
        #expect(vigilRule.tags.contains("sigma.falsepositives=Administrators"))
        #expect(vigilRule.references == ["https://example.com/sigma", "sigma:00000000-1111-4222-8333-444444444444"])
        #expect(vigilRule.description.contains("False positives: Administrators."))
        let outcomes = RuleTestRunner.run(vigilRule)
        #expect(outcomes.contains { $0.test.expectation == .match } && outcomes.contains { $0.test.expectation == .noMatch })
        #expect(outcomes.allSatisfy { $0.passed })
    }

    @Test("1 of selection_status_* with null merges into one field: equal, null or absent")
    func nullAlternatives() throws {
        let rule = try converted("""
                selection_event_name:
                    eventName: 'DeleteBucket'
                selection_status_success:
                    errorCode: 'Success'
                selection_status_null:
                    errorCode: null
                condition: selection_event_name and 1 of selection_status_*
            """)
        #expect(try SigmaFixtures.pattern(rule) == """
            {"detail":{"errorCode":[{"equals-ignore-case":"Success"},null,{"exists":false}],"eventName":[{"equals-ignore-case":"DeleteBucket"}]},\
            "detail-type":[{"suffix":"via CloudTrail"}]}
            """)
    }

    @Test("not over one field is anything-but; over several, De Morgan's $or of anything-buts")
    func negations() throws {
        let single = try converted("""
                selection:
                    userIdentity.type: Root
                filter:
                    eventType: AwsServiceEvent
                condition: selection and not filter
            """)
        #expect(try SigmaFixtures.pattern(single).contains(#""eventType":[{"anything-but":{"equals-ignore-case":"AwsServiceEvent"}}]"#))
        let several = try converted("""
                selection:
                    eventSource: s3.amazonaws.com
                filter:
                    eventName: ListBuckets
                    userIdentity.type: AssumedRole
                condition: selection and not filter
            """)
        let pattern = try SigmaFixtures.pattern(several)
        #expect(pattern.contains(#""$or":[{"detail":{"eventName":[{"anything-but":{"equals-ignore-case":"ListBuckets"}}]}},{"detail":{"userIdentity":{"type":[{"anything-but":{"equals-ignore-case":"AssumedRole"}}]}}}]"#))
        #expect(try SigmaFixtures.load(several).rules.first.map { RuleTestRunner.run($0).allSatisfy { $0.passed } } == true)
    }

    @Test("modifiers: startswith and endswith ignore case, letterless contains and re literals are wildcards, cidr, exists")
    func modifiers() throws {
        let rule = try converted("""
                selection:
                    eventName|startswith: 'UpdateFunctionConfiguration'
                    userAgent|endswith: '/2.0'
                    requestParameters.layers|contains: '*'
                    sourceIPAddress|cidr: '203.0.113.0/24'
                    requestParameters.name|re: '^trail-1$'
                    requestParameters.bucket|re: '\\.s3\\.'
                    responseElements.id|exists: true
                condition: selection
            """)
        let pattern = try SigmaFixtures.pattern(rule)
        #expect(pattern.contains(#""eventName":[{"prefix":{"equals-ignore-case":"UpdateFunctionConfiguration"}}]"#))
        #expect(pattern.contains(#""userAgent":[{"suffix":{"equals-ignore-case":"/2.0"}}]"#))
        #expect(pattern.contains(#""layers":[{"wildcard":"*"}]"#))
        #expect(pattern.contains(#""sourceIPAddress":[{"cidr":"203.0.113.0/24"}]"#))
        #expect(pattern.contains(#""name":["trail-1"]"#))
        #expect(pattern.contains(#""bucket":[{"wildcard":"*.s3.*"}]"#))
        #expect(pattern.contains(#""id":[{"exists":true}]"#))
        let loaded = try SigmaFixtures.load(rule)
        #expect(loaded.problems.isEmpty)
        let outcomes = RuleTestRunner.run(try #require(loaded.rules.first))
        #expect(outcomes.allSatisfy { $0.passed })
        // The prefix compared regardless of case has a test spelled in the other case.
        #expect(outcomes.contains { $0.test.name.hasPrefix("matches whatever the case") })
    }

    @Test("a Sigma string value \"false\" also matches CloudTrail's boolean false")
    func booleanText() throws {
        let rule = try converted("""
                selection:
                    requestParameters.enable: 'false'
                condition: selection
            """)
        #expect(try SigmaFixtures.pattern(rule).contains(#""enable":[{"equals-ignore-case":"false"},false]"#))
    }

    /// A Sigma value is text, and a SIEM compares a JSON number by its text: `fromPort: 22` (or
    /// `'22'`) selects CloudTrail's `"fromPort": 22`, so the pattern takes the number too.
    @Test("a Sigma value that is an integer also matches CloudTrail's JSON number")
    func numberText() throws {
        let rule = try converted("""
                selection:
                    eventName: AuthorizeSecurityGroupIngress
                    requestParameters.ipPermissions.items.fromPort: 22
                    requestParameters.ipPermissions.items.toPort: '-1'
                condition: selection
            """)
        let pattern = try SigmaFixtures.pattern(rule)
        #expect(pattern.contains(#""fromPort":[{"equals-ignore-case":"22"},22]"#), "\(pattern)")
        #expect(pattern.contains(#""toPort":[{"equals-ignore-case":"-1"},-1]"#), "\(pattern)")
        let event = #"{"detail-type":"AWS API Call via CloudTrail","source":"aws.ec2","detail":{"eventName":"AuthorizeSecurityGroupIngress","requestParameters":{"ipPermissions":{"items":[{"fromPort":22,"toPort":-1}]}}}}"#
        let object = try JSONSerialization.jsonObject(with: Data(rule.text.utf8)) as! [String: Any]
        let patternData = try JSONSerialization.data(withJSONObject: object["eventPattern"]!)
        #expect(PatternTester.test(pattern: Array(patternData), event: Array(event.utf8)) == .match)
        // Under `not`, one anything-but cannot exclude both the text and the number.
        let negated = problem(SigmaFixtures.rule("""
                selection:
                    eventName: AuthorizeSecurityGroupIngress
                filter:
                    requestParameters.ipPermissions.items.fromPort: 443
                condition: selection and not filter
            """))
        #expect(negated?.kind == .refused && negated?.reason.contains("JSON number") == true, "\(negated?.reason ?? "converted")")
    }

    @Test("what an event pattern cannot say exactly is refused, naming the construct", arguments: [
        ("userAgent|contains: 'S3 Browser'", "regardless of case"),
        ("userIdentity.arn|re: '.+:assumed-role/aws:.+'", "not a plain literal"),
        ("userIdentity.arn|fieldref: requestParameters.userName", "fieldref"),
        ("userAgent|base64: 'abc'", "base64"),
        ("eventName|startswith: 'Get?ser'", "single-character wildcard"),
        ("sourceIPAddress|contains|all:\n            - '10.'\n            - '.7'", "`all`"),
        ("requestParameters|contains: 'Suspended'", "is an object"),
        ("userIdentity.arn|contains: responseElements.accessKey.userName", "was `|fieldref` meant?"),
    ])
    func refusals(selection: String, words: String) {
        let yaml = SigmaFixtures.rule("""
                selection:
                    \(selection)
                condition: selection
            """)
        let found = problem(yaml)
        #expect(found?.kind == .refused)
        #expect(found?.reason.contains(words) == true, "\(found?.reason ?? "converted")")
    }

    @Test("refused: keyword searches, a field tested twice in one alternative, not over a case-insensitive prefix")
    func structuralRefusals() {
        let keywords = problem(SigmaFixtures.rule("""
                keywords:
                    - 'StopLogging'
                condition: keywords
            """))
        #expect(keywords?.kind == .refused && keywords?.reason.contains("keyword") == true)
        let twice = problem(SigmaFixtures.rule("""
                selection:
                    eventName: ListBuckets
                filter:
                    eventName|startswith: List
                condition: selection and not filter
            """))
        #expect(twice?.kind == .refused && twice?.reason.contains("tested twice") == true, "\(twice?.reason ?? "converted")")
        let notPrefix = problem(SigmaFixtures.rule("""
                selection:
                    eventSource: iam.amazonaws.com
                filter:
                    userAgent|startswith: Boto
                condition: selection and not filter
            """))
        #expect(notPrefix?.kind == .refused && notPrefix?.reason.contains("case") == true, "\(notPrefix?.reason ?? "converted")")
        let counted = problem(SigmaFixtures.rule("""
                selection:
                    eventName: ListBuckets
                condition: selection | count() > 5
            """))
        #expect(counted?.kind == .refused && counted?.reason.contains("aggregation") == true)
    }

    @Test("damaged files: each says what is wrong", arguments: [
        ("title: x\nlogsource: [unclosed\n", "not valid YAML"),
        ("title: x\nlogsource:\n    product: aws\n    service: cloudtrail\n", "no \"detection\""),
        ("title: x\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n    selection:\n        eventName: X\n", "no \"condition\""),
        ("title: x\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n    selection:\n        eventName|sounds_like: X\n    condition: selection\n",
         "unknown modifier \"sounds_like\""),
        ("title: x\nlogsource:\n    product: windows\n    category: process_creation\ndetection:\n    selection:\n        Image: x\n    condition: selection\n",
         "not an AWS CloudTrail rule"),
        ("title: x\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n    selection:\n        eventName: X\n    condition: selection and filter\n",
         "\"filter\", which is not a search identifier"),
        ("title: x\nlogsource:\n    product: aws\n    service: cloudtrail\ndetection:\n    selection:\n        eventName: X\n    condition: (selection\n",
         "never closed"),
        ("- just\n- a list\n", "must be a YAML mapping"),
    ])
    func damaged(yaml: String, words: String) {
        let found = problem(yaml)
        #expect(found?.kind == .damaged)
        #expect(found?.reason.contains(words) == true, "\(found?.reason ?? "converted")")
    }

    @Test("a directory with damaged and refused files converts the rest")
    func importKeepsGoing() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("sigma-import-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "title: [broken".write(to: directory.appendingPathComponent("a_broken.yml"), atomically: true, encoding: .utf8)
        try SigmaFixtures.rule("""
                selection:
                    userAgent|contains: 'TruffleHog'
                condition: selection
            """).write(to: directory.appendingPathComponent("b_refused.yml"), atomically: true, encoding: .utf8)
        try SigmaFixtures.rule("""
                selection:
                    eventName: DeleteTrail
                condition: selection
            """).write(to: directory.appendingPathComponent("c_good.yaml"), atomically: true, encoding: .utf8)
        try Data([0xff, 0xfe, 0x00]).write(to: directory.appendingPathComponent("d_binary.yml"))
        try "not sigma".write(to: directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        let outcome = SigmaImport.run(paths: [directory.path])
        #expect(outcome.files == 4)
        #expect(outcome.rules.map(\.name) == ["sigma-c-good"])
        #expect(outcome.problems.map(\.kind) == [.damaged, .refused, .damaged])
        #expect(outcome.problems.map { ($0.file as NSString).lastPathComponent } == ["a_broken.yml", "b_refused.yml", "d_binary.yml"])
    }

    @Test("rule names: sigma- and the file's stem in EventBridge's alphabet, at most 64 characters")
    func names() {
        #expect(SigmaConverter.ruleName(file: "/x/aws_cloudtrail_disable_logging.yml", title: "t") == "sigma-aws-cloudtrail-disable-logging")
        #expect(SigmaConverter.ruleName(file: String(repeating: "a", count: 80) + ".yaml", title: "t").count == 64)
        #expect(SigmaConverter.ruleName(file: "-", title: "Root Account Usage") == "sigma-root-account-usage")
    }
}

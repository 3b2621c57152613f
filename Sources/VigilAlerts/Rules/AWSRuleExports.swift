/// EventBridge rules as AWS exports them, translated to Vigil's rule keys so that existing rules
/// come over unchanged:
///
/// * `aws events describe-rule` output: `{"Name", "EventPattern" (a JSON string), "State", "Description", …}`,
///   with the rule's `Targets` (as `aws events list-targets-by-rule` prints them) if they are added,
///   whose ARNs `--import-targets` makes sinks of;
/// * `aws events list-rules` output: `{"Rules": [ … the same … ]}`;
/// * a CloudFormation JSON template: every `AWS::Events::Rule` resource's `Properties`
///   (`Name` — or the logical id when the name is generated —, `EventPattern` as an object or a
///   string, `State`, `Description`, and the first `InputTransformer` among its `Targets`).
///
/// Imported rules get severity medium and the default sinks: the exports say nothing of either.
/// Scheduled rules (no `EventPattern`) cannot run on log events and are skipped with a notice.
enum AWSRuleExports {
    static func readDescribeRule(_ document: RuleDocument, range: Range<Int>, into result: inout RuleLoader.Result) {
        readAPIRule(document, range: range, label: nil, export: "describe-rule output", into: &result)
    }

    static func readListRules(_ document: RuleDocument, rules: Range<Int>, into result: inout RuleLoader.Result) {
        for (index, element) in document.elements(rules).enumerated() {
            guard document.isObject(element) else {
                let (line, column) = document.lineAndColumn(of: element.lowerBound)
                result.problems.append(RuleProblem(file: document.file, rule: "Rules[\(index)]", line: line, column: column,
                                                   reason: "Each entry of \"Rules\" must be an object"))
                continue
            }
            readAPIRule(document, range: element, label: "Rules[\(index)]", export: "list-rules output", into: &result)
        }
    }

    private static func readAPIRule(_ document: RuleDocument, range: Range<Int>, label: String?, export: String,
                                    into result: inout RuleLoader.Result) {
        let fields = document.fields(of: range)
        let renamed = translate(fields, ["Name": "name", "Description": "description", "State": "state",
                                         "EventPattern": "eventPattern"])
        guard renamed["eventPattern"] != nil else {
            notice(document, at: range, rule: fields["Name"].flatMap(document.string) ?? label,
                   "a scheduled rule (no EventPattern) in \(export) has nothing to match in logs; skipped", into: &result)
            return
        }
        let before = result.rules.count
        RuleDecoder(document: document, range: range, label: label, spelling: .imported(export), preparedFields: renamed)
            .decode(into: &result)
        if result.rules.count > before, let targets = fields["Targets"], document.isArray(targets) {
            result.rules[before].importedTargets = document.elements(targets).compactMap { target in
                document.isObject(target) ? document.fields(of: target)["Arn"].flatMap(document.string) : nil
            }
        }
    }

    static func readCloudFormation(_ document: RuleDocument, resources: Range<Int>, into result: inout RuleLoader.Result) {
        guard document.isObject(resources) else {
            result.problems.append(RuleProblem(file: document.file, reason: "\"Resources\" of a CloudFormation template must be an object"))
            return
        }
        var found = 0
        for resource in document.members(of: resources) where document.isObject(resource.value) {
            let fields = document.fields(of: resource.value)
            guard fields["Type"].flatMap(document.string) == "AWS::Events::Rule" else { continue }
            found += 1
            guard let propertiesRange = fields["Properties"], document.isObject(propertiesRange) else {
                notice(document, at: resource.value, rule: resource.key, "the resource has no Properties; skipped", into: &result)
                continue
            }
            let properties = document.fields(of: propertiesRange)
            var renamed = translate(properties, ["Description": "description", "State": "state", "EventPattern": "eventPattern"])
            guard renamed["eventPattern"] != nil else {
                notice(document, at: propertiesRange, rule: resource.key,
                       "a scheduled rule (no EventPattern) has nothing to match in logs; skipped", into: &result)
                continue
            }
            // A generated name (no Name, or an intrinsic function such as Fn::Sub) is replaced by the
            // logical id, the name the author knows the rule by.
            if let name = properties["Name"], document.string(name) != nil {
                renamed["name"] = name
            }
            var decoder = RuleDecoder(document: document, range: propertiesRange, label: resource.key,
                                      spelling: .imported("CloudFormation template"))
            decoder.preparedFields = withTransformer(renamed, targets: properties["Targets"], document: document,
                                                     rule: resource.key, into: &result)
            if renamed["name"] == nil { decoder.nameOverride = resource.key }
            decoder.decode(into: &result)
        }
        if found == 0 {
            result.notices.append(RuleProblem(file: document.file, reason: "The CloudFormation template has no AWS::Events::Rule resources"))
        }
    }

    private static func withTransformer(_ fields: [String: Range<Int>], targets: Range<Int>?, document: RuleDocument,
                                        rule: String, into result: inout RuleLoader.Result) -> [String: Range<Int>] {
        guard let targets, document.isArray(targets) else { return fields }
        var fields = fields
        var transformers: [Range<Int>] = []
        for target in document.elements(targets) where document.isObject(target) {
            if let transformer = document.fields(of: target)["InputTransformer"] { transformers.append(transformer) }
        }
        if let first = transformers.first {
            fields["inputTransformer"] = first
            let distinct = Set(transformers.map { Array(document.bytes[$0]) })
            if distinct.count > 1 {
                notice(document, at: first, rule: rule,
                       "targets transform the event differently; Vigil's webhooks use the first InputTransformer", into: &result)
            }
        }
        return fields
    }

    private static func translate(_ fields: [String: Range<Int>], _ names: [String: String]) -> [String: Range<Int>] {
        var translated: [String: Range<Int>] = [:]
        for (awsName, vigilName) in names {
            if let range = fields[awsName] { translated[vigilName] = range }
        }
        return translated
    }

    private static func notice(_ document: RuleDocument, at range: Range<Int>, rule: String?, _ reason: String,
                               into result: inout RuleLoader.Result) {
        let (line, column) = document.lineAndColumn(of: range.lowerBound)
        result.notices.append(RuleProblem(file: document.file, rule: rule, line: line, column: column, reason: reason))
    }
}

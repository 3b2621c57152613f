/// EventBridge rules as AWS exports them, translated to Vigil's rule keys so that existing rules
/// come over unchanged:
///
/// * `aws events describe-rule` output: `{"Name", "EventPattern" (a JSON string), "State", "Description", …}`;
/// * `aws events list-rules` output: `{"Rules": [ … the same … ]}`;
/// * either with the rule's targets added as `list-targets-by-rule` gives them (`"Targets": [{"Id",
///   "Arn", …}]`), whose ARNs become the rule's `importedTargets`.
///
/// (Templates, JSON or YAML, are `CloudFormationTemplate`'s; Terraform's JSON is `TerraformRules`'.)
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
        // describe-rule does not list targets (list-targets-by-rule does); a rule written with
        // them added, as `{"Targets": [{"Id", "Arn", …}]}` beside its fields, keeps their ARNs.
        if result.rules.count > before, let targets = fields["Targets"], document.isArray(targets) {
            result.rules[before].importedTargets = document.elements(targets).compactMap { target in
                document.isObject(target) ? document.fields(of: target)["Arn"].flatMap(document.string) : nil
            }
        }
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

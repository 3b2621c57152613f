/// EventBridge rules from Terraform's JSON (`terraform show -json` of a state, or of a saved plan):
/// every `aws_cloudwatch_event_rule` of the root module and its child modules, with the input
/// transformer and ARN of the `aws_cloudwatch_event_target`s that name it.
///
/// Terraform holds `event_pattern` as JSON text, which EventBridge receives as it is. A state's
/// resources are under `values`, a plan's under `planned_values` (there an attribute known only
/// after apply is absent, and `resource_changes[].change.after_unknown` says so). A rule is named
/// by its `name`, else `STEM.ADDRESS`; its `logicalId` is its address.
enum TerraformRules {
    static let source = "Terraform JSON"

    /// Whether a JSON file's top-level members are those of Terraform's JSON output.
    static func isTerraformJSON(_ fields: [String: Range<Int>]) -> Bool {
        fields["format_version"] != nil && (fields["values"] != nil || fields["planned_values"] != nil)
    }

    private struct Resource {
        let address: String
        let type: String
        let values: TemplateNode
        let line: Int
    }

    static func read(_ root: TemplateNode, file: String, into result: inout RuleLoader.Result) {
        let isPlan = root["planned_values"] != nil
        guard let module = (isPlan ? root["planned_values"] : root["values"])?["root_module"] else {
            result.notices.append(RuleProblem(file: file, reason: "The Terraform JSON has no root_module (an empty state?)"))
            return
        }
        var resources: [Resource] = []
        collect(module, into: &resources, depth: 0)
        var unknown: [String: Set<String>] = [:]
        for change in root["resource_changes"]?.elements ?? [] {
            guard let address = change["address"]?.string, let afterUnknown = change["change"]?["after_unknown"]?.members else { continue }
            unknown[address] = Set(afterUnknown.filter { if case .bool(true) = $0.value.kind { true } else { false } }.map(\.key))
        }
        let stem = CloudFormationTemplate.stem(of: file)
        let targets = resources.filter { $0.type == "aws_cloudwatch_event_target" }
        var found = 0
        for resource in resources where resource.type == "aws_cloudwatch_event_rule" {
            found += 1
            let values = resource.values
            let ruleName = values["name"]?.string
            let unknownHere = unknown[resource.address] ?? []
            guard let pattern = values["event_pattern"], case .string = pattern.kind else {
                if unknownHere.contains("event_pattern") {
                    result.problems.append(RuleProblem(file: file, rule: resource.address, line: resource.line,
                                                       reason: "event_pattern is known only after apply (it depends on values the plan does not know)"))
                } else {
                    result.notices.append(RuleProblem(file: file, rule: resource.address, line: resource.line,
                                                      reason: "a scheduled rule (no event_pattern) has nothing to match in logs; skipped"))
                }
                continue
            }
            var rule = ImportedRule(name: ruleName ?? ImportedRule.fallbackName(stem: stem, id: resource.address),
                                    eventPattern: TemplateJSONWriter.json(pattern), logicalId: resource.address, line: resource.line)
            rule.description = values["description"]?.string
            if let state = values["state"]?.string {
                rule.state = state
            } else if case .bool(false)? = values["is_enabled"]?.kind {
                rule.state = "DISABLED"
            }
            for target in targets where ruleName != nil && target.values["rule"]?.string == ruleName {
                if let arn = target.values["arn"]?.string { rule.importedTargets.append(arn) }
                if rule.inputTransformer == nil, let transformer = target.values["input_transformer"]?.elements?.first {
                    rule.inputTransformer = inputTransformer(transformer)
                }
            }
            rule.decode(file: file, source: source, into: &result)
        }
        if found == 0 {
            result.notices.append(RuleProblem(file: file, reason: "The Terraform JSON has no aws_cloudwatch_event_rule resources"))
        }
    }

    /// Terraform's `input_transformer` block (`input_paths`, `input_template`) in EventBridge's spelling.
    private static func inputTransformer(_ block: TemplateNode) -> [UInt8] {
        var members: [(key: String, value: TemplateNode)] = []
        if let paths = block["input_paths"], paths.members != nil { members.append(("InputPathsMap", paths)) }
        if let template = block["input_template"] { members.append(("InputTemplate", template)) }
        return TemplateJSONWriter.json(TemplateNode(.object(members), line: block.line))
    }

    /// The module's managed resources and its child modules', depth first (modules nest at most a
    /// few levels; 100 bounds a hostile file).
    private static func collect(_ module: TemplateNode, into resources: inout [Resource], depth: Int) {
        guard depth < 100 else { return }
        for resource in module["resources"]?.elements ?? [] {
            guard resource["mode"]?.string != "data", let address = resource["address"]?.string,
                  let type = resource["type"]?.string, let values = resource["values"] else { continue }
            resources.append(Resource(address: address, type: type, values: values, line: resource.line))
        }
        for child in module["child_modules"]?.elements ?? [] {
            collect(child, into: &resources, depth: depth + 1)
        }
    }
}

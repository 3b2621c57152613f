import Foundation

/// The rules of a CloudFormation or SAM template (YAML or JSON): every `AWS::Events::Rule`
/// resource, and every event of type `EventBridgeRule` or `CloudWatchEvent` of an
/// `AWS::Serverless::Function`, with their intrinsic functions resolved (`IntrinsicResolver`).
///
/// A rule is named by its resolved `Name` (SAM: `RuleName`), else `TEMPLATE-STEM.LogicalId`, so
/// that many templates load together. Only what a rule needs is resolved: other resources, and
/// tags of other tools in them (`!Rain::Embed`), are passed over. A rule whose pattern, name or
/// state cannot be resolved is refused with the function, the path and the option to pass;
/// a description or a target ARN that cannot be is left out with a notice.
enum CloudFormationTemplate {
    static let source = "CloudFormation template"

    static func readRules(_ template: TemplateNode, file: String, parameters: TemplateParameters,
                          into result: inout RuleLoader.Result) {
        guard let resources = template["Resources"]?.members else {
            result.problems.append(RuleProblem(file: file, line: template["Resources"]?.line,
                                               reason: "\"Resources\" of a CloudFormation template must be an object"))
            return
        }
        let stem = Self.stem(of: file)
        let resolver = IntrinsicResolver(template: template, stackName: stem, parameters: parameters)
        var found = 0
        for (logicalId, resource) in resources {
            switch resource["Type"]?.string {
            case "AWS::Events::Rule":
                found += 1
                guard isCreated(resource, logicalId: logicalId, resolver: resolver, file: file, into: &result) else { continue }
                readEventsRule(resource, logicalId: logicalId, stem: stem, resolver: resolver, file: file, into: &result)
            case "AWS::Serverless::Function":
                for (eventId, event) in resource["Properties"]?["Events"]?.members ?? [] {
                    guard let type = event["Type"]?.string, type == "EventBridgeRule" || type == "CloudWatchEvent" else { continue }
                    found += 1
                    guard isCreated(resource, logicalId: logicalId, resolver: resolver, file: file, into: &result) else { continue }
                    readSAMEvent(event, functionId: logicalId, eventId: eventId, stem: stem, resolver: resolver, file: file, into: &result)
                }
            default:
                continue
            }
        }
        if found == 0 {
            result.notices.append(RuleProblem(file: file, reason: "The template has no AWS::Events::Rule resources and no SAM EventBridgeRule or CloudWatchEvent events"))
        }
    }

    /// The file name without directory and extension, in rule-name characters.
    static func stem(of file: String) -> String {
        var name = (file as NSString).lastPathComponent
        for suffix in [".template", ".json", ".yaml", ".yml"] where name.hasSuffix(suffix) {
            name = String(name.dropLast(suffix.count))
            break
        }
        return ImportedRule.nameCharacters(name)
    }

    /// False (with a notice) when the resource's `Condition` is false: CloudFormation would not create it.
    private static func isCreated(_ resource: TemplateNode, logicalId: String, resolver: IntrinsicResolver, file: String,
                                  into result: inout RuleLoader.Result) -> Bool {
        guard let condition = resource["Condition"]?.string else { return true }
        do {
            if try resolver.evaluate(condition: condition, line: resource.line, path: "Resources.\(logicalId).Condition", visiting: []) {
                return true
            }
            result.notices.append(RuleProblem(file: file, rule: logicalId, line: resource.line,
                                              reason: "the condition \(condition) is false, so the stack would not create this rule; skipped"))
        } catch {
            result.problems.append(RuleProblem(file: file, rule: logicalId, line: error.line, reason: error.message))
        }
        return false
    }

    private static func readEventsRule(_ resource: TemplateNode, logicalId: String, stem: String, resolver: IntrinsicResolver,
                                       file: String, into result: inout RuleLoader.Result) {
        let path = "Resources.\(logicalId).Properties"
        guard let properties = resource["Properties"], properties.members != nil else {
            result.notices.append(RuleProblem(file: file, rule: logicalId, line: resource.line, reason: "the resource has no Properties; skipped"))
            return
        }
        guard let patternNode = properties["EventPattern"] else {
            result.notices.append(RuleProblem(file: file, rule: logicalId, line: properties.line,
                                              reason: "a scheduled rule (no EventPattern) has nothing to match in logs; skipped"))
            return
        }
        var rule = ImportedRule(name: "", eventPattern: [], logicalId: logicalId, line: resource.line)
        var problems: [TemplateResolutionProblem] = []
        rule.eventPattern = resolvePattern(patternNode, path: path + ".EventPattern", resolver: resolver, problems: &problems)
        rule.name = resolveString(properties["Name"], path: path + ".Name", resolver: resolver, problems: &problems)
            ?? ImportedRule.fallbackName(stem: stem, id: logicalId)
        rule.state = resolveString(properties["State"], path: path + ".State", resolver: resolver, problems: &problems)
        var notices: [TemplateResolutionProblem] = []
        rule.description = resolveString(properties["Description"], path: path + ".Description", resolver: resolver, problems: &notices)
        for (index, target) in (properties["Targets"]?.elements ?? []).enumerated() {
            let targetPath = "\(path).Targets[\(index)]"
            if let arn = resolveString(target["Arn"], path: targetPath + ".Arn", resolver: resolver, problems: &notices) {
                rule.importedTargets.append(arn)
            }
            if rule.inputTransformer == nil, let transformer = target["InputTransformer"] {
                var transformerProblems: [TemplateResolutionProblem] = []
                if let resolved = resolveValue(transformer, path: targetPath + ".InputTransformer", resolver: resolver, problems: &transformerProblems) {
                    rule.inputTransformer = TemplateJSONWriter.json(resolved)
                }
                problems += transformerProblems
            }
        }
        finish(rule, problems: problems, notices: notices, file: file, into: &result)
    }

    /// A SAM function's `EventBridgeRule` or `CloudWatchEvent` event: SAM makes it an
    /// `AWS::Events::Rule` whose logical id is the function's followed by the event's.
    private static func readSAMEvent(_ event: TemplateNode, functionId: String, eventId: String, stem: String,
                                     resolver: IntrinsicResolver, file: String, into result: inout RuleLoader.Result) {
        let path = "Resources.\(functionId).Properties.Events.\(eventId).Properties"
        let logicalId = functionId + eventId
        guard let properties = event["Properties"], let patternNode = properties["Pattern"] else {
            result.notices.append(RuleProblem(file: file, rule: logicalId, line: event.line,
                                              reason: "the event has no Pattern (a schedule?); skipped"))
            return
        }
        var rule = ImportedRule(name: "", eventPattern: [], logicalId: logicalId, line: event.line)
        var problems: [TemplateResolutionProblem] = []
        var notices: [TemplateResolutionProblem] = []
        rule.eventPattern = resolvePattern(patternNode, path: path + ".Pattern", resolver: resolver, problems: &problems)
        rule.name = resolveString(properties["RuleName"], path: path + ".RuleName", resolver: resolver, problems: &problems)
            ?? ImportedRule.fallbackName(stem: stem, id: logicalId)
        rule.state = resolveString(properties["State"], path: path + ".State", resolver: resolver, problems: &problems)
        if rule.state == nil, let enabled = properties["Enabled"].flatMap({ resolveValue($0, path: path + ".Enabled", resolver: resolver, problems: &problems) }),
           case .bool(false) = enabled.kind {
            rule.state = "DISABLED"
        }
        rule.description = resolveString(properties["Description"], path: path + ".Description", resolver: resolver, problems: &notices)
        if let transformer = properties["InputTransformer"],
           let resolved = resolveValue(transformer, path: path + ".InputTransformer", resolver: resolver, problems: &problems) {
            rule.inputTransformer = TemplateJSONWriter.json(resolved)
        }
        finish(rule, problems: problems, notices: notices, file: file, into: &result)
    }

    private static func finish(_ rule: ImportedRule, problems: [TemplateResolutionProblem], notices: [TemplateResolutionProblem],
                               file: String, into result: inout RuleLoader.Result) {
        for notice in notices {
            result.notices.append(RuleProblem(file: file, rule: rule.logicalId, line: notice.line,
                                              reason: notice.message + " (left out)"))
        }
        guard problems.isEmpty else {
            for problem in problems {
                result.problems.append(RuleProblem(file: file, rule: rule.logicalId, line: problem.line, reason: problem.message))
            }
            return
        }
        rule.decode(file: file, source: source, into: &result)
    }

    /// The pattern's JSON text: an object as CloudFormation writes it, or a JSON string whose text
    /// is the pattern (`EventPattern: '{"source": …}'`).
    private static func resolvePattern(_ node: TemplateNode, path: String, resolver: IntrinsicResolver,
                                       problems: inout [TemplateResolutionProblem]) -> [UInt8] {
        guard let value = resolveValue(node, path: path, resolver: resolver, problems: &problems) else { return [] }
        switch value.kind {
        case .object, .string:
            return TemplateJSONWriter.json(value)
        default:
            problems.append(TemplateResolutionProblem(function: "EventPattern", path: path, line: node.line,
                                                      reason: "an event pattern must be an object (or JSON text), not \(value.kindName)"))
            return []
        }
    }

    private static func resolveValue(_ node: TemplateNode, path: String, resolver: IntrinsicResolver,
                                     problems: inout [TemplateResolutionProblem]) -> TemplateNode? {
        do {
            return try resolver.resolve(node, path: path)
        } catch {
            problems.append(error)
            return nil
        }
    }

    private static func resolveString(_ node: TemplateNode?, path: String, resolver: IntrinsicResolver,
                                      problems: inout [TemplateResolutionProblem]) -> String? {
        guard let node, let value = resolveValue(node, path: path, resolver: resolver, problems: &problems) else { return nil }
        guard let text = IntrinsicResolver.scalarText(value) else {
            problems.append(TemplateResolutionProblem(function: path.split(separator: ".").last.map(String.init) ?? path, path: path,
                                                      line: node.line, reason: "must be a string, not \(value.kindName)"))
            return nil
        }
        return text
    }
}

import VigilJSON

/// A rule pack written as deployable EventBridge rules, so that the rules Vigil runs locally can
/// run in AWS too: a CloudFormation template (JSON, which loads back into Vigil as the same
/// rules), Terraform JSON (`.tf.json`) or `list-rules`-shaped JSON.
///
/// What EventBridge has no place for is said, not dropped silently: `dedup` and `threshold`
/// (EventBridge alerts on every match), Vigil sink names in `targets`, and an input transformer
/// without a target ARN to hang it on. A pattern over EventBridge's 2,048 characters is left out.
public enum RuleExport {
    public enum Format: String, Sendable, CaseIterable {
        case cloudformation, terraform, json
    }

    /// EventBridge's limit on an event pattern's length, in characters: its default quota (AWS
    /// raises it to 4,096 on request; Terraform's provider checks 2,048).
    public static let maximumPatternCharacters = 2_048
    /// EventBridge's limit on a rule's description (PutRule; cfn-lint's E3033 checks it).
    public static let maximumDescriptionCharacters = 512

    public struct Output: Sendable {
        /// The file's text.
        public var text: String
        /// Rules left out (a pattern over the limit), with the reason.
        public var refused: [RuleProblem] = []
        /// What of the exported rules EventBridge does not carry.
        public var notCarried: [RuleProblem] = []
    }

    public static func export(_ rules: [Rule], format: Format) -> Output {
        var output = Output(text: "")
        var exported: [Rule] = []
        for rule in rules {
            let characters = String(decoding: rule.patternJSON, as: UTF8.self).count
            guard characters <= maximumPatternCharacters else {
                output.refused.append(RuleProblem(file: rule.file, rule: rule.name, line: rule.line,
                                                  reason: "the event pattern is \(characters) characters, over EventBridge's \(maximumPatternCharacters) (its default quota, which AWS raises to 4,096 on request); left out"))
                continue
            }
            func note(_ reason: String) {
                output.notCarried.append(RuleProblem(file: rule.file, rule: rule.name, line: rule.line, reason: reason))
            }
            var rule = rule
            if rule.description.count > maximumDescriptionCharacters {
                rule.description = String(rule.description.prefix(maximumDescriptionCharacters - 1)) + "…"
                note("the description is cut to EventBridge's \(maximumDescriptionCharacters) characters")
            }
            exported.append(rule)
            if rule.dedup != nil { note("dedup is not carried over: EventBridge alerts on every match") }
            if rule.threshold != nil { note("threshold is not carried over: EventBridge alerts on every match") }
            if let targets = rule.targets { note("targets \(targets.joined(separator: ", ")) are Vigil sinks, not carried over") }
            if rule.inputTransformer != nil, rule.importedTargets.isEmpty || format == .json {
                note("inputTransformer is not carried over: it belongs to a target, and the rule has no target ARN")
            }
        }
        switch format {
        case .cloudformation: output.text = cloudFormation(exported)
        case .terraform: output.text = terraform(exported)
        case .json: output.text = listRules(exported)
        }
        return output
    }

    // MARK: Formats

    private static func cloudFormation(_ rules: [Rule]) -> String {
        var ids = UniqueIdentifiers(allowed: { $0.isASCII && ($0.isLetter || $0.isNumber) }, prefix: "Rule")
        var lines: [String] = []
        for rule in rules {
            let id = ids.make(from: rule.name)
            var properties = "\"Name\": \(JSONText.quoted(rule.name)), "
            if !rule.description.isEmpty { properties += "\"Description\": \(JSONText.quoted(rule.description)), " }
            properties += "\"State\": \"\(rule.isEnabled ? "ENABLED" : "DISABLED")\", "
            properties += "\"EventPattern\": \(String(decoding: rule.patternJSON, as: UTF8.self))"
            if !rule.importedTargets.isEmpty {
                let targets = rule.importedTargets.enumerated().map { index, arn in
                    var target = "{\"Id\": \"Target\(index + 1)\", \"Arn\": \(JSONText.quoted(arn))"
                    if let transformer = rule.inputTransformer { target += ", \"InputTransformer\": \(transformerJSON(transformer, terraform: false))" }
                    return target + "}"
                }
                properties += ", \"Targets\": [\(targets.joined(separator: ", "))]"
            }
            lines.append("    \(JSONText.quoted(id)): {\"Type\": \"AWS::Events::Rule\", \"Properties\": {\(properties)}}")
        }
        return """
            {
              "AWSTemplateFormatVersion": "2010-09-09",
              "Description": "EventBridge rules exported by vigil rules export",
              "Resources": {
            \(lines.joined(separator: ",\n"))
              }
            }

            """
    }

    private static func terraform(_ rules: [Rule]) -> String {
        var ids = UniqueIdentifiers(allowed: { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }, prefix: "rule_")
        var ruleLines: [String] = []
        var targetLines: [String] = []
        for rule in rules {
            let id = ids.make(from: rule.name)
            var body = "\"name\": \(JSONText.quoted(rule.name)), "
            if !rule.description.isEmpty { body += "\"description\": \(JSONText.quoted(rule.description)), " }
            body += "\"state\": \"\(rule.isEnabled ? "ENABLED" : "DISABLED")\", "
            body += "\"event_pattern\": \(JSONText.quoted(String(decoding: rule.patternJSON, as: UTF8.self)))"
            ruleLines.append("      \(JSONText.quoted(id)): {\(body)}")
            for (index, arn) in rule.importedTargets.enumerated() {
                var target = "\"rule\": \"${aws_cloudwatch_event_rule.\(id).name}\", \"target_id\": \"Target\(index + 1)\", \"arn\": \(JSONText.quoted(arn))"
                if let transformer = rule.inputTransformer { target += ", \"input_transformer\": \(transformerJSON(transformer, terraform: true))" }
                targetLines.append("      \(JSONText.quoted("\(id)_target_\(index + 1)")): {\(target)}")
            }
        }
        var resources = "    \"aws_cloudwatch_event_rule\": {\n\(ruleLines.joined(separator: ",\n"))\n    }"
        if !targetLines.isEmpty {
            resources += ",\n    \"aws_cloudwatch_event_target\": {\n\(targetLines.joined(separator: ",\n"))\n    }"
        }
        return "{\n  \"resource\": {\n\(resources)\n  }\n}\n"
    }

    /// `aws events list-rules`' shape, `{"Rules": [{"Name", "EventPattern" (JSON text), "State", …}]}`.
    private static func listRules(_ rules: [Rule]) -> String {
        let lines = rules.map { rule in
            var entry = "{\"Name\": \(JSONText.quoted(rule.name)), "
            entry += "\"EventPattern\": \(JSONText.quoted(String(decoding: rule.patternJSON, as: UTF8.self))), "
            entry += "\"State\": \"\(rule.isEnabled ? "ENABLED" : "DISABLED")\""
            if !rule.description.isEmpty { entry += ", \"Description\": \(JSONText.quoted(rule.description))" }
            return "    " + entry + "}"
        }
        return "{\n  \"Rules\": [\n\(lines.joined(separator: ",\n"))\n  ]\n}\n"
    }

    private static func transformerJSON(_ transformer: InputTransformer, terraform: Bool) -> String {
        let paths = transformer.variables.map { "\(JSONText.quoted($0.name)): \(JSONText.quoted($0.path.description))" }
        let pathsKey = terraform ? "input_paths" : "InputPathsMap"
        let templateKey = terraform ? "input_template" : "InputTemplate"
        let block = "{\"\(pathsKey)\": {\(paths.joined(separator: ", "))}, \"\(templateKey)\": \(JSONText.quoted(transformer.template))}"
        return terraform ? "[\(block)]" : block
    }
}

/// Identifiers made from rule names, unique within one export.
private struct UniqueIdentifiers {
    let allowed: (Character) -> Bool
    let prefix: String
    private var used: Set<String> = []

    init(allowed: @escaping (Character) -> Bool, prefix: String) {
        self.allowed = allowed
        self.prefix = prefix
    }

    mutating func make(from name: String) -> String {
        let base = prefix + String(name.filter(allowed))
        var candidate = base
        var suffix = 2
        while !used.insert(candidate).inserted {
            candidate = "\(base)\(suffix)"
            suffix += 1
        }
        return candidate
    }
}

/// `--import-targets`: an imported rule's EventBridge targets become its sinks, so that its
/// alerts go where EventBridge would have sent its events. An SNS topic, an event bus or a Lambda
/// function ARN becomes the matching AWS sink (`sns:ARN`, `eventbridge:ARN`, `lambda:ARN`, as
/// `AWSSinkKinds` maps them); other targets (SQS, Step Functions, …) have no sink and are named
/// in a notice. A rule with at least one such sink sends to it instead of the default sinks; a
/// rule with none keeps the default sinks.
public enum ImportedTargets {
    /// `rules` with their imported targets made sinks, and a notice for each target left out.
    public static func apply(to rules: [Rule]) -> (rules: [Rule], notices: [String]) {
        var notices: [String] = []
        let mapped = rules.map { rule -> Rule in
            guard !rule.importedTargets.isEmpty else { return rule }
            var sinks: [String] = []
            for arn in rule.importedTargets {
                guard let specification = AWSSinkKinds.specification(forTarget: arn),
                      (try? AWSSinkSettings(specification: specification)) != nil else {
                    notices.append("rule \(rule.name): target \(arn) is not an SNS topic, event bus or Lambda function; no sink sends there")
                    continue
                }
                if !sinks.contains(specification) { sinks.append(specification) }
            }
            guard !sinks.isEmpty else { return rule }
            var rule = rule
            rule.targets = (rule.targets ?? []) + sinks.filter { !(rule.targets ?? []).contains($0) }
            return rule
        }
        return (mapped, notices)
    }
}

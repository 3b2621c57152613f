import VigilPattern

/// The enabled rules compiled into one pattern set; pattern index i is `rules[i]`.
public final class RuleSet: Sendable {
    public let rules: [Rule]
    public let patterns: CompiledPatternSet

    public init(_ rules: [Rule]) {
        self.rules = rules.filter(\.isEnabled)
        patterns = CompiledPatternSet(self.rules.map { (name: $0.name, pattern: $0.pattern) })
    }
}

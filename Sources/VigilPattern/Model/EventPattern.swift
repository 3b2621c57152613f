/// A parsed and validated EventBridge event pattern.
///
/// A pattern is an OR of branches (one, unless it uses `$or`), and each branch an AND of field
/// conditions. Field paths are the names of nested keys joined with `.`, as in event-ruler: a
/// pattern `{"a": {"b": [1]}}` and an event key `"a.b"` name the same field.
public struct EventPattern: Hashable, Sendable {
    /// The most branches one pattern may expand to through `$or`.
    public static let maximumCombinations = 1000

    /// The most fields the pattern of a rule may name (`fieldPaths`). EventBridge refuses a rule
    /// beyond it when the rule is put, with `ruleSizeMessage`: a check of the service, not of
    /// event-ruler, which has no such limit and accepts the pattern; so Vigil applies it where
    /// patterns become rules, not to `test-pattern`. AWS does not document how it counts; here a
    /// field is a path the pattern tests, counted once however many `$or` branches name it.
    public static let maximumFields = 256

    /// EventBridge's words for a rule whose pattern names more than `maximumFields` fields.
    public static func ruleSizeMessage(ruleName: String) -> String {
        "Size of rule '\(ruleName)' exceeds max value of \(maximumFields)"
    }

    /// The alternatives; the pattern matches when any branch does.
    public let branches: [PatternBranch]

    /// Parses and validates pattern text, refusing it with event-ruler's message when it is invalid.
    public init(json: String) throws(PatternError) {
        self.branches = try PatternParser.parse(Array(json.utf8))
    }

    /// Parses and validates pattern bytes (UTF-8 JSON).
    public init(json: [UInt8]) throws(PatternError) {
        self.branches = try PatternParser.parse(json)
    }

    public init(branches: [PatternBranch]) {
        self.branches = branches
    }

    /// Every field path the pattern names, sorted and without repeats.
    public var fieldPaths: [String] {
        Array(Set(branches.flatMap { $0.conditions.map(\.path) })).sorted()
    }
}

/// One AND of field conditions.
public struct PatternBranch: Hashable, Sendable {
    /// The conditions, sorted by path (the order in which event-ruler visits them).
    public let conditions: [FieldCondition]

    public init(conditions: [FieldCondition]) {
        self.conditions = conditions.sorted { FieldCondition.pathOrder($0.path, $1.path) }
    }
}

/// The tests one field must pass: any of `matchers` (an OR).
public struct FieldCondition: Hashable, Sendable {
    /// The dot-joined path of the field.
    public let path: String
    public let matchers: [ValueMatcher]

    public init(path: String, matchers: [ValueMatcher]) {
        self.path = path
        self.matchers = matchers
    }

    /// The order of field names in event-ruler (Java's `String.compareTo`: UTF-16 code units).
    static func pathOrder(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf16.lexicographicallyPrecedes(rhs.utf16)
    }
}

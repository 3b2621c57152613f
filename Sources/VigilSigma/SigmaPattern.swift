import VigilIngest

/// Writes a detection's alternatives (disjunctive normal form) as one EventBridge event pattern
/// over the CloudTrail envelope Vigil normalizes to (ARCHITECTURE.md): a Sigma field `a.b` is
/// `detail.a.b`, the log source is `detail-type` ending in "via CloudTrail", and where an
/// alternative pins `eventSource`, `source` says the same (`aws.` + the service prefix, as the
/// normalizer derives it).
struct SigmaPattern {
    /// One alternative: each path (`["detail", "eventName"]`) with its matchers (an OR).
    typealias Term = [(path: [String], matchers: [JSONValue])]

    let terms: [Term]
    let json: JSONValue
    /// What a reader of the converted rule should know about its meaning.
    let notes: [String]

    /// Most alternatives a condition may expand to; EventBridge allows 1,000 combinations.
    static let alternativeLimit = 64

    init(_ formula: SigmaFormula) throws(SigmaIssue) {
        guard let dnf = formula.negationNormalForm().disjunctiveNormalForm(limit: Self.alternativeLimit) else {
            throw .refused("the condition expands to more than \(Self.alternativeLimit) alternatives")
        }
        var terms: [Term] = []
        var nullFields: [String] = []
        for conjunction in dnf {
            var byField: [String: FieldLiteral] = [:]
            var order: [String] = []
            for literal in conjunction {
                if let earlier = byField[literal.field] {
                    if earlier == literal { continue }
                    throw .refused("\(literal.field) is tested twice in one alternative (\(earlier.summary); \(literal.summary)), "
                        + "and an event pattern tests a field once per alternative")
                }
                byField[literal.field] = literal
                order.append(literal.field)
            }
            var term: Term = []
            for field in order {
                let literal = byField[field]!
                if literal.negated ? literal.tests != [.present] : literal.tests.contains(.present) {
                    nullFields.append(field)
                }
                term.append((path: ["detail"] + field.split(separator: ".", omittingEmptySubsequences: false).map(String.init),
                             matchers: try Self.matchers(literal)))
            }
            if let source = Self.source(for: byField["eventSource"]) {
                term.insert((path: ["source"], matchers: source), at: 0)
            }
            terms.append(term)
        }
        terms = Self.merged(terms)
        self.terms = terms
        notes = uniqued(nullFields).map { field in
            "a JSON null in \(field) counts as a value here (EventBridge's anything-but and exists: true accept null), "
                + "where SQL-based Sigma backends treat null as no value; this matters only for a record holding null there"
        }
        json = Self.write(terms)
    }

    /// The matchers of a literal; a negated one as `anything-but`, where EventBridge has the form.
    static func matchers(_ literal: FieldLiteral) throws(SigmaIssue) -> [JSONValue] {
        guard literal.negated else { return uniqued(literal.tests.flatMap(\.matchers)) }
        let tests = literal.tests
        func refuse(_ why: String) -> SigmaIssue {
            .refused("not (\(literal.field) \(tests.map(\.summary).joined(separator: " or "))): \(why)")
        }
        if tests == [.present] { return FieldTest.absent.matchers }
        if tests == [.absent] { return FieldTest.present.matchers }
        var ignoringCase: [String] = [], exact: [String] = [], prefixes: [String] = [], suffixes: [String] = [], wildcards: [String] = []
        for test in tests {
            switch test {
            case .equals(let value, let ic):
                let lowered = value.lowercased()
                if lowered == "true" || lowered == "false" {
                    throw refuse("CloudTrail may hold \(lowered) as a JSON boolean, and anything-but takes only strings")
                }
                if isIntegerText(value) {
                    throw refuse("CloudTrail may hold \(value) as a JSON number, and one anything-but excludes strings or numbers, not both")
                }
                if ic { ignoringCase.append(value) } else { exact.append(value) }
            case .prefix(let value, let ic):
                if ic && hasCasedLetters(value) { throw refuse("anything-but's prefix is case-sensitive, and Sigma compares regardless of case") }
                prefixes.append(value)
            case .suffix(let value, let ic):
                if ic && hasCasedLetters(value) { throw refuse("anything-but's suffix is case-sensitive, and Sigma compares regardless of case") }
                suffixes.append(value)
            case .wildcard(let pattern):
                wildcards.append(pattern)
            case .cidr:
                throw refuse("anything-but has no cidr form")
            case .present, .absent:
                throw refuse("a negated list mixing null with values")
            }
        }
        let kinds = [ignoringCase, exact, prefixes, suffixes, wildcards].filter { !$0.isEmpty }.count
        guard kinds == 1 else {
            throw refuse("one anything-but takes one kind of value (equal, prefix, suffix or wildcard), and its negation needs them all at once")
        }
        func list(_ values: [String]) -> JSONValue { values.count == 1 ? .string(values[0]) : .array(values.map(JSONValue.string)) }
        let operand: JSONValue
        if !ignoringCase.isEmpty { operand = .object([("equals-ignore-case", list(ignoringCase))]) }
        else if !exact.isEmpty { operand = list(exact) }
        else if !prefixes.isEmpty { operand = .object([("prefix", list(prefixes))]) }
        else if !suffixes.isEmpty { operand = .object([("suffix", list(suffixes))]) }
        else { operand = .object([("wildcard", list(wildcards))]) }
        return [.object([("anything-but", operand)])]
    }

    /// `source` for an alternative that requires `eventSource` to equal some values: the normalizer
    /// derives `source` from `eventSource`, so the two say the same. Left out where the derivation
    /// is not one-to-one under Sigma's case-insensitive comparison (CloudWatch's `monitoring`).
    private static func source(for literal: FieldLiteral?) -> [JSONValue]? {
        guard let literal, !literal.negated else { return nil }
        var sources: [JSONValue] = []
        for test in literal.tests {
            guard case .equals(let value, let ignoringCase) = test else { return nil }
            let name = EventSourceName.source(ofEventSource: value)
            if ignoringCase {
                let prefix = value.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first.map(String.init) ?? value
                guard name == "aws." + prefix else { return nil }
                sources.append(.object([("equals-ignore-case", .string(name))]))
            } else {
                sources.append(.string(name))
            }
        }
        return uniqued(sources)
    }

    /// Joins alternatives that differ in one field's matchers only (`errorCode` "Success" or
    /// null) into one, until none do.
    private static func merged(_ input: [Term]) -> [Term] {
        var terms = input
        var changed = true
        while changed {
            changed = false
            search: for i in terms.indices {
                for j in terms.indices where j > i {
                    guard let combined = combine(terms[i], terms[j]) else { continue }
                    terms[i] = combined
                    terms.remove(at: j)
                    changed = true
                    break search
                }
            }
        }
        return terms
    }

    private static func combine(_ a: Term, _ b: Term) -> Term? {
        guard a.count == b.count else { return nil }
        var differing: Int?
        for (index, entry) in a.enumerated() {
            guard let other = b.first(where: { $0.path == entry.path }) else { return nil }
            if other.matchers != entry.matchers {
                if differing != nil { return nil }
                differing = index
            }
        }
        guard let differing else { return a }
        var result = a
        let other = b.first { $0.path == a[differing].path }!
        result[differing].matchers = uniqued(a[differing].matchers + other.matchers)
        return result
    }

    /// The pattern: what every alternative shares at the top, the rest under `$or`.
    private static func write(_ terms: [Term]) -> JSONValue {
        var common: Term = []
        if let first = terms.first {
            for entry in first where terms.allSatisfy({ term in term.contains { $0.path == entry.path && $0.matchers == entry.matchers } }) {
                common.append(entry)
            }
        }
        let rests = terms.map { term in term.filter { entry in !common.contains { $0.path == entry.path } } }
        var pattern = JSONValue.object([])
        let cloudTrail: Term = [(path: ["detail-type"], matchers: [.object([("suffix", .string("via CloudTrail"))])])]
        let ordered = common.filter { $0.path == ["source"] } + cloudTrail + common.filter { $0.path != ["source"] }
        for entry in ordered {
            pattern = pattern.setting(entry.path[...], to: .array(entry.matchers))
        }
        if rests.count > 1 && !rests.contains(where: \.isEmpty) {
            let branches = rests.map { rest -> JSONValue in
                var branch = JSONValue.object([])
                for entry in rest { branch = branch.setting(entry.path[...], to: .array(entry.matchers)) }
                return branch
            }
            pattern = pattern.setting(["$or"], to: .array(branches))
        }
        return pattern
    }
}

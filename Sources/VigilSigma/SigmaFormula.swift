/// A field's tests (their OR), or its negation: the atoms conditions are made of.
struct FieldLiteral: Hashable {
    /// The Sigma field name (`userIdentity.type`), a path into the CloudTrail record.
    let field: String
    let tests: [FieldTest]
    var negated = false

    var summary: String {
        let said = tests.map(\.summary).joined(separator: " or ")
        return negated ? "\(field) not (\(said))" : "\(field) \(said)"
    }
}

/// A detection's logic: literals joined by and, or and not.
indirect enum SigmaFormula {
    case literal(FieldLiteral)
    case all([SigmaFormula])
    case any([SigmaFormula])
    case not(SigmaFormula)

    /// Negation pushed down to the literals (De Morgan). Exact under SQL's three-valued logic
    /// too: an absent field makes both a test and its negation unknown, and an unknown literal in
    /// a negation-free formula decides like a false one, which is what a pattern does with a
    /// field it does not find (`anything-but` needs a value).
    func negationNormalForm(negated: Bool = false) -> SigmaFormula {
        switch self {
        case .literal(var literal):
            if negated { literal.negated.toggle() }
            return .literal(literal)
        case .not(let inner):
            return inner.negationNormalForm(negated: !negated)
        case .all(let parts):
            let inner = parts.map { $0.negationNormalForm(negated: negated) }
            return negated ? .any(inner) : .all(inner)
        case .any(let parts):
            let inner = parts.map { $0.negationNormalForm(negated: negated) }
            return negated ? .all(inner) : .any(inner)
        }
    }

    /// The alternatives of the (negation normal) formula, each a conjunction of literals; nil
    /// once there would be more than `limit`.
    func disjunctiveNormalForm(limit: Int) -> [[FieldLiteral]]? {
        switch self {
        case .literal(let literal):
            return [[literal]]
        case .not:
            return negationNormalForm().disjunctiveNormalForm(limit: limit)
        case .any(let parts):
            var terms: [[FieldLiteral]] = []
            for part in parts {
                guard let inner = part.disjunctiveNormalForm(limit: limit) else { return nil }
                terms += inner
                if terms.count > limit { return nil }
            }
            return terms
        case .all(let parts):
            var terms: [[FieldLiteral]] = [[]]
            for part in parts {
                guard let inner = part.disjunctiveNormalForm(limit: limit) else { return nil }
                if terms.count * inner.count > limit { return nil }
                terms = terms.flatMap { left in inner.map { right in left + right } }
            }
            return terms
        }
    }
}

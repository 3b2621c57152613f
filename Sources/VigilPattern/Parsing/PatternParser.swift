/// Turns pattern text into branches of field conditions, with the semantics and the error
/// messages of event-ruler's compilers.
///
/// event-ruler (and so EventBridge) compiles a pattern in two attempts: first with `$or` as an
/// operator; if that fails with a parse error, again with `$or` as an ordinary field name, and the
/// second attempt's verdict stands. That is why `{"$or": [{"a": ["x"]}]}` (one branch is not a
/// valid `$or`) is refused with "Unrecognized match type a": the second attempt reads
/// `{"a": ["x"]}` as a match expression of a field named `$or`. Errors of kind `.invalidValue`
/// (a bad CIDR) escape event-ruler's parser directly and so are not retried.
enum PatternParser {
    typealias Branch = [String: [ValueMatcher]]

    static func parse(_ bytes: [UInt8]) throws(PatternError) -> [PatternBranch] {
        var branches: [Branch]
        do throws(PatternError) {
            var attempt = Attempt(bytes: bytes, orIsOperator: true)
            branches = try attempt.run()
        } catch {
            guard error.kind == .malformed else { throw error }
            var legacy = Attempt(bytes: bytes, orIsOperator: false)
            branches = try legacy.run()
        }
        return branches.map { branch in
            PatternBranch(conditions: branch.map { FieldCondition(path: $0.key, matchers: $0.value) })
        }
    }

    /// Words that may not name a field inside `$or`, because they name operators.
    static let reservedInsideOr: Set<String> = [
        "exactly", "equals-ignore-case", "prefix", "suffix", "anything-but", "exists", "wildcard",
        "numeric", "cidr", "html", "=", "<", "<=", ">", ">=", "regex", "not-wildcard",
        "not-equals-ignore-case", "date-after", "date-on-or-after", "date-before", "date-on-or-before",
        "in-date-range", "ip-address-in-range", "ip-address-not-in-range",
    ]

    /// One pass over the text, in one of event-ruler's two modes. Objects, `$or`, value lists
    /// and the simple match expressions are read here; as event-ruler has a parser per operator,
    /// the larger operators have files of their own (`NumericExpressionParser`, `AnythingButParser`).
    struct Attempt {
        var tokens: PatternTokenizer
        let orIsOperator: Bool
        var path: [String] = []

        init(bytes: [UInt8], orIsOperator: Bool) {
            self.tokens = PatternTokenizer(bytes)
            self.orIsOperator = orIsOperator
        }

        mutating func run() throws(PatternError) -> [Branch] {
            guard try tokens.next() == .startObject else {
                throw tokens.error("Filter is not an object")
            }
            var branches: [Branch] = []
            try parseObject(into: &branches, insideOr: false)
            return branches
        }

        func fail(_ message: String) -> PatternError {
            tokens.error(message)
        }

        mutating func nextToken() throws(PatternError) -> PatternTokenizer.Token {
            // Inside a container the tokenizer throws at end of input, so a token is always there.
            guard let token = try tokens.next() else { throw fail("Unexpected end-of-input") }
            return token
        }

        // MARK: Objects and $or

        private mutating func parseObject(into branches: inout [Branch], insideOr: Bool) throws(PatternError) {
            var sawField = false
            while true {
                let token = try nextToken()
                if token == .endObject { break }
                guard case .fieldName(let name) = token else { throw fail("Unexpected token") }
                sawField = true
                if orIsOperator && name == "$or" {
                    try parseOr(into: &branches)
                    continue
                }
                if insideOr && PatternParser.reservedInsideOr.contains(name) {
                    throw fail("\(name) is Ruler reserved fieldName which cannot be used inside $or.")
                }
                switch try nextToken() {
                case .startObject:
                    path.append(name)
                    try parseObject(into: &branches, insideOr: insideOr)
                    path.removeLast()
                case .startArray:
                    let matchers = try parseValueList()
                    let fieldPath = (path + [name]).joined(separator: ".")
                    if branches.isEmpty { branches.append([:]) }
                    // A repeated path replaces the earlier one, as event-ruler's map does.
                    for index in branches.indices { branches[index][fieldPath] = matchers }
                default:
                    throw fail("\"\(name)\" must be an object or an array")
                }
            }
            if !sawField { throw fail("Empty objects are not allowed") }
        }

        private mutating func parseOr(into branches: inout [Branch]) throws(PatternError) {
            let before = branches
            branches.removeAll()
            guard try nextToken() == .startArray else {
                throw fail("It must be an Array followed with $or.")
            }
            var count = 0
            while true {
                let token = try nextToken()
                if token == .endArray { break }
                count += 1
                guard token == .startObject else {
                    throw fail("Only JSON object is allowed in array of $or relationship.")
                }
                var alternative = before.isEmpty ? [[:]] : before
                try parseObject(into: &alternative, insideOr: true)
                branches.append(contentsOf: alternative)
                if branches.count > EventPattern.maximumCombinations {
                    throw PatternError(
                        "The pattern expands through $or to more than \(EventPattern.maximumCombinations) combinations",
                        kind: .limit)
                }
            }
            if count < 2 {
                throw fail("There must have at least 2 Objects in $or relationship.")
            }
        }

        // MARK: Value lists

        private mutating func parseValueList() throws(PatternError) -> [ValueMatcher] {
            var matchers: [ValueMatcher] = []
            while true {
                let token = try nextToken()
                switch token {
                case .endArray:
                    if matchers.isEmpty { throw fail("Empty arrays are not allowed") }
                    return matchers
                case .startObject:
                    matchers.append(try parseMatchExpression())
                case .string(let value):
                    if let address = IPAddress.parse(value) {
                        matchers.append(.ipRange(IPRange(single: address)))
                    } else {
                        matchers.append(.exactString(value))
                    }
                case .number(let text):
                    // Both the value (when it is comparable) and the spelling, as event-ruler does:
                    // an account number like 123456789012345678901 still matches by spelling.
                    if let value = ComparableNumber.value(of: text) {
                        matchers.append(.numericEquals(value))
                    }
                    matchers.append(.literal(text))
                case .trueValue, .falseValue, .nullValue:
                    matchers.append(.literal(token.text))
                default:
                    throw fail("Match value must be String, number, true, false, or null")
                }
            }
        }

        // MARK: Match expressions

        private mutating func expectEndOfExpression() throws(PatternError) {
            if try nextToken() != .endObject { throw fail("Only one key allowed in match expression") }
        }

        mutating func expectEndOfNumericExpression() throws(PatternError) {
            // event-ruler reports every surplus key after `numeric` and `anything-but` this way.
            if try nextToken() != .endObject { throw fail("Too many elements in numeric expression") }
        }

        private mutating func stringOperand(orFail message: String) throws(PatternError) -> String {
            guard case .string(let value) = try nextToken() else { throw fail(message) }
            return value
        }

        private mutating func parseMatchExpression() throws(PatternError) -> ValueMatcher {
            guard case .fieldName(let operation) = try nextToken() else {
                throw fail("Match expression name not found")
            }
            switch operation {
            case "exactly":
                let value = try stringOperand(orFail: "exact match pattern must be a string")
                try expectEndOfExpression()
                return .exactString(value)
            case "prefix", "suffix":
                let isPrefix = operation == "prefix"
                let token = try nextToken()
                if token == .startObject {
                    let value = try parseIgnoreCaseOperand(of: isPrefix ? "Prefix" : "Suffix", operation: operation)
                    return isPrefix ? .prefixIgnoreCase(value) : .suffixIgnoreCase(value)
                }
                guard case .string(let value) = token else {
                    throw fail("\(operation) match pattern must be a string")
                }
                try expectEndOfExpression()
                return isPrefix ? .prefix(value) : .suffix(value)
            case "equals-ignore-case":
                let value = try stringOperand(orFail: "equals-ignore-case match pattern must be a string")
                try expectEndOfExpression()
                return .equalsIgnoreCase(value)
            case "wildcard":
                let value = try stringOperand(orFail: "wildcard match pattern must be a string")
                let pattern: WildcardPattern
                do { pattern = try WildcardPattern(value) } catch { throw fail(error.message) }
                try expectEndOfExpression()
                return .wildcard(pattern)
            case "numeric":
                guard try nextToken() == .startArray else { throw fail("Value of numeric must be an array.") }
                let range = try parseNumericExpression()
                try expectEndOfNumericExpression()
                return range
            case "anything-but":
                return try parseAnythingBut()
            case "exists":
                let token = try nextToken()
                guard token == .trueValue || token == .falseValue else {
                    throw fail("exists match pattern must be either true or false.")
                }
                try expectEndOfExpression()
                return .exists(token == .trueValue)
            case "cidr":
                // event-ruler's message for a non-string CIDR really does say "prefix".
                let value = try stringOperand(orFail: "prefix match pattern must be a string")
                let range = try IPRange.cidr(value)
                try expectEndOfExpression()
                return .ipRange(range)
            default:
                throw fail("Unrecognized match type \(operation)")
            }
        }

        /// `{"prefix": {"equals-ignore-case": "…"}}` and the same for `suffix`.
        private mutating func parseIgnoreCaseOperand(of name: String, operation: String) throws(PatternError) -> String {
            guard case .fieldName(let inner) = try nextToken() else {
                throw fail("\(name) expression name not found")
            }
            guard inner == "equals-ignore-case" else {
                throw fail("Unsupported \(operation) pattern: \(inner)")
            }
            let value = try stringOperand(orFail: "equals-ignore-case match pattern must be a string")
            try expectEndOfExpression()
            try expectEndOfExpression()
            return value
        }
    }
}

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

    /// One pass over the text, in one of event-ruler's two modes.
    private struct Attempt {
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

        private func fail(_ message: String) -> PatternError {
            tokens.error(message)
        }

        private mutating func nextToken() throws(PatternError) -> PatternTokenizer.Token {
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

        private mutating func expectEndOfNumericExpression() throws(PatternError) {
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

        // MARK: numeric

        private mutating func comparable(_ text: String) throws(PatternError) -> Double {
            guard let value = ComparableNumber.value(of: text) else {
                throw fail("Cannot compare number : \(text)")
            }
            return value
        }

        private mutating func parseNumericExpression() throws(PatternError) -> ValueMatcher {
            let first = try nextToken()
            guard case .string(let operation) = first else {
                throw fail("Invalid member in numeric match: \(first.text)")
            }
            let operand = try nextToken()
            guard ["=", ">=", ">", "<=", "<"].contains(operation) else {
                throw fail("Unrecognized numeric range operator: \(operation)")
            }
            guard case .number(let text) = operand else {
                throw fail(operation == "=" ? "Value of equals must be numeric" : "Value of \(operation) must be numeric")
            }
            switch operation {
            case "=":
                if try nextToken() != .endArray { throw fail("Too many elements in numeric expression") }
                return .numericEquals(try comparable(text))
            case "<", "<=":
                if try nextToken() != .endArray { throw fail("Too many elements in numeric expression") }
                return .numericRange(NumericRange(upper: try comparable(text), upperInclusive: operation == "<="))
            default:
                let lowerInclusive = operation == ">="
                let next = try nextToken()
                if next == .endArray {
                    return .numericRange(NumericRange(lower: try comparable(text), lowerInclusive: lowerInclusive))
                }
                guard case .string(let upperOperation) = next else {
                    throw fail("Bad value in numeric range: \(next.text)")
                }
                guard upperOperation == "<" || upperOperation == "<=" else {
                    throw fail("Bad numeric range operator: \(upperOperation)")
                }
                guard case .number(let upperText) = try nextToken() else {
                    throw fail("Value of \(upperOperation) must be numeric")
                }
                if try nextToken() != .endArray { throw fail("Too many terms in numeric range expression") }
                let lower = try comparable(text)
                let upper = try comparable(upperText)
                guard lower < upper else { throw fail("Bottom must be less than top") }
                return .numericRange(NumericRange(
                    lower: lower, lowerInclusive: lowerInclusive, upper: upper, upperInclusive: upperOperation == "<="))
            }
        }

        // MARK: anything-but

        private enum AnythingButKind { case values, prefix, suffix, ignoreCase, wildcard }

        private mutating func parseAnythingBut() throws(PatternError) -> ValueMatcher {
            var kind = AnythingButKind.values
            var token = try nextToken()
            if token == .startObject {
                guard case .fieldName(let inner) = try nextToken() else {
                    throw fail("Anything-But expression name not found")
                }
                switch inner {
                case "equals-ignore-case": kind = .ignoreCase
                case "prefix": kind = .prefix
                case "suffix": kind = .suffix
                case "wildcard": kind = .wildcard
                default: throw fail("Unsupported anything-but pattern: \(inner)")
                }
                token = try nextToken()
            }
            switch token {
            case .startArray, .string, .number: break
            default: throw fail("Value of anything-but must be an array or single string/number value.")
            }
            let result: AnythingBut
            if kind == .values {
                result = token == .startArray ? try parseAnythingButList() : try anythingButSingle(token)
            } else {
                var values: [String] = []
                if token == .startArray {
                    while true {
                        let element = try nextToken()
                        if element == .endArray { break }
                        values.append(try anythingButSetValue(element, kind: kind))
                    }
                } else {
                    values.append(try anythingButSetValue(token, kind: kind))
                }
                result = try anythingButSet(values, kind: kind)
            }
            try expectEndOfNumericExpression()
            if kind != .values { try expectEndOfNumericExpression() }
            return .anythingBut(result)
        }

        private mutating func parseAnythingButList() throws(PatternError) -> AnythingBut {
            var strings: [String] = []
            var numbers: [Double] = []
            while true {
                let token = try nextToken()
                switch token {
                case .endArray:
                    if strings.isEmpty == numbers.isEmpty {
                        throw fail("Inside anything but list, either all values are number or string, mixed type is not supported")
                    }
                    return strings.isEmpty ? .numbers(numbers) : .strings(strings)
                case .string(let value): strings.append(value)
                case .number(let text): numbers.append(try comparable(text))
                default: throw fail("Inside anything but list, start|null|boolean is not supported.")
                }
            }
        }

        private mutating func anythingButSingle(_ token: PatternTokenizer.Token) throws(PatternError) -> AnythingBut {
            switch token {
            case .string(let value):
                return .strings([value])
            case .number(let text):
                // A single number is converted outside event-ruler's parser, so its failure is not
                // a parse error and is not retried with the legacy compiler.
                guard let value = ComparableNumber.value(of: text) else {
                    throw PatternError("Cannot compare number : \(text)", kind: .invalidValue)
                }
                return .numbers([value])
            default:
                throw fail("Inside anything-but list, start|null|boolean is not supported.")
            }
        }

        private func anythingButSetValue(_ token: PatternTokenizer.Token, kind: AnythingButKind) throws(PatternError) -> String {
            guard case .string(let value) = token else {
                switch kind {
                case .ignoreCase:
                    throw fail("Inside anything-but/equals-ignore-case list, number|start|null|boolean is not supported.")
                case .wildcard:
                    throw fail("wildcard match pattern must be a string")
                default:
                    throw fail("prefix/suffix match pattern must be a string")
                }
            }
            if (kind == .prefix || kind == .suffix) && value.isEmpty {
                throw fail("Null prefix/suffix not allowed")
            }
            return value
        }

        private func anythingButSet(_ values: [String], kind: AnythingButKind) throws(PatternError) -> AnythingBut {
            let distinct = Array(Set(values)).sorted()
            switch kind {
            case .prefix: return .prefixes(distinct)
            case .suffix: return .suffixes(distinct)
            case .ignoreCase: return .equalsIgnoreCase(distinct)
            case .wildcard:
                var patterns: [WildcardPattern] = []
                for value in distinct {
                    do { patterns.append(try WildcardPattern(value)) } catch { throw fail(error.message) }
                }
                return .wildcards(patterns)
            case .values:
                return .strings(distinct)
            }
        }
    }
}

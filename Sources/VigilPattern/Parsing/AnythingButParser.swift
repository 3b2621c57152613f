/// `{"anything-but": …}`: a value or a list of strings or of numbers, or `prefix`, `suffix`,
/// `equals-ignore-case` or `wildcard` with one operand or a list, in event-ruler's words where
/// they are refused.
extension PatternParser.Attempt {
    private enum AnythingButKind { case values, prefix, suffix, ignoreCase, wildcard }

    mutating func parseAnythingBut() throws(PatternError) -> ValueMatcher {
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

/// `{"numeric": [">", 0, "<=", 5]}`: comparisons and ranges, in event-ruler's words where they
/// are refused, with operands that must compare as `ComparableNumber`s.
extension PatternParser.Attempt {
    /// The value of a number operand, refused when it does not compare as a `ComparableNumber`.
    mutating func comparable(_ text: String) throws(PatternError) -> Double {
        guard let value = ComparableNumber.value(of: text) else {
            throw fail("Cannot compare number : \(text)")
        }
        return value
    }

    /// The terms of a `numeric` array, whose `[` has been read.
    mutating func parseNumericExpression() throws(PatternError) -> ValueMatcher {
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
}

import VigilJSON

/// Field conditions written back as pattern text, so that an explanation quotes the pattern in the
/// words its author used: `[true]`, `[{"prefix":"Delete"}]`, `[{"numeric":[">",0,"<=",5]}]`.
///
/// The parsed model does not keep the original text, so this is the canonical spelling of each
/// matcher: it parses back to the same matchers (one `numeric` equality and the spelling of a
/// number become the number again), though not always to the same bytes (`{"anything-but":"x"}`
/// comes back as `{"anything-but":["x"]}`).
enum PatternText {
    /// The value list of a field condition, e.g. `["a",{"prefix":"b"}]`.
    static func condition(_ matchers: [ValueMatcher]) -> String {
        var parts: [String] = []
        for matcher in matchers {
            // A number in a pattern becomes both its value and its spelling; show the spelling once.
            if case .numericEquals(let value) = matcher, matchers.contains(where: { isSpelling(of: value, $0) }) {
                continue
            }
            parts.append(text(of: matcher))
        }
        return "[" + parts.joined(separator: ",") + "]"
    }

    static func text(of matcher: ValueMatcher) -> String {
        switch matcher {
        case .exactString(let value):
            // A bare string that reads as an IP address would parse back as an address test.
            return IPAddress.parse(value) == nil ? JSONText.quoted(value) : #"{"exactly":\#(JSONText.quoted(value))}"#
        case .literal(let spelling):
            return spelling
        case .numericEquals(let value):
            return #"{"numeric":["=",\#(number(value))]}"#
        case .numericRange(let range):
            var terms: [String] = []
            if let lower = range.lower { terms.append(#""\#(range.lowerInclusive ? ">=" : ">")",\#(number(lower))"#) }
            if let upper = range.upper { terms.append(#""\#(range.upperInclusive ? "<=" : "<")",\#(number(upper))"#) }
            return #"{"numeric":[\#(terms.joined(separator: ","))]}"#
        case .ipRange(let range):
            return range.lower == range.upper ? JSONText.quoted(range.lower.description) : #"{"cidr":"\#(cidr(range))"}"#
        case .prefix(let value):
            return #"{"prefix":\#(JSONText.quoted(value))}"#
        case .prefixIgnoreCase(let value):
            return #"{"prefix":{"equals-ignore-case":\#(JSONText.quoted(value))}}"#
        case .suffix(let value):
            return #"{"suffix":\#(JSONText.quoted(value))}"#
        case .suffixIgnoreCase(let value):
            return #"{"suffix":{"equals-ignore-case":\#(JSONText.quoted(value))}}"#
        case .equalsIgnoreCase(let value):
            return #"{"equals-ignore-case":\#(JSONText.quoted(value))}"#
        case .wildcard(let pattern):
            return #"{"wildcard":\#(JSONText.quoted(pattern.source))}"#
        case .anythingBut(let operand):
            return #"{"anything-but":\#(text(of: operand))}"#
        case .exists(let present):
            return #"{"exists":\#(present)}"#
        }
    }

    private static func text(of operand: AnythingBut) -> String {
        func list(_ values: [String]) -> String {
            values.count == 1 ? JSONText.quoted(values[0]) : "[" + values.map(JSONText.quoted).joined(separator: ",") + "]"
        }
        switch operand {
        case .strings(let values):
            return "[" + values.map(JSONText.quoted).joined(separator: ",") + "]"
        case .numbers(let values):
            return "[" + values.map(number).joined(separator: ",") + "]"
        case .prefixes(let values):
            return #"{"prefix":\#(list(values))}"#
        case .suffixes(let values):
            return #"{"suffix":\#(list(values))}"#
        case .equalsIgnoreCase(let values):
            return #"{"equals-ignore-case":\#(list(values))}"#
        case .wildcards(let patterns):
            return #"{"wildcard":\#(list(patterns.map(\.source)))}"#
        }
    }

    /// A number as a pattern author would write it: `5`, not `5.0`.
    static func number(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    private static func isSpelling(of value: Double, _ matcher: ValueMatcher) -> Bool {
        guard case .literal(let spelling) = matcher else { return false }
        return ComparableNumber.value(of: spelling) == value
    }

    /// A block as `address/bits`; the parser only makes ranges that are CIDR blocks.
    private static func cidr(_ range: IPRange) -> String {
        let hostBits = (range.lower.value ^ range.upper.value).nonzeroBitCount
        return "\(range.lower)/\(range.lower.bitWidth - hostBits)"
    }
}

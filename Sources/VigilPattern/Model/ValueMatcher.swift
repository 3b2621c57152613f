/// One test that a leaf value of an event may pass. A field's list of matchers is an OR.
///
/// Matching is type-exact: string tests see only strings, `literal` and the numeric tests see
/// only numbers (and `true`, `false`, `null` for `literal`), so `5` never equals `"5"`.
public enum ValueMatcher: Hashable, Sendable, CustomStringConvertible {
    /// A string equal to this one (after JSON unescaping on both sides).
    case exactString(String)
    /// A number, `true`, `false` or `null` spelled exactly so (`12345678901234567890`).
    case literal(String)
    /// A number equal in value, when the event's number round-trips through a double.
    case numericEquals(Double)
    case numericRange(NumericRange)
    /// A string that is an IP address within the range (from `cidr`, or an address literal).
    case ipRange(IPRange)
    case prefix(String)
    case prefixIgnoreCase(String)
    case suffix(String)
    case suffixIgnoreCase(String)
    case equalsIgnoreCase(String)
    case wildcard(WildcardPattern)
    /// Any leaf value that the inner test does not accept.
    case anythingBut(AnythingBut)
    /// `exists: true` — any leaf value at all, `null` included; `exists: false` — none.
    case exists(Bool)

    public var description: String {
        switch self {
        case .exactString(let s): return "\"\(s)\""
        case .literal(let s): return s
        case .numericEquals(let d): return "numeric = \(d)"
        case .numericRange(let r): return "numeric \(r)"
        case .ipRange(let r): return "cidr \(r)"
        case .prefix(let s): return "prefix \"\(s)\""
        case .prefixIgnoreCase(let s): return "prefix equals-ignore-case \"\(s)\""
        case .suffix(let s): return "suffix \"\(s)\""
        case .suffixIgnoreCase(let s): return "suffix equals-ignore-case \"\(s)\""
        case .equalsIgnoreCase(let s): return "equals-ignore-case \"\(s)\""
        case .wildcard(let w): return "wildcard \"\(w)\""
        case .anythingBut(let a): return "anything-but \(a)"
        case .exists(let e): return "exists \(e)"
        }
    }
}

/// The operand of `anything-but`: what a leaf value must not be.
public enum AnythingBut: Hashable, Sendable, CustomStringConvertible {
    case strings([String])
    case numbers([Double])
    case prefixes([String])
    case suffixes([String])
    case equalsIgnoreCase([String])
    case wildcards([WildcardPattern])

    /// The positive tests whose union this excludes.
    public var excluded: [ValueMatcher] {
        switch self {
        case .strings(let values): return values.map { .exactString($0) }
        case .numbers(let values): return values.map { .numericEquals($0) }
        case .prefixes(let values): return values.map { .prefix($0) }
        case .suffixes(let values): return values.map { .suffix($0) }
        case .equalsIgnoreCase(let values): return values.map { .equalsIgnoreCase($0) }
        case .wildcards(let values): return values.map { .wildcard($0) }
        }
    }

    public var description: String { excluded.map(\.description).joined(separator: ", ") }
}

/// A `numeric` test: one or two bounds, each open or closed.
public struct NumericRange: Hashable, Sendable, CustomStringConvertible {
    public var lower: Double?
    public var lowerInclusive: Bool
    public var upper: Double?
    public var upperInclusive: Bool

    public init(lower: Double? = nil, lowerInclusive: Bool = false, upper: Double? = nil, upperInclusive: Bool = false) {
        self.lower = lower
        self.lowerInclusive = lowerInclusive
        self.upper = upper
        self.upperInclusive = upperInclusive
    }

    @inline(__always)
    public func contains(_ value: Double) -> Bool {
        if let lower {
            if lowerInclusive ? value < lower : value <= lower { return false }
        }
        if let upper {
            if upperInclusive ? value > upper : value >= upper { return false }
        }
        return true
    }

    public var description: String {
        var parts: [String] = []
        if let lower { parts.append("\(lowerInclusive ? ">=" : ">") \(lower)") }
        if let upper { parts.append("\(upperInclusive ? "<=" : "<") \(upper)") }
        return parts.joined(separator: " ")
    }
}

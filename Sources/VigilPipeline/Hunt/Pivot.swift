import VigilJSON
import VigilPattern

/// One pivot of a hunt (`--ip`, `--principal`, `--resource`) with its values, expanded into one
/// EventBridge pattern: a `$or` over every field of every source that holds that kind of value
/// (`PivotFields`), each field given every value (several values of one pivot are OR).
public struct Pivot: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        case ip, principal, resource
    }

    /// Why a pivot value was refused.
    public struct ValueError: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    public let kind: Kind
    public let values: [String]

    /// Checks the values: `--ip` takes addresses and CIDR blocks, the others any non-empty text.
    public init(_ kind: Kind, values: [String]) throws(ValueError) {
        for value in values {
            if value.isEmpty { throw ValueError(description: "--\(kind.rawValue): a value cannot be empty") }
            if kind == .ip, Self.addressMatcher(value) == nil {
                throw ValueError(description: "--ip: not an IP address or CIDR block: \(value)")
            }
        }
        self.kind = kind
        self.values = values
    }

    /// The pattern, as JSON text: `{"$or":[{"detail":{"sourceIPAddress":[…]}}, …]}`.
    public var pattern: String {
        var alternatives: [String] = []
        for field in PivotFields.fields(of: kind) {
            let fieldMatchers = values.flatMap { matchers(for: $0, in: field.spelling) }
            alternatives.append(Self.nest(field, matchers: Self.unique(fieldMatchers)))
        }
        return #"{"$or":["# + alternatives.joined(separator: ",") + "]}"
    }

    /// What `value` is matched with in a field of `spelling`, as pattern text.
    func matchers(for value: String, in spelling: PivotField.Spelling) -> [String] {
        if kind == .ip { return Self.addressMatcher(value).map { [$0] } ?? [] }
        let quoted = JSONText.quoted(value)
        let isARN = value.hasPrefix("arn:")
        let name = isARN ? Self.lastPart(ofARN: value) : value
        let asName = [JSONText.quoted(name)]
        let asARN = isARN
            ? [quoted]
            : [#"{"suffix":\#(JSONText.quoted(":" + value))}"#, #"{"suffix":\#(JSONText.quoted("/" + value))}"#]
        switch spelling {
        case .address: return []
        case .name: return asName
        case .qualifiedName: return asName + [#"{"suffix":\#(JSONText.quoted(":" + name))}"#]
        case .arn: return asARN
        case .nameOrARN: return (isARN ? [quoted] : []) + asName + (isARN ? [] : asARN)
        }
    }

    /// An address as itself (the pattern engine compares addresses, not spellings), a CIDR block
    /// as `{"cidr":…}`; nil for anything else. A /32 (/128) block is its address: event-ruler
    /// refuses those masks.
    static func addressMatcher(_ value: String) -> String? {
        if let address = IPAddress.parse(value) { return JSONText.quoted(address.description) }
        let parts = value.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let address = IPAddress.parse(String(parts[0])), let bits = Int(parts[1]) else { return nil }
        if bits == address.bitWidth { return JSONText.quoted(address.description) }
        guard (try? IPRange.cidr(value)) != nil else { return nil }
        return #"{"cidr":\#(JSONText.quoted(value))}"#
    }

    /// The resource or principal an ARN ends with: after its last `/`, else after its last `:`
    /// (`…:db:orders-db` → `orders-db`, `…:assumed-role/Role/session` → `session`).
    static func lastPart(ofARN arn: String) -> String {
        let resource = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).last.map(String.init) ?? arn
        if let slash = resource.lastIndex(of: "/") { return String(resource[resource.index(after: slash)...]) }
        if let colon = resource.lastIndex(of: ":") { return String(resource[resource.index(after: colon)...]) }
        return resource
    }

    /// `{"a":{"b":[matchers]}}` for the path a.b, with the field's companion member beside the leaf.
    private static func nest(_ field: PivotField, matchers: [String]) -> String {
        var inner = JSONText.quoted(field.path.last!) + ":[" + matchers.joined(separator: ",") + "]"
        if let alongside = field.alongside {
            inner += "," + JSONText.quoted(alongside.member) + ":[" + alongside.values.map(JSONText.quoted).joined(separator: ",") + "]"
        }
        var text = "{" + inner + "}"
        for name in field.path.dropLast().reversed() {
            text = "{" + JSONText.quoted(name) + ":" + text + "}"
        }
        return text
    }

    private static func unique(_ matchers: [String]) -> [String] {
        var seen = Set<String>()
        return matchers.filter { seen.insert($0).inserted }
    }
}

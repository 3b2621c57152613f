import Yams

/// Reads a rule's search identifiers into formulas: a mapping is the AND of its fields, a list of
/// mappings their OR, a field's list of values their OR (AND with `|all`), and each value, with
/// the field's modifiers, one `FieldTest`.
enum SigmaDetection {
    /// Modifiers of the Sigma specification that no exact event pattern exists for, with why.
    static let unconvertible: [String: String] = [
        "fieldref": "compares two fields of the event; an event pattern compares a field with constants",
        "base64": "matches encoded text; an event pattern sees the value as it is",
        "base64offset": "matches encoded text; an event pattern sees the value as it is",
        "utf16": "matches re-encoded text; an event pattern sees the value as it is",
        "utf16le": "matches re-encoded text; an event pattern sees the value as it is",
        "utf16be": "matches re-encoded text; an event pattern sees the value as it is",
        "wide": "matches re-encoded text; an event pattern sees the value as it is",
        "windash": "expands Windows command-line dashes, which CloudTrail fields do not have",
        "lt": "a numeric comparison of a Sigma string value", "lte": "a numeric comparison of a Sigma string value",
        "gt": "a numeric comparison of a Sigma string value", "gte": "a numeric comparison of a Sigma string value",
        "expand": "needs placeholder values from the deployment",
        "minute": "compares a part of a timestamp", "hour": "compares a part of a timestamp",
        "day": "compares a part of a timestamp", "week": "compares a part of a timestamp",
        "month": "compares a part of a timestamp", "year": "compares a part of a timestamp",
        "i": "a regular-expression flag outside `re`", "m": "a regular-expression flag outside `re`",
        "s": "a regular-expression flag outside `re`",
    ]

    /// CloudTrail fields that hold an object (or an array of objects), not a value: Sigma rules
    /// written for a SIEM that keeps them as text (`requestParameters|contains: 'Suspended'`)
    /// search that text, and a pattern only sees the values inside.
    static let objectFields: [String: String] = [
        "requestParameters": "the request's parameters", "responseElements": "the response's elements",
        "additionalEventData": "additional data", "userIdentity": "the caller's identity",
        "userIdentity.sessionContext": "the session", "userIdentity.sessionContext.sessionIssuer": "the session's issuer",
        "userIdentity.sessionContext.attributes": "the session's attributes", "serviceEventDetails": "the service event's details",
        "tlsDetails": "TLS details", "resources": "the resources (an array of objects)", "insightDetails": "the insight",
    ]

    static func formulas(of rule: SigmaRule) throws(SigmaIssue) -> [String: SigmaFormula] {
        var formulas: [String: SigmaFormula] = [:]
        for (name, node) in rule.searches {
            formulas[name] = try search(name, node)
        }
        return formulas
    }

    private static func search(_ name: String, _ node: Node) throws(SigmaIssue) -> SigmaFormula {
        switch node {
        case .mapping(let mapping):
            return try fields(name, mapping)
        case .sequence(let items):
            guard !items.isEmpty else { throw .damaged("the search \"\(name)\" is an empty list") }
            var alternatives: [SigmaFormula] = []
            for item in items {
                guard case .mapping(let mapping) = item else {
                    throw .refused("the search \"\(name)\" is a keyword list (values with no field: a full-text search, which an event pattern cannot do)")
                }
                alternatives.append(try fields(name, mapping))
            }
            return alternatives.count == 1 ? alternatives[0] : .any(alternatives)
        case .scalar:
            throw .refused("the search \"\(name)\" is a keyword (a value with no field: a full-text search, which an event pattern cannot do)")
        case .alias:
            throw .damaged("the search \"\(name)\" is a YAML alias")
        }
    }

    private static func fields(_ name: String, _ mapping: Node.Mapping) throws(SigmaIssue) -> SigmaFormula {
        guard !mapping.isEmpty else { throw .damaged("the search \"\(name)\" is an empty mapping") }
        var parts: [SigmaFormula] = []
        for (key, value) in mapping {
            guard let spec = key.string else { throw .damaged("a field name in \"\(name)\" is not a string") }
            parts.append(try field(spec, value, search: name))
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private static func field(_ spec: String, _ node: Node, search: String) throws(SigmaIssue) -> SigmaFormula {
        let pieces = spec.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
        let field = pieces[0]
        let modifiers = Array(pieces.dropFirst())
        guard !field.isEmpty else {
            throw .refused("\"\(spec)\" in \"\(search)\" has no field name (a keyword search, which an event pattern cannot do)")
        }
        guard !field.contains("*") else { throw .refused("the field name \"\(field)\" holds a wildcard") }
        if let what = objectFields[field] {
            throw .refused("\(spec): in CloudTrail \(field) is an object (\(what)), not text; a pattern matches the values "
                + "inside it (\(field).NAME), not the object's text, which this rule searches")
        }
        let known: Set<String> = ["contains", "startswith", "endswith", "all", "cidr", "exists", "re", "cased", "i", "m", "s"]
        for modifier in modifiers where !known.contains(modifier) {
            if let why = unconvertible[modifier] {
                throw .refused("\(field)|\(modifier): `\(modifier)` \(why)")
            }
            throw .damaged("\(field)|\(modifier): unknown modifier \"\(modifier)\"")
        }
        var values: [Node] = []
        switch node {
        case .sequence(let items):
            guard !items.isEmpty else { throw .damaged("\(spec) in \"\(search)\" has an empty list of values") }
            values = Array(items)
        case .scalar: values = [node]
        default: throw .damaged("\(spec) in \"\(search)\": a value must be a string, number, boolean, null or a list of them")
        }
        var tests: [FieldTest] = []
        for value in values {
            guard case .scalar(let scalar) = value else {
                throw .damaged("\(spec) in \"\(search)\": a value must be a string, number, boolean, null or a list of them")
            }
            tests.append(try SigmaValue.test(scalar, isNull: value.null != nil, isBool: value.bool != nil, field: field, modifiers: modifiers))
        }
        if modifiers.contains("all") && tests.count > 1 {
            throw .refused("\(spec): `all` asks one field for several values at once (\(tests.map(\.summary).joined(separator: ", "))), "
                + "and an event pattern tests a field once")
        }
        return .literal(FieldLiteral(field: field, tests: uniqued(tests)))
    }
}

/// `items` without repeats, in their order.
func uniqued<T: Hashable>(_ items: [T]) -> [T] {
    var seen = Set<T>()
    return items.filter { seen.insert($0).inserted }
}

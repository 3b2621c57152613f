/// One value of a CloudFormation or SAM template, as read from YAML or JSON, before the intrinsic
/// functions in it are resolved.
///
/// Numbers keep the spelling they were written with (`1.50` stays `1.50`), because the event
/// pattern they end up in must be the text EventBridge receives, and a pattern's numeric matching
/// is exact. YAML's short forms (`!Ref x`, `!Sub …`) are read into the long form's one-member
/// object (`{"Ref": "x"}`), so that the resolver sees one spelling; a tag of another tool (e.g.
/// `!Rain::Embed`) stays `tagged` and is refused only where something must be resolved through it.
struct TemplateNode: Sendable {
    indirect enum Kind: Sendable {
        case string(String)
        /// A number in its written spelling, valid JSON number text.
        case number(String)
        case bool(Bool)
        case null
        case array([TemplateNode])
        /// Members in the order written.
        case object([(key: String, value: TemplateNode)])
        /// A YAML tag that is not one of CloudFormation's intrinsic functions, with its value.
        case tagged(String, TemplateNode)
    }

    var kind: Kind
    /// The 1-based line where the value starts (0 when unknown).
    var line: Int

    init(_ kind: Kind, line: Int) {
        self.kind = kind
        self.line = line
    }

    /// The member `key` of an object (the last, if written twice).
    subscript(key: String) -> TemplateNode? {
        guard case .object(let members) = kind else { return nil }
        return members.last { $0.key == key }?.value
    }

    var members: [(key: String, value: TemplateNode)]? {
        if case .object(let members) = kind { return members }
        return nil
    }

    var elements: [TemplateNode]? {
        if case .array(let elements) = kind { return elements }
        return nil
    }

    var string: String? {
        if case .string(let text) = kind { return text }
        return nil
    }

    /// The intrinsic function this node calls, when it is an object of one member whose key is
    /// `Ref`, `Condition` or starts with `Fn::`.
    var intrinsicFunction: (name: String, argument: TemplateNode)? {
        guard case .object(let members) = kind, members.count == 1 else { return nil }
        let key = members[0].key
        guard key == "Ref" || key == "Condition" || key.hasPrefix("Fn::") else { return nil }
        return (key, members[0].value)
    }

    /// What the node is, in words, for messages.
    var kindName: String {
        switch kind {
        case .string: "a string"
        case .number: "a number"
        case .bool: "a boolean"
        case .null: "null"
        case .array: "a list"
        case .object: "an object"
        case .tagged(let tag, _): "a value tagged \(tag)"
        }
    }
}

import VigilJSON

/// Writes a resolved template value as compact JSON text: what CloudFormation hands EventBridge
/// for an `EventPattern` written as YAML or JSON. Numbers keep their written spelling.
enum TemplateJSONWriter {
    static func json(_ node: TemplateNode) -> [UInt8] {
        var output: [UInt8] = []
        append(node, to: &output)
        return output
    }

    static func append(_ node: TemplateNode, to output: inout [UInt8]) {
        switch node.kind {
        case .string(let text): output.append(contentsOf: JSONText.quoted(text).utf8)
        case .number(let text): output.append(contentsOf: text.utf8)
        case .bool(let value): output.append(contentsOf: (value ? "true" : "false").utf8)
        case .null: output.append(utf8: "null")
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                append(element, to: &output)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let members):
            output.append(UInt8(ascii: "{"))
            for (index, member) in members.enumerated() {
                if index > 0 { output.append(UInt8(ascii: ",")) }
                output.append(contentsOf: JSONText.quoted(member.key).utf8)
                output.append(UInt8(ascii: ":"))
                append(member.value, to: &output)
            }
            output.append(UInt8(ascii: "}"))
        case .tagged(_, let value):
            append(value, to: &output)
        }
    }

    /// What `Fn::Equals` compares: scalars by their text (CloudFormation compares strings), other
    /// values by their JSON text.
    static func comparable(_ node: TemplateNode) -> String {
        IntrinsicResolver.scalarText(node) ?? String(decoding: json(node), as: UTF8.self)
    }
}

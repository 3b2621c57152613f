import Foundation
import Yams

/// Reads a YAML template into `TemplateNode`s with Yams (libyaml), typing plain scalars as
/// CloudFormation's YAML does (YAML 1.1 as PyYAML, cfn-lint's parser, reads it) and turning the
/// intrinsic functions' short forms into their long forms.
///
/// A hostile template cannot make the reading blow up: `YAMLExpansionCheck` measures the
/// expansion from libyaml's events before Yams composes anything (a "billion laughs" of nine
/// levels of ten aliases is refused in microseconds instead of expanding to 10⁹ values), and the
/// conversion here keeps its own budget of `maximumValues` values and `maximumScalarBytes` of
/// text (long strings repeated by aliases). libyaml itself stops nesting at 1,000 levels.
struct YAMLTemplateReader {
    /// Far above any real template (CloudFormation caps a template at 1 MB of text; the largest
    /// public one the tests read expands to a few thousand values).
    static let maximumValues = 1_000_000
    static let maximumScalarBytes = 64 << 20

    /// A reading that stopped: where and why.
    struct Failure: Error {
        let line: Int?
        let column: Int?
        let reason: String
    }

    /// The short forms CloudFormation knows, and their long forms.
    static let shortForms: [String: String] = [
        "!Ref": "Ref", "!Condition": "Condition", "!Base64": "Fn::Base64", "!Cidr": "Fn::Cidr",
        "!FindInMap": "Fn::FindInMap", "!GetAtt": "Fn::GetAtt", "!GetAZs": "Fn::GetAZs",
        "!ImportValue": "Fn::ImportValue", "!Join": "Fn::Join", "!Select": "Fn::Select", "!Split": "Fn::Split",
        "!Sub": "Fn::Sub", "!Transform": "Fn::Transform", "!And": "Fn::And", "!Equals": "Fn::Equals",
        "!If": "Fn::If", "!Not": "Fn::Not", "!Or": "Fn::Or", "!Length": "Fn::Length",
        "!ToJsonString": "Fn::ToJsonString",
    ]

    /// Marks every untagged value as such, so that `typed` types scalars by their style and text
    /// as CloudFormation does, instead of by Yams' YAML 1.2 rules (and an explicit `!!str` is told
    /// from a plain scalar).
    static let untypedResolver = Resolver.basic.appending(try! Resolver.Rule(Tag.Name(rawValue: untaggedName), "^"))
    static let untaggedName = "vigil:untagged"

    private var values = 0
    private var scalarBytes = 0

    static func read(_ text: String) throws(Failure) -> TemplateNode {
        do {
            try YAMLExpansionCheck.check(text, limit: maximumValues)
        } catch {
            throw Failure(line: error.line, column: error.column, reason: error.reason)
        }
        let root: Node?
        do {
            root = try Parser(yaml: text, resolver: Self.untypedResolver).singleRoot()
        } catch let error as YamlError {
            throw Self.failure(error)
        } catch {
            throw Failure(line: nil, column: nil, reason: "Not valid YAML: \(error)")
        }
        guard let root else { throw Failure(line: nil, column: nil, reason: "The file is empty") }
        var reader = YAMLTemplateReader()
        return try reader.convert(root)
    }

    private static func failure(_ error: YamlError) -> Failure {
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
             .composer(let context, let problem, let mark, _):
            let reason = [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
            return Failure(line: mark.line, column: mark.column, reason: "Not valid YAML: \(reason)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return Failure(line: context.mark.line, column: context.mark.column,
                           reason: "Not valid YAML: the key \(duplicates.joined(separator: ", ")) appears twice in one mapping")
        case .reader(let problem, _, _, _):
            return Failure(line: nil, column: nil, reason: "Not valid YAML: \(problem)")
        default:
            return Failure(line: nil, column: nil, reason: "Not valid YAML: \(error)")
        }
    }

    private mutating func count(_ node: Node, bytes: Int = 0) throws(Failure) {
        values += 1
        scalarBytes += bytes
        if values > Self.maximumValues || scalarBytes > Self.maximumScalarBytes {
            throw Failure(line: node.mark?.line, column: node.mark?.column,
                          reason: "The YAML expands to more than \(Self.maximumValues) values or \(Self.maximumScalarBytes >> 20) MiB of text "
                              + "(aliases repeating aliases, a \"billion laughs\"); refused")
        }
    }

    private mutating func convert(_ node: Node) throws(Failure) -> TemplateNode {
        let line = node.mark?.line ?? 0
        let tag = node.tag.rawValue
        let plain: TemplateNode
        switch node {
        case .scalar(let scalar):
            try count(node, bytes: scalar.string.utf8.count)
            plain = TemplateNode(Self.typed(scalar, tag: tag), line: line)
        case .alias:
            // Yams resolves aliases while composing; a bare alias node does not reach here.
            throw Failure(line: node.mark?.line, column: node.mark?.column, reason: "Not valid YAML: an unresolved alias")
        case .sequence(let sequence):
            try count(node)
            var elements: [TemplateNode] = []
            elements.reserveCapacity(sequence.count)
            for element in sequence { elements.append(try convert(element)) }
            plain = TemplateNode(.array(elements), line: line)
        case .mapping(let mapping):
            try count(node)
            var members: [(key: String, value: TemplateNode)] = []
            for (key, value) in mapping {
                guard case .scalar(let keyScalar) = key else {
                    throw Failure(line: key.mark?.line, column: key.mark?.column,
                                  reason: "A mapping key must be a plain value, not a list or a mapping")
                }
                try count(key, bytes: keyScalar.string.utf8.count)
                members.append((keyScalar.string, try convert(value)))
            }
            plain = TemplateNode(.object(members), line: line)
        }
        guard tag.hasPrefix("!"), tag != "!" else { return plain }
        if let function = Self.shortForms[tag] {
            var argument = plain
            // `!GetAtt a.b` is the long form's "a.b"; `!Ref`'s and `!Condition`'s argument is a name.
            if case .scalar(let scalar) = node { argument = TemplateNode(.string(scalar.string), line: line) }
            return TemplateNode(.object([(function, argument)]), line: line)
        }
        var argument = plain
        if case .scalar(let scalar) = node { argument = TemplateNode(.string(scalar.string), line: line) }
        return TemplateNode(.tagged(tag, argument), line: line)
    }

    /// A scalar's JSON type. Quoted, literal and folded scalars are strings; a plain one is null,
    /// a boolean or a number when YAML 1.1 (PyYAML's reading, which cfn-lint shares) says so.
    /// A number keeps its spelling when it is JSON's; YAML-only spellings (`+1`, `1_000`, `0x1F`,
    /// `017`) become the decimal JSON text of their value.
    static func typed(_ scalar: Node.Scalar, tag: String) -> TemplateNode.Kind {
        let text = scalar.string
        switch tag {
        case "tag:yaml.org,2002:str": return .string(text)
        case "tag:yaml.org,2002:null": return .null
        case "tag:yaml.org,2002:bool": return boolean(text).map { .bool($0) } ?? .string(text)
        case "tag:yaml.org,2002:int", "tag:yaml.org,2002:float": return number(text).map { .number($0) } ?? .string(text)
        default: break
        }
        guard scalar.style == .plain, tag == untaggedName else { return .string(text) }
        switch text {
        case "", "~", "null", "Null", "NULL": return .null
        default: break
        }
        if let value = boolean(text) { return .bool(value) }
        if let value = number(text) { return .number(value) }
        return .string(text)
    }

    static func boolean(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE", "yes", "Yes", "YES", "on", "On", "ON": true
        case "false", "False", "FALSE", "no", "No", "NO", "off", "Off", "OFF": false
        default: nil
        }
    }

    /// JSON number text for a YAML number, or nil when the text is not one.
    static func number(_ text: String) -> String? {
        if isJSONNumber(text) { return text }
        var digits = text.replacingOccurrences(of: "_", with: "")
        var negative = false
        if digits.hasPrefix("+") || digits.hasPrefix("-") {
            negative = digits.hasPrefix("-")
            digits.removeFirst()
        }
        guard !digits.isEmpty else { return nil }
        var value: Int?
        if digits.hasPrefix("0x") { value = Int(digits.dropFirst(2), radix: 16) }
        else if digits.hasPrefix("0b") { value = Int(digits.dropFirst(2), radix: 2) }
        else if digits.hasPrefix("0"), digits.count > 1, digits.allSatisfy({ ("0"..."7").contains($0) }) { value = Int(digits, radix: 8) }
        else if digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) { value = Int(digits) }
        else if isJSONNumber(digits) { return (negative ? "-" : "") + digits }
        else if digits.hasPrefix("."), isJSONNumber("0" + digits) { return (negative ? "-0" : "0") + digits }
        guard let value else { return nil }
        return (negative && value != 0 ? "-" : "") + String(value)
    }

    /// JSON's number grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    static func isJSONNumber(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        var index = 0
        func digits() -> Int {
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 { index += 1 }
            return index - start
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard index < bytes.count else { return false }
        if bytes[index] == UInt8(ascii: "0") { index += 1 } else if digits() == 0 { return false }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            if digits() == 0 { return false }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            if digits() == 0 { return false }
        }
        return index == bytes.count
    }
}

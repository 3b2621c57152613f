import Foundation
import VigilJSON

/// Resolves CloudFormation's intrinsic functions in a template value, as CloudFormation would
/// when creating the stack, from the template's parameters (defaults, or `--parameter`), pseudo
/// parameters, `Mappings`, `Conditions` and `--import-value` exports.
///
/// What only a deployed stack knows (`Fn::GetAtt`, `Ref` to a resource, `Fn::GetAZs`) cannot be
/// resolved and is reported with the function, the path and, where one exists, the option to pass.
struct IntrinsicResolver {
    let parameters: TemplateParameters
    /// The template's `Parameters`, `Mappings` and `Conditions`, and its resources' logical ids.
    let declared: [String: TemplateNode]
    let mappings: TemplateNode?
    let conditions: [String: TemplateNode]
    let resources: Set<String>
    /// `AWS::StackName` unless given: the template's file name without its extension.
    let stackName: String

    init(template: TemplateNode, stackName: String, parameters: TemplateParameters) {
        self.parameters = parameters
        self.stackName = stackName
        declared = Dictionary((template["Parameters"]?.members ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        mappings = template["Mappings"]
        conditions = Dictionary((template["Conditions"]?.members ?? []).map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })
        resources = Set((template["Resources"]?.members ?? []).map(\.key))
    }

    /// The value with every function resolved; nil when it is `AWS::NoValue` (the property is then absent).
    func resolve(_ node: TemplateNode, path: String) throws(TemplateResolutionProblem) -> TemplateNode? {
        if let (name, argument) = node.intrinsicFunction {
            return try call(name, argument, line: node.line, path: path)
        }
        switch node.kind {
        case .object(let members):
            var resolved: [(key: String, value: TemplateNode)] = []
            for member in members {
                if let value = try resolve(member.value, path: Self.join(path, member.key)) { resolved.append((member.key, value)) }
            }
            return TemplateNode(.object(resolved), line: node.line)
        case .array(let elements):
            var resolved: [TemplateNode] = []
            for (index, element) in elements.enumerated() {
                if let value = try resolve(element, path: "\(path)[\(index)]") { resolved.append(value) }
            }
            return TemplateNode(.array(resolved), line: node.line)
        case .tagged(let tag, _):
            throw TemplateResolutionProblem(function: tag, path: path, line: node.line,
                                            reason: "an unknown tag (not one of CloudFormation's intrinsic functions)")
        default:
            return node
        }
    }

    static func join(_ path: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.allSatisfy { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" }
        return plain ? (path.isEmpty ? key : "\(path).\(key)") : "\(path)[\(JSONText.quoted(key))]"
    }

    // MARK: Functions

    private func call(_ name: String, _ argument: TemplateNode, line: Int, path: String) throws(TemplateResolutionProblem) -> TemplateNode? {
        func problem(_ reason: String, remedy: String? = nil) -> TemplateResolutionProblem {
            TemplateResolutionProblem(function: name, path: path, line: line, reason: reason, remedy: remedy)
        }
        func arguments(_ count: ClosedRange<Int>) throws(TemplateResolutionProblem) -> [TemplateNode] {
            guard let list = try resolve(argument, path: path + "." + name)?.elements, count.contains(list.count) else {
                throw problem("takes a list of \(count.lowerBound == count.upperBound ? "\(count.lowerBound)" : "\(count.lowerBound) to \(count.upperBound)") values")
            }
            return list
        }
        switch name {
        case "Ref":
            guard let target = try resolve(argument, path: path + ".Ref")?.string else { throw problem("takes a name") }
            return try reference(target, line: line, path: path, function: "Ref")
        case "Fn::Sub":
            return TemplateNode(.string(try substitute(argument, line: line, path: path)), line: line)
        case "Fn::Join":
            let list = try arguments(2...2)
            guard let delimiter = list[0].string, let items = list[1].elements else {
                throw problem("takes [delimiter, [values…]]")
            }
            var texts: [String] = []
            for item in items {
                guard let text = Self.scalarText(item) else { throw problem("joins strings, and one value is \(item.kindName)") }
                texts.append(text)
            }
            return TemplateNode(.string(texts.joined(separator: delimiter)), line: line)
        case "Fn::Select":
            let list = try arguments(2...2)
            guard let indexText = Self.scalarText(list[0]), let index = Int(indexText), let items = list[1].elements else {
                throw problem("takes [index, [values…]]")
            }
            guard items.indices.contains(index) else { throw problem("index \(index) is outside the list of \(items.count)") }
            return items[index]
        case "Fn::Split":
            let list = try arguments(2...2)
            guard let delimiter = list[0].string, !delimiter.isEmpty, let source = list[1].string else {
                throw problem("takes [delimiter, string]")
            }
            return TemplateNode(.array(source.components(separatedBy: delimiter).map { TemplateNode(.string($0), line: line) }), line: line)
        case "Fn::FindInMap":
            let list = try arguments(3...3)
            guard let names = Optional(list.compactMap(Self.scalarText)), names.count == 3 else {
                throw problem("takes [MapName, TopLevelKey, SecondLevelKey]")
            }
            guard let map = mappings?[names[0]] else { throw problem("there is no mapping \(names[0]) in Mappings") }
            guard let top = map[names[1]] else { throw problem("the mapping \(names[0]) has no key \(names[1])") }
            guard let value = top[names[2]] else { throw problem("the mapping \(names[0]).\(names[1]) has no key \(names[2])") }
            return value
        case "Fn::If":
            guard let list = argument.elements, list.count == 3, let condition = list[0].string else {
                throw problem("takes [ConditionName, value if true, value if false]")
            }
            let chosen = try evaluate(condition: condition, line: line, path: path + ".Fn::If", visiting: []) ? 1 : 2
            return try resolve(list[chosen], path: "\(path).Fn::If[\(chosen)]")
        case "Fn::ImportValue":
            guard let exportName = try resolve(argument, path: path + ".Fn::ImportValue")?.string else {
                throw problem("takes the name of an export")
            }
            guard let value = parameters.importValues[exportName] else {
                throw problem("the export \(exportName) belongs to another stack", remedy: "--import-value \(exportName)=VALUE")
            }
            return TemplateNode(.string(value), line: line)
        case "Fn::GetAtt":
            let target = argument.string ?? (argument.elements?.compactMap(\.string).joined(separator: "."))
            throw problem("the attribute \(target ?? "?") of a resource is known only once the stack is deployed")
        case "Fn::Base64":
            guard let text = try resolve(argument, path: path + ".Fn::Base64").flatMap(Self.scalarText) else {
                throw problem("takes a string")
            }
            return TemplateNode(.string(Data(text.utf8).base64EncodedString()), line: line)
        case "Fn::Length":
            guard let items = try resolve(argument, path: path + ".Fn::Length")?.elements else { throw problem("takes a list") }
            return TemplateNode(.number(String(items.count)), line: line)
        case "Fn::ToJsonString":
            guard let value = try resolve(argument, path: path + ".Fn::ToJsonString") else { throw problem("takes a value") }
            return TemplateNode(.string(String(decoding: TemplateJSONWriter.json(value), as: UTF8.self)), line: line)
        case "Fn::GetAZs", "Fn::Cidr", "Fn::Transform":
            throw problem("is not resolved by Vigil (it needs AWS at deployment); write the value instead")
        case "Condition", "Fn::Equals", "Fn::And", "Fn::Or", "Fn::Not":
            throw problem("is a condition function, usable only in Conditions and Fn::If")
        default:
            throw problem("an unknown intrinsic function")
        }
    }

    /// A `Ref` (or a `${Name}` of `Fn::Sub`): a parameter, a pseudo parameter or a resource.
    private func reference(_ target: String, line: Int, path: String, function: String) throws(TemplateResolutionProblem) -> TemplateNode? {
        func problem(_ reason: String, remedy: String? = nil) -> TemplateResolutionProblem {
            TemplateResolutionProblem(function: function, path: path, line: line, reason: reason, remedy: remedy)
        }
        if target == "AWS::NoValue" { return nil }
        if let value = parameters.values[target] {
            return typedParameter(target, value, line: line)
        }
        if target.hasPrefix("AWS::") {
            let region = parameters.values["AWS::Region"]
            let partition = region.map(Self.partition(of:)) ?? "aws"
            switch target {
            case "AWS::Partition": return TemplateNode(.string(partition), line: line)
            case "AWS::URLSuffix": return TemplateNode(.string(partition == "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com"), line: line)
            case "AWS::StackName": return TemplateNode(.string(stackName), line: line)
            case "AWS::NotificationARNs": return TemplateNode(.array([]), line: line)
            case "AWS::AccountId", "AWS::Region", "AWS::StackId":
                throw problem("the pseudo parameter \(target) depends on where the stack is deployed", remedy: "--parameter \(target)=VALUE")
            default:
                throw problem("\(target) is not a pseudo parameter")
            }
        }
        if let declaration = declared[target] {
            let type = declaration["Type"]?.string ?? "String"
            if type.hasPrefix("AWS::SSM::Parameter::Value") {
                throw problem("the parameter \(target) is read from Systems Manager at deployment", remedy: "--parameter \(target)=VALUE")
            }
            guard let defaultValue = declaration["Default"] else {
                throw problem("the parameter \(target) has no Default", remedy: "--parameter \(target)=VALUE")
            }
            if let list = defaultValue.elements { return TemplateNode(.array(list), line: line) }
            guard let text = Self.scalarText(defaultValue) else {
                throw problem("the Default of the parameter \(target) is \(defaultValue.kindName)")
            }
            return typedParameter(target, text, line: line)
        }
        if resources.contains(target) {
            throw problem("a reference to the resource \(target), whose id is known only once the stack is deployed")
        }
        throw problem("\(target) is neither a parameter nor a resource of the template",
                      remedy: "--parameter \(target)=VALUE")
    }

    /// A parameter's value as `Ref` gives it: a list for list types, else a string.
    private func typedParameter(_ name: String, _ value: String, line: Int) -> TemplateNode {
        let type = declared[name]?["Type"]?.string ?? "String"
        if type == "CommaDelimitedList" || type.hasPrefix("List<") {
            let items = value.split(separator: ",", omittingEmptySubsequences: false)
                .map { TemplateNode(.string($0.trimmingCharacters(in: .whitespaces)), line: line) }
            return TemplateNode(.array(items), line: line)
        }
        return TemplateNode(.string(value), line: line)
    }

    static func partition(of region: String) -> String {
        if region.hasPrefix("cn-") { return "aws-cn" }
        if region.hasPrefix("us-gov-") { return "aws-us-gov" }
        return "aws"
    }

    /// `Fn::Sub`: `"text ${Name} ${Resource.Attribute} ${!Literal}"`, or `[text, {Name: value}]`.
    private func substitute(_ argument: TemplateNode, line: Int, path: String) throws(TemplateResolutionProblem) -> String {
        func problem(_ reason: String) -> TemplateResolutionProblem {
            TemplateResolutionProblem(function: "Fn::Sub", path: path, line: line, reason: reason)
        }
        let text: String
        var variables: [String: TemplateNode] = [:]
        if let string = argument.string {
            text = string
        } else if let list = argument.elements, list.count == 2, let string = list[0].string, let map = list[1].members {
            text = string
            for (key, value) in map { variables[key] = value }
        } else {
            throw problem("takes a string, or [string, {Name: value, …}]")
        }
        // Scanned as bytes, by index: copying the rest of the text after each variable made a
        // 1 MB string of 200,000 `${!x}` take 4.7 s of CPU in `rules validate` (debug build);
        // scanned, 0.38 s (a plain 1 MB string: 0.14 s).
        let bytes = Array(text.utf8)
        let dollar = UInt8(ascii: "$"), open = UInt8(ascii: "{"), close = UInt8(ascii: "}")
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            guard bytes[index] == dollar, index + 1 < bytes.count, bytes[index + 1] == open else {
                output.append(bytes[index])
                index += 1
                continue
            }
            guard let end = bytes[(index + 2)...].firstIndex(of: close) else {
                output += bytes[index...]
                break
            }
            let name = String(decoding: bytes[(index + 2)..<end], as: UTF8.self)
            index = end + 1
            if name.hasPrefix("!") {
                output += Array("${".utf8) + Array(name.utf8.dropFirst()) + [close]
                continue
            }
            let variablePath = path + ".Fn::Sub.${\(name)}"
            let value: TemplateNode?
            if let variable = variables[name] {
                value = try resolve(variable, path: variablePath)
            } else if name.contains("."), !name.hasPrefix("AWS::") {
                throw TemplateResolutionProblem(function: "Fn::Sub", path: path, line: line,
                                                reason: "${\(name)} is a resource attribute, known only once the stack is deployed")
            } else {
                value = try reference(name, line: line, path: variablePath, function: "Fn::Sub")
            }
            guard let value, let piece = Self.scalarText(value) else {
                throw problem("${\(name)} is not a string (a list or an object cannot be substituted)")
            }
            output += piece.utf8
        }
        return String(decoding: output, as: UTF8.self)
    }

    // MARK: Conditions

    /// How many conditions may name one another in a chain; real templates use a handful.
    static let maximumConditionChain = 100

    /// The value of the condition `name` from `Conditions`; a condition that refers to itself,
    /// directly or through others, is refused rather than followed forever.
    func evaluate(condition name: String, line: Int, path: String, visiting: [String]) throws(TemplateResolutionProblem) -> Bool {
        guard let definition = conditions[name] else {
            throw TemplateResolutionProblem(function: "Condition", path: path, line: line,
                                            reason: "there is no condition \(name) in Conditions")
        }
        guard !visiting.contains(name) else {
            throw TemplateResolutionProblem(function: "Condition", path: "Conditions.\(name)", line: definition.line,
                                            reason: "the conditions refer to each other in a circle: \((visiting + [name]).joined(separator: " → "))")
        }
        // Each condition is evaluated by recursion: a chain of 20,000 conditions, each naming the
        // next, overflowed the stack (debug build, crash at about 15,000).
        guard visiting.count < Self.maximumConditionChain else {
            throw TemplateResolutionProblem(function: "Condition", path: "Conditions.\(name)", line: definition.line,
                                            reason: "the conditions name each other more than \(Self.maximumConditionChain) deep")
        }
        return try evaluate(definition, path: "Conditions.\(name)", visiting: visiting + [name])
    }

    private func evaluate(_ node: TemplateNode, path: String, visiting: [String]) throws(TemplateResolutionProblem) -> Bool {
        guard let (name, argument) = node.intrinsicFunction else {
            if case .bool(let value) = node.kind { return value }
            throw TemplateResolutionProblem(function: "Condition", path: path, line: node.line,
                                            reason: "a condition must be Fn::Equals, Fn::And, Fn::Or, Fn::Not or Condition, not \(node.kindName)")
        }
        let inner = path + "." + name
        func problem(_ reason: String) -> TemplateResolutionProblem {
            TemplateResolutionProblem(function: name, path: path, line: node.line, reason: reason)
        }
        switch name {
        case "Condition":
            guard let other = argument.string else { throw problem("takes the name of a condition") }
            return try evaluate(condition: other, line: node.line, path: inner, visiting: visiting)
        case "Fn::Equals":
            guard let list = argument.elements, list.count == 2 else { throw problem("takes [value, value]") }
            let left = try resolve(list[0], path: inner + "[0]")
            let right = try resolve(list[1], path: inner + "[1]")
            return left.map(TemplateJSONWriter.comparable) == right.map(TemplateJSONWriter.comparable)
        case "Fn::Not":
            guard let list = argument.elements, list.count == 1 else { throw problem("takes [condition]") }
            return try !evaluate(list[0], path: inner + "[0]", visiting: visiting)
        case "Fn::And", "Fn::Or":
            guard let list = argument.elements, (2...10).contains(list.count) else { throw problem("takes 2 to 10 conditions") }
            for (index, element) in list.enumerated() {
                let value = try evaluate(element, path: "\(inner)[\(index)]", visiting: visiting)
                if name == "Fn::And" && !value { return false }
                if name == "Fn::Or" && value { return true }
            }
            return name == "Fn::And"
        default:
            throw problem("is not a condition function")
        }
    }

    /// A scalar's text as `Fn::Join` and `Fn::Sub` use it.
    static func scalarText(_ node: TemplateNode) -> String? {
        switch node.kind {
        case .string(let text), .number(let text): text
        case .bool(let value): value ? "true" : "false"
        default: nil
        }
    }
}

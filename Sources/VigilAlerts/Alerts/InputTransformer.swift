import VigilJSON

/// A rule's `inputTransformer`: EventBridge's `InputPathsMap` and `InputTemplate`, which turn a matched
/// event into the payload a webhook posts instead of the alert object.
///
/// What EventBridge does (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-transform-target-input.html,
/// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_InputTransformer.html), and so what
/// this does:
///
/// * `inputPathsMap` names up to 100 variables, each a JSON path into the event (see `EventPath`:
///   `$.detail.state`, `$.resources[0]`). Names are `[A-Za-z0-9_-]+`, at most 256 characters; paths
///   at most 256 characters; the template at most 8192.
/// * The template refers to a variable as `<name>`. The reserved variables need no definition and
///   cannot be defined: `<aws.events.rule-name>`, `<aws.events.event.ingestion-time>` (an ISO 8601
///   time), `<aws.events.event>` (the event without its `detail`) and `<aws.events.event.json>` (the
///   whole event). A placeholder that is neither defined nor reserved is refused, as EventBridge's
///   PutTargets refuses it ("InputTemplate for target … contains invalid placeholder …"). A `<` that
///   does not start `<name>` is plain text.
/// * A JSON template (`{"state": <state>, "msg": "instance <instance> is <state>"}`): a placeholder
///   outside quotes becomes a JSON value — a string gets its quotes, a number, boolean, object or
///   array goes in as it is; a placeholder inside a string literal puts the value's text there.
///   Placeholders cannot be object keys. The output is minified.
/// * A string template, one quoted string (`"instance <instance> is in <state>"`), and free text
///   (`<instance> is in state <status>`): each placeholder is replaced by the value's text.
/// * A variable whose path matches nothing in the event becomes the empty string: `""` outside
///   quotes, nothing inside a string or text (EventBridge's behaviour as recorded against AWS in
///   LocalStack's validated snapshots, tests/aws/services/events/test_events_inputs.snapshot.json).
///
/// Where we deliberately differ:
///
/// * Values are JSON-escaped where they land inside a JSON string. EventBridge "doesn't escape values
///   extracted by Input Path", so a value with a quote, a backslash or a newline breaks its output,
///   and it strips the quotes out of an object or array put inside a string; here a JSON template
///   always gives valid JSON, and an object inside a string is its JSON text, escaped.
///   `<aws.events.event>` and `<aws.events.event.json>` may therefore appear inside strings and text
///   too (EventBridge allows them only as JSON values).
/// * Missing paths are found at load time: `missingPaths(in:)` lists the variables that a rule's test
///   event does not have, where EventBridge silently renders them empty.
/// * A string template gives its text without the enclosing quotes, sent as `text/plain`;
///   EventBridge sends the quoted JSON string (`"instance i-0123456789 is in RUNNING"`).
/// * A template that starts with `{`, `[` or `"` must be valid JSON (a single string for `"`), and
///   a placeholder inside an object key is refused too; EventBridge does not check.
/// * `<aws.events.rule-arn>` is refused: a Vigil rule has no ARN.
/// * `<aws.events.event>` keeps the event's own member names (EventBridge was recorded writing
///   `detailType` there).
///
/// Rendering runs only for matched events; it resolves each placeholder's path on the event bytes
/// and copies the value, without building a JSON tree and without Foundation.
public struct InputTransformer: Sendable {
    /// What kind of template it is, which decides how values go in and what the output is.
    public enum TemplateKind: Sendable, Hashable {
        /// A JSON value (object, array, bare placeholder, …): the output is one JSON value.
        case json
        /// One JSON string literal: the output is its text, values put in, without the quotes.
        case string
        /// Anything else: the output is the text with the values put in.
        case text
    }

    /// One variable of `inputPathsMap`.
    public struct Variable: Sendable, Hashable {
        public let name: String
        public let path: EventPath
    }

    /// Where a placeholder's value comes from.
    enum Source: Sendable, Hashable {
        /// The variable at this index of `variables`.
        case variable(Int)
        case ruleName
        /// The event without its `detail` member.
        case eventWithoutDetail
        case wholeEvent
        case ingestionTime
    }

    /// How a value is written where its placeholder stood.
    enum Context: Sendable, Hashable {
        /// As a JSON value of its own, outside quotes.
        case jsonValue
        /// Inside a JSON string literal: the value's text, JSON-escaped.
        case jsonString
        /// In plain text: the value's text as it is.
        case text
    }

    /// A piece of the template: text copied as it is, or a placeholder.
    enum Segment: Sendable, Hashable {
        case literal([UInt8])
        case placeholder(Source, Context)
    }

    /// The variables of `inputPathsMap`, in the order written.
    public let variables: [Variable]
    /// The template as written (unescaped from the rule file's JSON string).
    public let template: String
    public let kind: TemplateKind
    /// The template cut at its placeholders; literal pieces of JSON templates are already minified.
    let segments: [Segment]

    /// The reserved variables we can fill in.
    static let reserved: [String: Source] = [
        "aws.events.rule-name": .ruleName,
        "aws.events.event": .eventWithoutDetail,
        "aws.events.event.json": .wholeEvent,
        "aws.events.event.ingestion-time": .ingestionTime,
    ]
    /// Reserved by EventBridge, without a meaning here.
    static let unsupported: Set<String> = ["aws.events.rule-arn"]

    /// EventBridge's limits (API_InputTransformer: map entries, key length, value length, template length).
    static let maximumVariables = 100
    static let maximumNameLength = 256
    static let maximumPathLength = 256
    static let maximumTemplateLength = 8192

    /// Reads the `inputTransformer` object of a rule file, in the rule-file spelling (`inputPathsMap`,
    /// `inputTemplate`) or the API and CloudFormation one (`InputPathsMap`, `InputTemplate`), and
    /// checks everything EventBridge checks at PutTargets and more (see the type's documentation).
    public init(json: UnsafeRawBufferPointer) throws(InputTransformerError) {
        do throws(EventError) {
            try JSONValidator.validate(json)
        } catch {
            throw .malformedJSON(reason: error.message, offset: error.offset)
        }
        let start = JSONBytes.skipWhitespace(json, from: 0)
        guard json[start] == UInt8(ascii: "{"), let members = try? JSONMembers.read(json) else {
            throw .notAnObject
        }
        var pathsMap: Range<Int>?
        var templateValue: Range<Int>?
        for member in members {
            switch member.key {
            case "inputPathsMap", "InputPathsMap":
                guard pathsMap == nil else { throw .duplicateKey(member.key) }
                pathsMap = member.value
            case "inputTemplate", "InputTemplate":
                guard templateValue == nil else { throw .duplicateKey(member.key) }
                templateValue = member.value
            default:
                throw .unknownKey(member.key)
            }
        }
        let variables = try Self.readVariables(json, pathsMap)
        guard let templateValue else { throw .missingTemplate }
        guard let template = JSONMembers.string(at: templateValue, in: json) else { throw .templateNotAString }
        guard !template.isEmpty else { throw .emptyTemplate }
        let length = template.utf16.count
        guard length <= Self.maximumTemplateLength else { throw .templateTooLong(length: length) }

        var names: [String: Int] = [:]
        for (index, variable) in variables.enumerated() { names[variable.name] = index }
        let parser = TemplateParser(bytes: Array(template.utf8), variables: names)
        (kind, segments) = try parser.parse()
        self.variables = variables
        self.template = template
    }

    /// The payload for `event` (a well-formed JSON event, as readers hand on): valid JSON for a JSON
    /// template, text for the others. `ingestionTime` fills `<aws.events.event.ingestion-time>`.
    public func render(event: UnsafeRawBufferPointer, ruleName: String, ingestionTime: String) -> TransformedPayload {
        var output: [UInt8] = []
        output.reserveCapacity(template.utf8.count * 2)
        var scratch: [UInt8] = []
        for segment in segments {
            switch segment {
            case .literal(let bytes):
                output.append(contentsOf: bytes)
            case .placeholder(let source, let context):
                switch source {
                case .variable(let index):
                    if let range = variables[index].path.value(in: event) {
                        Self.appendValue(UnsafeRawBufferPointer(rebasing: event[range]), context, to: &output, scratch: &scratch)
                    } else {
                        Self.appendMissing(context, to: &output)
                    }
                case .ruleName:
                    Self.appendText(ruleName, context, to: &output)
                case .ingestionTime:
                    Self.appendText(ingestionTime, context, to: &output)
                case .wholeEvent:
                    if let range = EventPath.wholeEvent.value(in: event) {
                        Self.appendValue(UnsafeRawBufferPointer(rebasing: event[range]), context, to: &output, scratch: &scratch)
                    } else {
                        Self.appendMissing(context, to: &output)
                    }
                case .eventWithoutDetail:
                    var copy: [UInt8] = []
                    if Self.appendWithoutDetail(event, to: &copy) {
                        copy.withUnsafeBytes { Self.appendValue($0, context, to: &output, scratch: &scratch) }
                    } else {
                        Self.appendMissing(context, to: &output)
                    }
                }
            }
        }
        return TransformedPayload(bytes: output, isJSON: kind == .json)
    }

    /// The names of the variables whose path matches nothing in `event`, in the order defined: for
    /// load-time reports against a rule's test events (EventBridge would render them empty).
    public func missingPaths(in event: UnsafeRawBufferPointer) -> [String] {
        variables.filter { $0.path.value(in: event) == nil }.map(\.name)
    }
}

// MARK: - Reading the inputTransformer object

extension InputTransformer {
    private static func readVariables(_ json: UnsafeRawBufferPointer, _ range: Range<Int>?) throws(InputTransformerError) -> [Variable] {
        guard let range else { return [] }
        guard json[range.lowerBound] == UInt8(ascii: "{") else { throw .pathsMapNotAnObject }
        let object = UnsafeRawBufferPointer(rebasing: json[range])
        let members = (try? JSONMembers.read(object)) ?? []
        guard members.count <= maximumVariables else { throw .tooManyVariables(count: members.count) }
        var variables: [Variable] = []
        var seen: Set<String> = []
        for member in members {
            let name = member.key
            if reserved[name] != nil || unsupported.contains(name) || name.lowercased().hasPrefix("aws.") {
                throw .reservedVariableName(name)
            }
            guard isValidName(name) else { throw .invalidVariableName(name) }
            guard seen.insert(name).inserted else { throw .duplicateVariable(name) }
            guard let text = JSONMembers.string(at: member.value, in: object) else { throw .pathNotAString(variable: name) }
            let length = text.utf16.count
            guard length <= maximumPathLength else { throw .pathTooLong(variable: name, length: length) }
            do throws(EventPath.SyntaxError) {
                variables.append(Variable(name: name, path: try EventPath(text)))
            } catch {
                throw .invalidPath(variable: name, error: error)
            }
        }
        return variables
    }

    /// EventBridge's key pattern `[A-Za-z0-9\_\-]+`, 1 to 256 characters.
    private static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= maximumNameLength && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}

// MARK: - Rendering values

extension InputTransformer {
    /// Writes the JSON value `value` (from the event, or built from it) in `context`.
    private static func appendValue(_ value: UnsafeRawBufferPointer, _ context: Context, to output: inout [UInt8],
                                    scratch: inout [UInt8]) {
        guard let first = value.first else { return }
        let isString = first == UInt8(ascii: "\"")
        let isContainer = first == UInt8(ascii: "{") || first == UInt8(ascii: "[")
        switch context {
        case .jsonValue:
            JSONText.appendCompacted(value, to: &output)
        case .jsonString:
            if isString {
                // The contents of a well-formed JSON string are already escaped for any other one.
                output.append(contentsOf: value.dropFirst().dropLast())
            } else if isContainer {
                scratch.removeAll(keepingCapacity: true)
                JSONText.appendCompacted(value, to: &scratch)
                scratch.withUnsafeBytes { JSONText.appendEscaped($0, to: &output) }
            } else {
                output.append(contentsOf: value)  // a number, true, false or null: nothing to escape
            }
        case .text:
            if isString {
                JSONString.unescape(UnsafeRawBufferPointer(rebasing: value.dropFirst().dropLast()), into: &scratch)
                output.append(contentsOf: scratch)
            } else {
                JSONText.appendCompacted(value, to: &output)
            }
        }
    }

    /// What a variable without a value becomes: EventBridge's empty string.
    private static func appendMissing(_ context: Context, to output: inout [UInt8]) {
        if context == .jsonValue { output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: "\"")]) }
    }

    /// Writes a text value (the rule name, the ingestion time) in `context`.
    private static func appendText(_ text: String, _ context: Context, to output: inout [UInt8]) {
        var text = text
        text.withUTF8 { utf8 in
            let bytes = UnsafeRawBufferPointer(utf8)
            switch context {
            case .jsonValue: JSONText.appendQuoted(bytes, to: &output)
            case .jsonString: JSONText.appendEscaped(bytes, to: &output)
            case .text: output.append(contentsOf: bytes)
            }
        }
    }

    /// Appends the event object without its `detail` member, minified; false if it is not an object.
    private static func appendWithoutDetail(_ event: UnsafeRawBufferPointer, to output: inout [UInt8]) -> Bool {
        var key: [UInt8] = []
        var first = true
        output.append(UInt8(ascii: "{"))
        do throws(EventError) {
            try JSONMembers.forEach(in: event) { name, isEscaped, value in
                if isEscaped {
                    JSONString.unescape(name, into: &key)
                    if key.elementsEqual("detail".utf8) { return true }
                } else if JSONBytes.equals(name, "detail") {
                    return true
                }
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                output.append(UInt8(ascii: "\""))
                output.append(contentsOf: name)
                output.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
                JSONText.appendCompacted(UnsafeRawBufferPointer(rebasing: event[value]), to: &output)
                return true
            }
        } catch {
            return false
        }
        output.append(UInt8(ascii: "}"))
        return true
    }
}

extension EventPath {
    /// `$`, parsed once.
    fileprivate static let wholeEvent = try! EventPath("$")
}

/// Why a rule's `inputTransformer` was refused: what is wrong, and where — which key, which variable,
/// which character of the template. `description` is the sentence shown to the rule's author.
public enum InputTransformerError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The bytes are not well-formed JSON.
    case malformedJSON(reason: String, offset: Int)
    /// The value of `inputTransformer` is not a JSON object.
    case notAnObject
    /// A key other than `inputPathsMap` and `inputTemplate` (or their API spellings).
    case unknownKey(String)
    /// The same setting given twice, in one spelling or in both (`inputTemplate` and `InputTemplate`).
    case duplicateKey(String)
    /// `inputPathsMap` is not a JSON object.
    case pathsMapNotAnObject
    /// More variables than EventBridge's limit of 100.
    case tooManyVariables(count: Int)
    /// A variable name outside EventBridge's `[A-Za-z0-9_-]+`, or longer than 256 characters.
    case invalidVariableName(String)
    /// A variable name that EventBridge reserves (`aws.events.…`).
    case reservedVariableName(String)
    /// The same variable name twice in `inputPathsMap`.
    case duplicateVariable(String)
    /// A variable's path is not a JSON string.
    case pathNotAString(variable: String)
    /// A variable's path is longer than EventBridge's limit of 256 characters.
    case pathTooLong(variable: String, length: Int)
    /// A variable's path does not parse.
    case invalidPath(variable: String, error: EventPath.SyntaxError)
    /// No `inputTemplate`.
    case missingTemplate
    /// `inputTemplate` is not a JSON string.
    case templateNotAString
    /// `inputTemplate` is the empty string.
    case emptyTemplate
    /// `inputTemplate` is longer than EventBridge's limit of 8192 characters.
    case templateTooLong(length: Int)
    /// A placeholder names neither a variable of `inputPathsMap` nor a reserved variable; EventBridge
    /// refuses these too ("InputTemplate … contains invalid placeholder …").
    case undefinedPlaceholder(name: String, position: Int)
    /// A reserved placeholder that has no meaning outside EventBridge (`<aws.events.rule-arn>`).
    case unsupportedPlaceholder(name: String, position: Int)
    /// A placeholder used as an object key, or inside one, in a JSON template.
    case placeholderInKey(name: String, position: Int)
    /// A template that starts as JSON (`{`, `[` or `"`) but is not valid JSON once placeholders are
    /// taken as values.
    case invalidJSONTemplate(reason: String, position: Int)

    public var description: String {
        switch self {
        case .malformedJSON(let reason, let offset):
            return "inputTransformer is not valid JSON: \(reason) at byte \(offset)"
        case .notAnObject:
            return "inputTransformer must be a JSON object with \"inputPathsMap\" and \"inputTemplate\""
        case .unknownKey(let key):
            return "inputTransformer: unknown key \"\(key)\" (expected \"inputPathsMap\" and \"inputTemplate\")"
        case .duplicateKey(let key):
            return "inputTransformer: \"\(key)\" is given more than once"
        case .pathsMapNotAnObject:
            return "inputTransformer: \"inputPathsMap\" must be an object of variable names to JSON paths, such as {\"state\": \"$.detail.state\"}"
        case .tooManyVariables(let count):
            return "inputTransformer: \"inputPathsMap\" defines \(count) variables; EventBridge allows at most 100"
        case .invalidVariableName(let name):
            return "inputTransformer: the variable name \"\(name)\" in \"inputPathsMap\" must be 1 to 256 letters, digits, '-' or '_'"
        case .reservedVariableName(let name):
            return "inputTransformer: the variable name \"\(name)\" in \"inputPathsMap\" is reserved by EventBridge; use <\(name)> in the template without defining it"
        case .duplicateVariable(let name):
            return "inputTransformer: the variable \"\(name)\" is defined twice in \"inputPathsMap\""
        case .pathNotAString(let variable):
            return "inputTransformer: the path of variable \"\(variable)\" must be a string such as \"$.detail.state\""
        case .pathTooLong(let variable, let length):
            return "inputTransformer: the path of variable \"\(variable)\" has \(length) characters; EventBridge allows at most 256"
        case .invalidPath(let variable, let error):
            return "inputTransformer: variable \"\(variable)\": \(error)"
        case .missingTemplate:
            return "inputTransformer needs an \"inputTemplate\""
        case .templateNotAString:
            return "inputTransformer: \"inputTemplate\" must be a string (a JSON template is written as a string too, as in EventBridge)"
        case .emptyTemplate:
            return "inputTransformer: \"inputTemplate\" cannot be empty"
        case .templateTooLong(let length):
            return "inputTransformer: \"inputTemplate\" has \(length) characters; EventBridge allows at most 8192"
        case .undefinedPlaceholder(let name, let position):
            return "inputTransformer: the placeholder <\(name)> at character \(position) of \"inputTemplate\" is not defined in \"inputPathsMap\" and is not a reserved variable (<aws.events.rule-name>, <aws.events.event>, <aws.events.event.json>, <aws.events.event.ingestion-time>)"
        case .unsupportedPlaceholder(let name, let position):
            return "inputTransformer: the placeholder <\(name)> at character \(position) of \"inputTemplate\" is not available: Vigil rules do not run in EventBridge and have no rule ARN; use <aws.events.rule-name>"
        case .placeholderInKey(let name, let position):
            return "inputTransformer: the placeholder <\(name)> at character \(position) of \"inputTemplate\" is in an object key; placeholders can only be values or parts of string values"
        case .invalidJSONTemplate(let reason, let position):
            return "inputTransformer: \"inputTemplate\" is not valid JSON: \(reason) at character \(position)"
        }
    }
}

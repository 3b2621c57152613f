import Foundation

/// What a template needs from outside to be resolved, given on the command line wherever rules are
/// loaded: `--parameter KEY=VALUE` (a template parameter or a pseudo parameter such as
/// `AWS::Region`), `--parameters-file FILE` (the AWS CLI's `[{"ParameterKey", "ParameterValue"}]`)
/// and `--import-value NAME=VALUE` (another stack's export, for `Fn::ImportValue`).
public struct TemplateParameters: Sendable, Equatable {
    /// Parameter values by name; pseudo parameters by their `AWS::` names.
    public var values: [String: String]
    /// Exports by name.
    public var importValues: [String: String]

    public init(values: [String: String] = [:], importValues: [String: String] = [:]) {
        self.values = values
        self.importValues = importValues
    }

    /// A `KEY=VALUE` argument split at its first `=`; nil when there is none or the key is empty.
    public static func assignment(_ text: String) -> (key: String, value: String)? {
        guard let equals = text.firstIndex(of: "="), equals != text.startIndex else { return nil }
        return (String(text[..<equals]), String(text[text.index(after: equals)...]))
    }

    /// The parameters of a file in the AWS CLI's form, `[{"ParameterKey": …, "ParameterValue": …}]`
    /// (entries with `"UsePreviousValue": true` and no value are refused: there is no previous stack
    /// here to take it from).
    public static func fromFile(_ path: String) throws(TemplateParametersFileError) -> [String: String] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TemplateParametersFileError(file: path, reason: "The file cannot be read")
        }
        guard let array = (try? JSONSerialization.jsonObject(with: data)) as? [Any] else {
            throw TemplateParametersFileError(file: path, reason: "A parameters file is a JSON array of {\"ParameterKey\": …, \"ParameterValue\": …}")
        }
        var values: [String: String] = [:]
        for (index, element) in array.enumerated() {
            guard let entry = element as? [String: Any], let key = entry["ParameterKey"] as? String, !key.isEmpty else {
                throw TemplateParametersFileError(file: path, reason: "Entry \(index + 1) has no \"ParameterKey\" string")
            }
            guard let value = entry["ParameterValue"] as? String else {
                throw TemplateParametersFileError(file: path, reason: "Entry \(index + 1) (\(key)) has no \"ParameterValue\" string")
            }
            values[key] = value
        }
        return values
    }
}

/// A `--parameters-file` that cannot be used.
public struct TemplateParametersFileError: Error, Sendable, CustomStringConvertible {
    public let file: String
    public let reason: String
    public var description: String { "\(file): \(reason)" }
}

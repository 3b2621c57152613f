import Foundation

/// A JSON value of a configuration file, as a tree.
///
/// A configuration file is small and read once, so Foundation's decoder is fine here; the tree
/// (rather than `Decodable` structs) is what lets `ConfigurationReader` report every problem at
/// once with its key path, refuse unknown keys, and tell `true` from `1` and `"5s"` from `5`.
enum ConfigurationValue: Decodable, Sendable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([ConfigurationValue])
    case object([String: ConfigurationValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Bool first: Foundation's decoder refuses a number as Bool and `true` as a number, so
        // the order only matters for speed.
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([ConfigurationValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: ConfigurationValue].self))
        }
    }

    /// What the value is, for messages such as "must be a string, not a number".
    var kind: String {
        switch self {
        case .null: "null"
        case .bool: "a boolean"
        case .number: "a number"
        case .string: "a string"
        case .array: "an array"
        case .object: "an object"
        }
    }
}

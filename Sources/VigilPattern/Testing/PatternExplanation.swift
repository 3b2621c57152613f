/// Why an event does not match a pattern: the first field that failed, in the order EventBridge
/// checks fields, what the pattern wanted there and what the event had.
///
/// `lines` is the text for people, e.g.
/// `field detail.requestParameters.publiclyAccessible: the pattern wants [true], the event has false`.
public struct PatternExplanation: Sendable, Hashable, CustomStringConvertible {
    /// What the event holds at the field that failed.
    public enum Found: Sendable, Hashable {
        /// The field's values, as written in the event (strings quoted), in event order. For a
        /// condition that allows absence (`exists: false`) only the values that prevent the
        /// absence, those in the same array elements as the fields already chosen.
        case values([String])
        /// No member of the event has this path.
        case absent
        /// An object where a value was wanted: patterns test strings, numbers, `true`, `false`
        /// and `null`, never objects.
        case object
        /// An empty array, which holds no value to test.
        case emptyArray
        /// The path cannot be followed because a part of it is not an object: `path` holds
        /// `value` (e.g. `detail.requestParameters` is `null`).
        case notAnObject(path: String, value: String)
    }

    /// The field has a value that passes, but only in another element of an array than the values
    /// chosen for an earlier field of the same branch, and EventBridge wants them in one element.
    public struct SameElementConflict: Sendable, Hashable {
        /// The dot-joined path of the array whose elements disagree (nil if it could not be named).
        public let array: String?
        /// The earlier field whose value was chosen, and its condition as pattern text.
        public let otherPath: String
        public let otherWanted: String
    }

    /// The dot-joined path of the field that failed, e.g. `detail.requestParameters.publiclyAccessible`.
    public let path: String
    /// The field's condition as pattern text, e.g. `[true]` or `[{"prefix":"Delete"}]`.
    public let wanted: String
    /// What the event holds at `path`.
    public let found: Found
    /// Set when the field failed only because of the same-element rule of arrays of objects.
    public let conflict: SameElementConflict?
    /// How many alternatives the pattern has (more than one only with `$or`).
    public let alternativeCount: Int
    /// The alternative explained, the one that got furthest (index into `EventPattern.branches`).
    public let alternative: Int
    /// How many conditions of that alternative held before `path` failed.
    public let conditionsMet: Int
    /// How many conditions that alternative has.
    public let conditionCount: Int

    /// The explanation for people: one line naming the field, preceded by a line about `$or`
    /// when the pattern has alternatives.
    public var lines: [String] {
        var lines: [String] = []
        if alternativeCount > 1 {
            lines.append("none of the \(alternativeCount) alternatives of $or matches; alternative \(alternative + 1) "
                + "gets furthest, with \(conditionsMet) of its \(conditionCount) conditions met before this one:")
        }
        lines.append("field \(path): " + reason)
        return lines
    }

    public var description: String { lines.joined(separator: "\n") }

    private var reason: String {
        if let conflict {
            return "no single element of \(conflict.array ?? "an enclosing array") satisfies both "
                + "\(conflict.otherPath) \(conflict.otherWanted) and \(path) \(wanted)"
        }
        let wants = "the pattern wants \(wanted), "
        switch found {
        case .values(let values):
            return wants + "the event has " + Self.quote(values)
        case .absent:
            return wants + "the event does not have this field"
        case .object:
            return wants + "the event has an object there (patterns test strings, numbers, true, false and null)"
        case .emptyArray:
            return wants + "the event has an empty array"
        case .notAnObject(let parent, let value):
            return wants + "the event does not have this field (\(parent) is \(value))"
        }
    }

    /// Most values to list, and most characters of each, so that one line stays readable.
    private static let shownValues = 10
    private static let shownCharacters = 120

    /// One value as it is, several as a JSON-style list (shortened when long).
    private static func quote(_ values: [String]) -> String {
        let shown = values.prefix(shownValues).map { value in
            value.count > shownCharacters ? value.prefix(shownCharacters) + "…" : value
        }
        if shown.count == 1 { return shown[0] }
        let more = values.count > shownValues ? ", … \(values.count - shownValues) more" : ""
        return "[" + shown.joined(separator: ",") + more + "]"
    }
}

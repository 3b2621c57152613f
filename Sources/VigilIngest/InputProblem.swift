/// Something in the input that could not be read: reported with where and why, counted, and
/// skipped, while the rest of the input goes on.
public struct InputProblem: Error, Sendable, Hashable, CustomStringConvertible {
    /// What an offset counts.
    public enum OffsetSpace: Sendable, Hashable {
        /// Bytes of the file as stored (for a gzip file, compressed bytes).
        case file
        /// Bytes after decoding (for a plain file, the same as `file`).
        case decoded
    }

    /// Why the input was skipped, for the summary's counts.
    public enum Kind: String, Sendable, Hashable, CaseIterable {
        /// The file or directory could not be opened or read.
        case unreadable = "unreadable"
        /// A gzip stream was corrupt or ended early.
        case corruptCompression = "corrupt compression"
        /// A record was not well-formed (JSON syntax, invalid UTF-8, a bad flow log line).
        case malformedRecord = "malformed record"
        /// A record was larger than the size limit.
        case oversizedRecord = "record too large"
        /// A record was nested deeper than the depth limit.
        case tooDeep = "nesting too deep"
        /// The content is not a format Vigil knows.
        case unknownFormat = "unknown format"
        /// A record was well-formed but is not a kind of event Vigil knows (no eventSource, …).
        case unrecognizedRecord = "unrecognized record"
    }

    public var kind: Kind
    /// The file, as given or found; empty when the input is not a file.
    public var path: String
    /// Where in the file the problem was found, when known.
    public var offset: Int?
    public var offsetSpace: OffsetSpace
    /// The ordinal of the record concerned, when the problem is one record's.
    public var record: Int?
    /// The reason, as a sentence.
    public var reason: String

    public init(_ kind: Kind, path: String = "", offset: Int? = nil, in offsetSpace: OffsetSpace = .decoded,
                record: Int? = nil, reason: String) {
        self.kind = kind
        self.path = path
        self.offset = offset
        self.offsetSpace = offsetSpace
        self.record = record
        self.reason = reason
    }

    public var description: String {
        var text = path.isEmpty ? "" : path
        if let offset {
            text += text.isEmpty ? "" : ": "
            text += offsetSpace == .file ? "at byte \(offset)" : "at decoded byte \(offset)"
        }
        if let record { text += (text.isEmpty ? "" : ", ") + "record \(record)" }
        return (text.isEmpty ? "" : text + ": ") + reason
    }
}

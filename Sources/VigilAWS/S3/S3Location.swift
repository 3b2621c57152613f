/// A place in S3 given on the command line as `s3://bucket/prefix`: a bucket and a key prefix.
///
/// The prefix is kept exactly as typed (it may be empty, and need not end with `/`): whether
/// `logs` means the folder `logs/` is for the reader of the location to decide.
public struct S3Location: Sendable, Hashable, CustomStringConvertible {
    /// The bucket name, never empty.
    public let bucket: String
    /// The key prefix, possibly empty (the whole bucket).
    public let prefix: String

    /// A location from its parts; nil when `bucket` is empty or holds a `/`.
    public init?(bucket: String, prefix: String = "") {
        guard Self.isUsableBucketName(bucket) else { return nil }
        self.bucket = bucket
        self.prefix = prefix
    }

    /// Parses `s3://bucket`, `s3://bucket/` or `s3://bucket/prefix`. Nil for another scheme, an empty
    /// bucket (`s3://`, `s3:///logs`) or a bucket name with spaces or control characters.
    /// The scheme is matched without regard to case; nothing is percent-decoded, as in the AWS CLI.
    public init?(url: String) {
        let scheme = "s3://"
        guard url.count > scheme.count, url.prefix(scheme.count).lowercased() == scheme else { return nil }
        let rest = url.dropFirst(scheme.count)
        let bucket: Substring
        let prefix: Substring
        if let slash = rest.firstIndex(of: "/") {
            bucket = rest[..<slash]
            prefix = rest[rest.index(after: slash)...]
        } else {
            bucket = rest
            prefix = ""
        }
        self.init(bucket: String(bucket), prefix: String(prefix))
    }

    /// The location as a URL, `s3://bucket/prefix` (`s3://bucket/` for the whole bucket), which
    /// ``init(url:)`` reads back to the same location.
    public var description: String { "s3://\(bucket)/\(prefix)" }

    private static func isUsableBucketName(_ name: String) -> Bool {
        // Only what would make requests go wrong is refused here: S3-compatible stores accept names
        // AWS's own rules (3–63 lower-case letters, digits, dots, hyphens) would not.
        !name.isEmpty && !name.unicodeScalars.contains { $0 == "/" || $0.properties.isWhitespace || $0.value < 0x20 || $0.value == 0x7F }
    }
}

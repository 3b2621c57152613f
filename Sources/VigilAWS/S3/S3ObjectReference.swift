/// One S3 object that a notification announced or a listing found: where it is, and what S3 said of it.
///
/// `key` is always the real object key, the one `GetObject` takes — never the URL-encoded form some
/// notifications carry (``S3EventNotification`` decodes it).
public struct S3ObjectReference: Sendable, Hashable {
    /// The bucket name.
    public let bucket: String
    /// The object key, decoded: exactly as stored in S3.
    public let key: String
    /// The object's size in bytes, when the notification gave it.
    public let size: Int?
    /// The object's entity tag as S3 reported it (without quotes), when given.
    public let eTag: String?
    /// S3's hexadecimal sequencer for this key, when given: a later event for the same key has a
    /// greater value, which lets a consumer tell an old notification from a newer one.
    public let sequencer: String?

    /// An object reference; `key` must be the decoded key.
    public init(bucket: String, key: String, size: Int? = nil, eTag: String? = nil, sequencer: String? = nil) {
        self.bucket = bucket
        self.key = key
        self.size = size
        self.eTag = eTag
        self.sequencer = sequencer
    }

    /// `s3://bucket/key`, the provenance shown on alerts. The key is not escaped: this is for people
    /// and logs, not a request URL.
    public var url: String { "s3://\(bucket)/\(key)" }
}

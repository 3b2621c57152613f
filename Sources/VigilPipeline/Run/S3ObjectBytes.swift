import VigilAWS
import VigilIngest

/// An S3 object's stored bytes as they download, for the readers: the same `DecodedInput` as a
/// file, fed by ranged GETs (`S3ObjectReader`) instead of a descriptor.
final class S3ObjectBytes: StoredByteStream {
    private let reader: S3ObjectReader
    private let url: String
    /// The transfer failed before the end of the object (the content read so far is incomplete).
    private(set) var transferFailure: String?

    private let storedSize: Int?

    /// Starts downloading `object` (each part's request is retried as `AWSClient` retries requests).
    init(downloading object: S3ObjectReference, from s3: S3Client, isCancelled: @escaping @Sendable () -> Bool) throws(AWSServiceError) {
        reader = try S3ObjectReader(s3: s3, bucket: object.bucket, key: object.key, isCancelled: isCancelled)
        url = object.url
        storedSize = object.size ?? reader.size
    }

    /// The object's content, decoded as it arrives.
    func decodedInput() -> DecodedInput {
        DecodedInput(stream: self, name: url, storedSize: storedSize)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputProblem) -> Int {
        do {
            return try reader.read(into: buffer)
        } catch {
            transferFailure = error.message
            throw InputProblem(.unreadable, path: url, offset: reader.delivered, in: .file,
                               reason: "the download broke off: \(error.message)")
        }
    }
}

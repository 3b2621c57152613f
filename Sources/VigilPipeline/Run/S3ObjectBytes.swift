import VigilAWS
import VigilIngest

/// An S3 object's stored bytes as they download, for the readers: the same `DecodedInput` as a
/// file, fed by the transfer instead of a descriptor.
final class S3ObjectBytes: StoredByteStream {
    private let stream: AWSBodyStream
    private let url: String
    /// The transfer failed before the end of the object (the content read so far is incomplete).
    private(set) var transferFailure: String?

    private let storedSize: Int?

    /// Starts downloading `object` (the request is retried as `AWSClient` does; the transfer is not).
    init(downloading object: S3ObjectReference, from s3: S3Client, isCancelled: () -> Bool) throws(AWSServiceError) {
        stream = try s3.openObject(bucket: object.bucket, key: object.key, isCancelled: isCancelled)
        url = object.url
        storedSize = object.size
    }

    /// The object's content, decoded as it arrives.
    func decodedInput() -> DecodedInput {
        DecodedInput(stream: self, name: url, storedSize: storedSize)
    }

    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputProblem) -> Int {
        do {
            return try stream.read(into: buffer)
        } catch {
            transferFailure = error.message
            throw InputProblem(.unreadable, path: url, offset: stream.delivered, in: .file,
                               reason: "the download broke off: \(error.message)")
        }
    }

    deinit {
        stream.cancel()
    }
}

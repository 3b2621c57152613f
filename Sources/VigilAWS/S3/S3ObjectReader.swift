import Foundation

/// An S3 object read in consecutive ranged GETs (`Range: bytes=A-B`, `partSize` bytes each), the
/// next part downloading on a thread of its own while the reader takes the current one: memory
/// stays at two parts however large the object, and each part is one request, signed and
/// retried as `AWSClient` retries every request.
///
/// Why parts and not one streamed GET paused when the reader falls behind: on Linux, Foundation's
/// `URLSessionTask.suspend()`/`resume()` restart the request instead of continuing it (the easy
/// handle is taken off curl's multi handle and added again), so the paused download's bytes
/// never came: a 16 MiB object read slowly stalled for 60 s every time, and under load the same
/// pair crashed in `stopLoading`.
public final class S3ObjectReader: @unchecked Sendable {
    /// Bytes per ranged GET.
    public static let defaultPartSize = 8 << 20

    private let s3: S3Client
    private let bucket: String
    private let key: String
    private let partSize: Int
    private let isCancelled: @Sendable () -> Bool
    /// The object's size, from the first answer's `Content-Range` (or its length when it came whole).
    public private(set) var size: Int
    private var current: [UInt8]
    private var position = 0
    /// Where the next part starts.
    private var nextOffset: Int
    private var ahead: PartDownload?
    /// Body bytes handed to the reader so far.
    public private(set) var delivered = 0

    /// Requests the first part; an object that does not exist or cannot be read fails here.
    public init(s3: S3Client, bucket: String, key: String, partSize: Int = S3ObjectReader.defaultPartSize,
                isCancelled: @escaping @Sendable () -> Bool = { false }) throws(AWSServiceError) {
        self.s3 = s3
        self.bucket = bucket
        self.key = key
        self.partSize = partSize
        self.isCancelled = isCancelled
        let first = try s3.getObjectPart(bucket: bucket, key: key, from: 0, count: partSize, isCancelled: isCancelled)
        current = first.bytes
        size = first.size ?? first.bytes.count
        nextOffset = first.bytes.count
        startNextPart()
    }

    private func startNextPart() {
        guard nextOffset < size else { return }
        let (s3, bucket, key, offset, count, isCancelled) = (self.s3, self.bucket, self.key, nextOffset, partSize, self.isCancelled)
        ahead = PartDownload { () throws(AWSServiceError) -> [UInt8] in
            try s3.getObjectPart(bucket: bucket, key: key, from: offset, count: count, isCancelled: isCancelled).bytes
        }
        nextOffset = min(size, offset + partSize)
    }

    /// Copies up to `buffer.count` bytes into `buffer`; 0 at the end of the object. Throws when a
    /// part cannot be had (after `AWSClient`'s retries) or comes back shorter than asked.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AWSServiceError) -> Int {
        guard buffer.count > 0 else { return 0 }
        if position == current.count {
            guard let ahead else { return 0 }
            let expected = min(partSize, size - delivered)
            let part = try ahead.result()
            guard part.count == expected else {
                throw AWSServiceError(.other, status: nil,
                                      message: "GetObject s3://\(bucket)/\(key): a part at \(delivered) held \(part.count) bytes, not \(expected) (the object changed while it was read?)")
            }
            current = part
            position = 0
            self.ahead = nil
            startNextPart()
        }
        let count = min(buffer.count, current.count - position)
        current.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + position, byteCount: count)
        }
        position += count
        delivered += count
        return count
    }
}

/// One part downloading on a thread of its own.
private final class PartDownload: @unchecked Sendable {
    private let done = DispatchSemaphore(value: 0)
    private var outcome: Result<[UInt8], AWSServiceError>?

    init(_ download: @escaping @Sendable () throws(AWSServiceError) -> [UInt8]) {
        let thread = Thread { [self] in
            do throws(AWSServiceError) {
                outcome = .success(try download())
            } catch {
                outcome = .failure(error)
            }
            done.signal()
        }
        thread.name = "vigil s3 part"
        thread.start()
    }

    /// Waits for the part.
    func result() throws(AWSServiceError) -> [UInt8] {
        done.wait()
        done.signal()
        return try outcome!.get()
    }
}

import VigilIngest

/// Stored bytes delivered at most `chunk` at a time, as a download does: the decoder and the
/// reader meet every boundary a small chunk puts in a gzip header, a deflate block or a record.
public final class ChunkedStream: StoredByteStream {
    private let bytes: [UInt8]
    private let chunk: Int
    private var position = 0

    public init(_ bytes: [UInt8], chunk: Int) {
        self.bytes = bytes
        self.chunk = max(1, chunk)
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputProblem) -> Int {
        let count = min(chunk, buffer.count, bytes.count - position)
        guard count > 0 else { return 0 }
        bytes.withUnsafeBytes { source in
            buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: count)
        }
        position += count
        return count
    }
}

import FuzzZlib

/// gzip with zlib's deflate: the target that gzips its input before reading it.
public enum Gzip {
    /// `bytes` as one gzip member at `level` (0: stored blocks only, 9: the smallest).
    public static func compress(_ bytes: [UInt8], level: Int32) -> [UInt8] {
        // On the heap: zlib refuses a z_stream whose address changed since init.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // deflateInit2 is a C macro; windowBits 15 + 16 asks for a gzip header and trailer.
        let status = deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK, "deflateInit2 failed: \(status)")
        defer { deflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))) + 64)
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { source in
            output.withUnsafeMutableBufferPointer { destination in
                stream.pointee.next_in = source.baseAddress
                stream.pointee.avail_in = UInt32(source.count)
                stream.pointee.next_out = destination.baseAddress
                stream.pointee.avail_out = UInt32(destination.count)
                let result = deflate(stream, Z_FINISH)
                precondition(result == Z_STREAM_END, "deflate did not finish: \(result)")
                return destination.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output[..<produced])
    }
}

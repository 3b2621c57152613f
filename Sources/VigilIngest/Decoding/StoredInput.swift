#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The stored bytes of one input, read front to back in chunks: a file read through its descriptor,
/// bytes already in memory (a base64-decoded CloudWatch Logs payload), or a stream (an S3 object
/// being downloaded).
///
/// Plain POSIX `open`/`read` rather than `FileHandle`: the decoder reads into one buffer it owns and
/// reuses (or, for a plain file, straight into the caller's buffer), so no `Data` is allocated per
/// chunk and memory stays bounded whatever the file size.
final class StoredInput {
    private enum Source {
        /// An open file descriptor, closed in `deinit`.
        case descriptor(CInt)
        /// The whole input, already in memory.
        case memory([UInt8])
        /// Bytes as they arrive.
        case stream(any StoredByteStream)
    }

    /// The path problems are reported with.
    let path: String
    /// Size of the stored input when known (a regular file's size at open, no more than the limit,
    /// or the in-memory count).
    let storedSize: Int?
    private let source: Source
    /// Stored bytes handed out so far: where the next `read` starts.
    private(set) var position = 0
    /// At most this many stored bytes are handed out, as if the file ended there (`.max`: no limit).
    private let limit: Int

    /// Opens `path` for reading. Throws an `.unreadable` problem naming the path and the system's
    /// reason when it cannot be opened, or when it is a directory (Linux opens a directory
    /// read-only without complaint and only fails on the first `read`; refusing here gives the
    /// caller one clear place for the error).
    init(path: String, limit: Int? = nil) throws(InputProblem) {
        self.path = path
        self.limit = max(0, limit ?? .max)
        var descriptor: CInt
        repeat {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            throw Self.problem(path: path, errno: errno, offset: nil)
        }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            let code = errno
            close(descriptor)
            throw Self.problem(path: path, errno: code, offset: nil)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            close(descriptor)
            throw Self.problem(path: path, errno: EISDIR, offset: nil)
        }
        // Only a regular file's size means anything; a FIFO or character device reports 0.
        storedSize = (info.st_mode & S_IFMT) == S_IFREG ? min(Int(info.st_size), self.limit) : nil
        source = .descriptor(descriptor)
    }

    /// Serves `bytes` as the stored input; `name` stands in for the path in problems.
    init(bytes: [UInt8], name: String) {
        limit = .max
        path = name
        storedSize = bytes.count
        source = .memory(bytes)
    }

    /// Serves what `stream` delivers; `name` stands in for the path in problems.
    init(stream: any StoredByteStream, name: String, storedSize: Int?) {
        limit = .max
        path = name
        self.storedSize = storedSize
        source = .stream(stream)
    }

    deinit {
        if case .descriptor(let descriptor) = source {
            close(descriptor)
        }
    }

    /// Reads up to `buffer.count` stored bytes into `buffer` and returns how many; 0 means the end
    /// of the input (for a file that is still growing, the end for now). A failed `read` (EIO, …)
    /// throws an `.unreadable` problem with the stored offset where it failed.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputProblem) -> Int {
        let wanted = min(buffer.count, limit - position)
        guard let base = buffer.baseAddress, wanted > 0 else { return 0 }
        switch source {
        case .descriptor(let descriptor):
            var count: Int
            repeat {
                count = systemRead(descriptor, base, wanted)
            } while count < 0 && errno == EINTR
            guard count >= 0 else {
                throw Self.problem(path: path, errno: errno, offset: position)
            }
            position += count
            return count
        case .memory(let bytes):
            let count = min(wanted, bytes.count - position)
            if count > 0 {
                bytes.withUnsafeBytes { source in
                    base.copyMemory(from: source.baseAddress! + position, byteCount: count)
                }
            }
            position += count
            return count
        case .stream(let stream):
            let count = try stream.read(into: UnsafeMutableRawBufferPointer(start: base, count: wanted))
            position += count
            return count
        }
    }

    private static func problem(path: String, errno code: CInt, offset: Int?) -> InputProblem {
        InputProblem(.unreadable, path: path, offset: offset, in: .file, reason: String(cString: strerror(code)))
    }
}

/// `read(2)`, named apart so it is not shadowed by `StoredInput.read(into:)`.
@inline(__always)
private func systemRead(_ descriptor: CInt, _ buffer: UnsafeMutableRawPointer, _ count: Int) -> Int {
    #if canImport(Glibc)
    return Glibc.read(descriptor, buffer, count)
    #else
    return Darwin.read(descriptor, buffer, count)
    #endif
}

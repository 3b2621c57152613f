#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls that make a write survive a crash: whole writes, fsync of a file and of the
/// directory that names it, and advisory locks that other Vigil processes on the same state
/// directory respect.
public enum DurableFiles {
    /// The text of the current `errno`.
    static func lastError() -> String {
        String(cString: strerror(errno))
    }

    /// Writes every byte of `bytes` to `descriptor`, retrying after interruptions; returns nil or
    /// the reason it failed.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> String? {
        var written = 0
        return writeAll(bytes, to: descriptor, written: &written)
    }

    /// Like `writeAll(_:to:)`, and counts in `written` the bytes that reached the descriptor, so
    /// that a caller keeping a buffer can drop exactly those after a failure and retry the rest.
    static func writeAll(_ bytes: [UInt8], to descriptor: Int32, written: inout Int) -> String? {
        while written < bytes.count {
            let result = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                return lastError()
            }
            written += result
        }
        return nil
    }

    /// What reading a file to its end came to.
    enum ReadOutcome {
        case contents([UInt8])
        /// The reason the read failed.
        case failed(String)
        /// The file holds more than the limit.
        case tooLarge
    }

    /// Reads `descriptor` to its end, retrying after interruptions, refusing more than `limit` bytes.
    static func readAll(_ descriptor: Int32, limit: Int = .max) -> ReadOutcome {
        var contents: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                return .failed(lastError())
            }
            if count == 0 { return .contents(contents) }
            contents.append(contentsOf: chunk[..<count])
            if contents.count > limit { return .tooLarge }
        }
    }

    /// Flushes the directory entry of files created or renamed in `directory`; without it a crash
    /// can lose a new name even though the file's own data was synced.
    static func syncDirectory(_ directory: String) -> String? {
        let descriptor = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { return lastError() }
        defer { close(descriptor) }
        return fsync(descriptor) == 0 ? nil : lastError()
    }

    /// Creates `directory` and its missing parents with mode 0700 (state may hold alert bodies,
    /// which are security findings), leaving existing directories as they are.
    public static func createDirectory(_ directory: String) -> String? {
        var prefix = directory.hasPrefix("/") ? "/" : ""
        for component in directory.split(separator: "/") {
            prefix += component
            if mkdir(prefix, 0o700) != 0 && errno != EEXIST { return "cannot create \(prefix): \(lastError())" }
            prefix += "/"
        }
        var status = stat()
        guard stat(directory, &status) == 0 else { return "cannot read \(directory): \(lastError())" }
        guard status.st_mode & S_IFMT == S_IFDIR else { return "\(directory) exists and is not a directory" }
        return nil
    }

    /// Runs `body` while holding an exclusive `flock` on `lockPath` (created 0600 if needed), so
    /// that a read-modify-write of a shared file is not interleaved with another process's, nor
    /// with another thread's (each call opens its own descriptor, and flock excludes those too).
    /// `failure` turns a reason the lock could not be taken into the caller's error.
    static func withExclusiveLock<Result, Failure: Error>(
        _ lockPath: String, failure: (String) -> Failure, _ body: () throws(Failure) -> Result
    ) throws(Failure) -> Result {
        let descriptor = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure("cannot open \(lockPath): \(lastError())") }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else { throw failure("cannot lock \(lockPath): \(lastError())") }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}

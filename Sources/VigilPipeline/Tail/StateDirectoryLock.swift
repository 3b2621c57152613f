#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import VigilAlerts

/// Keeps a second `vigil tail` off a state directory in use: an exclusive `flock` on
/// `<dir>/tail.lock`, held for the life of the process and released by the kernel when it ends,
/// however it ends. The file holds the holder's process id, for the message to the second one.
public final class StateDirectoryLock {
    public static let fileName = "tail.lock"

    private let descriptor: Int32

    /// Takes the lock, creating the directory (0700) and the file (0600) as needed; throws a
    /// message naming the process that holds it.
    public init(directory: String) throws(StateError) {
        if let problem = DurableFiles.createDirectory(directory) {
            throw StateError("Cannot create the state directory \(directory): \(problem).")
        }
        let path = Self.path(in: directory)
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StateError("Cannot open \(path): \(String(cString: strerror(errno))).")
        }
        while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
            if errno == EINTR { continue }
            let code = errno
            let holder = Self.readProcessID(descriptor)
            close(descriptor)
            if code == EWOULDBLOCK {
                let who = holder.map { "Another vigil tail (pid \($0))" } ?? "Another vigil tail"
                throw StateError("\(who) is using the state directory \(directory). Stop it, or give this one another --state.")
            }
            throw StateError("Cannot lock \(path): \(String(cString: strerror(code))).")
        }
        self.descriptor = descriptor
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(descriptor, 0)
        _ = text.withUnsafeBytes { pwrite(descriptor, $0.baseAddress!, $0.count, 0) }
    }

    deinit {
        close(descriptor)
    }

    static func path(in directory: String) -> String {
        directory.hasSuffix("/") ? directory + fileName : directory + "/" + fileName
    }

    /// The process holding the lock on `directory`, or nil when no tail holds it.
    public static func holder(of directory: String) -> Int32? {
        let descriptor = open(path(in: directory), O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        if flock(descriptor, LOCK_SH | LOCK_NB) == 0 {
            flock(descriptor, LOCK_UN)
            return nil
        }
        return readProcessID(descriptor) ?? 0
    }

    private static func readProcessID(_ descriptor: Int32) -> Int32? {
        var bytes = [UInt8](repeating: 0, count: 32)
        let count = bytes.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, 0) }
        guard count > 0 else { return nil }
        return Int32(String(decoding: bytes.prefix(count).filter { $0 >= 0x30 && $0 <= 0x39 }, as: UTF8.self))
    }
}

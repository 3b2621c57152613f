#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How a file sink opens its file: appending, creating it 0600 when it does not exist, and never
/// through a symbolic link to a file.
///
/// The alerts file must not be redirectable: whoever can write its directory could otherwise
/// plant `PATH -> ~/.bashrc` (or a link to a file they can read) and have the alerts appended
/// there, or leave a dangling link for the sink to create its target wherever it points. So a
/// link as the last component of `PATH` is refused with what it points to, unless it leads to
/// something that is not a regular file (`/dev/stderr`, a FIFO): that is a stream the user named
/// on purpose, neither synced nor rotated. Links among the directories of `PATH` are the user's
/// own layout and are followed.
enum FileSinkOpening {
    /// Opens `path` for appending; creates it 0600 when it does not exist, and says whether it did.
    /// Never loops: a file removed between the failed create and the open is created on the
    /// second try, and anything else is refused with its reason.
    static func openForAppending(_ path: String, sink: String) throws(SinkError) -> (descriptor: Int32, created: Bool) {
        let flags = O_WRONLY | O_APPEND | O_CLOEXEC
        for _ in 0..<2 {
            let created = open(path, flags | O_CREAT | O_EXCL, 0o600)
            if created >= 0 { return (created, true) }
            guard errno == EEXIST else { break }
            let existing = open(path, flags | O_NOFOLLOW)
            if existing >= 0 { return (existing, false) }
            let openError = errno
            if openError == ELOOP, let target = linkTarget(path) {
                return (try openStreamBehindLink(path, target: target, flags: flags, sink: sink), false)
            }
            errno = openError  // readlink may have changed it
            guard openError == ENOENT else { break }  // removed in between: try creating it again
        }
        throw SinkError(sink: sink, reason: "Cannot open \(path): \(DurableFiles.lastError()).")
    }

    /// Opens what the link at `path` leads to when it is a device or a FIFO; refuses a link to a
    /// regular file, a dangling link and one that cannot be followed.
    private static func openStreamBehindLink(_ path: String, target: String, flags: Int32, sink: String) throws(SinkError) -> Int32 {
        let descriptor = open(path, flags)
        guard descriptor >= 0 else { throw SinkError(sink: sink, reason: unreachableTarget(path, target: target)) }
        var status = stat()
        guard fstat(descriptor, &status) == 0, status.st_mode & S_IFMT != S_IFREG else {
            close(descriptor)
            throw SinkError(sink: sink, reason: linkToFile(path, target: target))
        }
        return descriptor
    }

    /// Why `path` cannot be a file sink's file, found without opening it, so that a run refuses
    /// it before it starts (a tail: exit 2 rather than a session failing again and again); nil
    /// when `path` is not a symbolic link, or is one to a device or a FIFO. Opening checks again.
    static func linkProblem(at path: String) -> String? {
        guard let target = linkTarget(path) else { return nil }
        var status = stat()
        guard stat(path, &status) == 0 else { return unreachableTarget(path, target: target) }
        return status.st_mode & S_IFMT == S_IFREG ? linkToFile(path, target: target) : nil
    }

    /// The refusal of a link whose target cannot be reached, from `errno`.
    private static func unreachableTarget(_ path: String, target: String) -> String {
        let reason = errno == ENOENT ? "which does not exist" : "which cannot be opened: \(DurableFiles.lastError())"
        return "Refusing \(path): it is a symbolic link to \(target), \(reason). Alerts are not written through links; name the file itself."
    }

    private static func linkToFile(_ path: String, target: String) -> String {
        "Refusing \(path): it is a symbolic link to \(target), and alerts are not written through links to files; name the file itself."
    }

    /// What the symbolic link at `path` points to; nil when `path` is not a symbolic link.
    private static func linkTarget(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink(path, &buffer, buffer.count - 1)
        guard length >= 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Alerts appended to a file as JSON Lines, durably, optionally rotated by size.
///
/// * A new file is created with mode 0600: alerts are security findings. An existing file keeps
///   its mode (changing the mode of a user's file behind their back would surprise more than it
///   protects), and `warning` says so when others may read it.
/// * `flush` writes the buffer, fsyncs the file, and the first time also fsyncs its directory,
///   so that a file just created or rotated in survives a power cut under its name.
/// * With `rotateBytes`, a line that would take the file past the limit goes to a fresh file
///   instead: `PATH` becomes `PATH.1`, `PATH.1` becomes `PATH.2`, … up to `PATH.keep`, whose old
///   contents are dropped. Lines are never split across files, and the old file is synced before
///   it is renamed and the directory after, so a crash leaves every line in exactly one file.
///   A file that is not a regular file (a FIFO, `/dev/stderr`) is neither synced nor rotated.
public final class FileSink: AlertSink {
    public let name: String
    public let settings: FileSinkSettings
    /// A reason to worry that does not stop the sink (the file is readable by others), for the
    /// command to print; nil when there is none.
    public let warning: String?
    private var descriptor: Int32
    private let isRegularFile: Bool
    /// Bytes in the current file, written or still in `buffer`.
    private var size: Int
    private var buffer: [UInt8] = []
    private var directoryNeedsSync: Bool
    private let directory: String
    private let bufferLimit = 64 * 1024

    /// Opens `settings.path` for appending, creating it if needed. `name` is the name rules target.
    public init(name: String, settings: FileSinkSettings) throws(SinkError) {
        self.name = name
        self.settings = settings
        let path = settings.path
        directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let opened = try Self.openForAppending(path, sink: name)
        descriptor = opened.descriptor
        directoryNeedsSync = opened.created
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = DurableFiles.lastError()
            close(descriptor)
            throw SinkError(sink: name, reason: "Cannot read the status of \(path): \(reason).")
        }
        isRegularFile = status.st_mode & S_IFMT == S_IFREG
        size = isRegularFile ? Int(status.st_size) : 0
        if isRegularFile && !opened.created && status.st_mode & 0o066 != 0 {
            let mode = String(status.st_mode & 0o777, radix: 8)
            warning = "\(path) can be read or written by other users (mode \(mode)), and alerts are security findings; "
                + "chmod 600 \(path) to keep them to yourself."
        } else {
            warning = nil
        }
        buffer.reserveCapacity(bufferLimit)
    }

    deinit {
        try? flush()
        close(descriptor)
    }

    public func send(_ alert: Alert) throws(SinkError) {
        var length = alert.line.count
        let needsNewline = alert.line.last != 0x0A
        if needsNewline { length += 1 }
        if let limit = settings.rotateBytes, isRegularFile, size > 0, size + length > limit {
            try rotate()
        }
        buffer.append(contentsOf: alert.line)
        if needsNewline { buffer.append(0x0A) }
        size += length
        if buffer.count >= bufferLimit { try writeBuffer() }
    }

    public func flush() throws(SinkError) {
        try writeBuffer()
        guard isRegularFile else { return }
        guard fsync(descriptor) == 0 else {
            throw SinkError(sink: name, reason: "Cannot sync \(settings.path): \(DurableFiles.lastError()).")
        }
        if directoryNeedsSync {
            if let problem = DurableFiles.syncDirectory(directory) {
                throw SinkError(sink: name, reason: "Cannot sync the directory \(directory): \(problem).")
            }
            directoryNeedsSync = false
        }
    }

    /// Moves the current file to `PATH.1` (after shifting the older ones) and opens a new `PATH`.
    /// The descriptor keeps pointing at the renamed file until the new one is open, so a failure
    /// at any step leaves the sink writing somewhere, and the error says where things stand.
    private func rotate() throws(SinkError) {
        try flush()
        let path = settings.path
        for index in stride(from: settings.keep - 1, through: 1, by: -1) {
            if rename("\(path).\(index)", "\(path).\(index + 1)") != 0 && errno != ENOENT {
                throw SinkError(sink: name, reason: "Cannot rotate \(path).\(index) to \(path).\(index + 1): \(DurableFiles.lastError()).")
            }
        }
        guard rename(path, "\(path).1") == 0 else {
            throw SinkError(sink: name, reason: "Cannot rotate \(path) to \(path).1: \(DurableFiles.lastError()).")
        }
        if let problem = DurableFiles.syncDirectory(directory) {
            throw SinkError(sink: name, reason: "Cannot sync the directory \(directory) after rotating \(path): \(problem).")
        }
        let opened = try Self.openForAppending(path, sink: name)
        close(descriptor)
        descriptor = opened.descriptor
        directoryNeedsSync = true
        size = 0
    }

    private func writeBuffer() throws(SinkError) {
        var written = 0
        defer { buffer.removeFirst(written) }  // what was written stays written; the rest is retried
        if let problem = DurableFiles.writeAll(buffer, to: descriptor, written: &written) {
            throw SinkError(sink: name, reason: "Cannot write to \(settings.path): \(problem).")
        }
    }

    /// Opens `path` for appending; creates it 0600 when it does not exist, and says whether it did.
    private static func openForAppending(_ path: String, sink: String) throws(SinkError) -> (descriptor: Int32, created: Bool) {
        let flags = O_WRONLY | O_APPEND | O_CLOEXEC
        while true {
            let created = open(path, flags | O_CREAT | O_EXCL, 0o600)
            if created >= 0 { return (created, true) }
            guard errno == EEXIST else { break }
            let existing = open(path, flags)
            if existing >= 0 { return (existing, false) }
            guard errno == ENOENT else { break }  // removed in between: try creating it again
        }
        throw SinkError(sink: sink, reason: "Cannot open \(path): \(DurableFiles.lastError()).")
    }
}

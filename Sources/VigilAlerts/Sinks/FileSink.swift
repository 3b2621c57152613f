import CFileWriteback
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
/// * The file is never written through a symbolic link to a file, and a dangling link is refused
///   (`FileSinkOpening` says why).
/// * After each flush, `checkpoint` says where the synced output ends. A tail saves it with its
///   own checkpoint; after a crash, a sink made `resumingAfter` it cuts away a torn last line
///   and drops the alerts already written after it when they come again (`FileSinkResume`), so
///   that the file holds each alert once.
public final class FileSink: AlertSink {
    public let name: String
    public let settings: FileSinkSettings
    /// A reason to worry that does not stop the sink (the file is readable by others), for the
    /// command to print; nil when there is none.
    public let warning: String?
    /// Where the synced output ended at the last successful flush; nil before the first, and
    /// for a file that is not a regular file.
    public private(set) var checkpoint: SinkCheckpoint?
    /// Alerts not written because the crashed run before had already written them after the
    /// checkpoint this sink resumed from.
    public private(set) var droppedRepeats = 0
    /// The ids of the alerts written after that checkpoint, with how many times each was, until
    /// they come again; empty when there is nothing to drop.
    private var writtenAfterCheckpoint: [String: Int]
    private var descriptor: Int32
    /// The current file's device and inode, for `checkpoint`.
    private var device: UInt64
    private var inode: UInt64
    private let isRegularFile: Bool
    /// Bytes in the current file, written or still in `buffer`.
    private var size: Int
    private var buffer: [UInt8] = []
    private var directoryNeedsSync: Bool
    private let directory: String
    private let bufferLimit = 64 * 1024
    /// Where in the current file the kernel has not yet been asked to start writing to disk.
    private var writebackFrom = 0
    /// How much written output is handed to the kernel's writeback at a time (`vigil_start_writeback`):
    /// a replay's closing fsync then waits for at most this much, not for the whole file (171 MB of
    /// alerts: 87 ms that way).
    private let writebackChunk = 8 << 20

    /// Opens `settings.path` for appending, creating it if needed. `name` is the name rules target.
    ///
    /// With `checkpoint` (of the same path: one of another path is ignored), the sink resumes
    /// after a crash: the output written after the checkpoint is examined (see `FileSinkResume`),
    /// a torn last line is cut away (its alert will come again, whole), and alerts whose ids were
    /// written there are dropped when they come again, and counted in `droppedRepeats`.
    public init(name: String, settings: FileSinkSettings, resumingAfter checkpoint: SinkCheckpoint? = nil) throws(SinkError) {
        self.name = name
        self.settings = settings
        let path = settings.path
        directory = path.lastIndex(of: "/").map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let opened = try FileSinkOpening.openForAppending(path, sink: name)
        descriptor = opened.descriptor
        directoryNeedsSync = opened.created
        var status = stat()
        guard fstat(descriptor, &status) == 0 else {
            let reason = DurableFiles.lastError()
            close(descriptor)
            throw SinkError(sink: name, reason: "Cannot read the status of \(path): \(reason).")
        }
        isRegularFile = status.st_mode & S_IFMT == S_IFREG
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = isRegularFile ? Int(status.st_size) : 0
        writtenAfterCheckpoint = [:]
        if let checkpoint, checkpoint.path == path, isRegularFile {
            do throws(SinkError) {
                let resume = try FileSinkResume.examine(after: checkpoint, settings: settings, current: status, sink: name)
                if let tornLineStart = resume.tornLineStart {
                    guard ftruncate(descriptor, off_t(tornLineStart)) == 0 else {
                        throw SinkError(sink: name, reason: "Cannot cut the torn last line of \(path): \(DurableFiles.lastError()).")
                    }
                    size = tornLineStart
                }
                // Repeats the checkpoint still expected, and those written after it.
                writtenAfterCheckpoint = checkpoint.expectedRepeats.merging(resume.writtenIDs, uniquingKeysWith: +)
            } catch {
                close(descriptor)
                throw error
            }
        }
        if isRegularFile && !opened.created && status.st_mode & 0o066 != 0 {
            let mode = String(status.st_mode & 0o777, radix: 8)
            warning = "\(path) can be read or written by other users (mode \(mode)), and alerts are security findings; "
                + "chmod 600 \(path) to keep them to yourself."
        } else {
            warning = nil
        }
        buffer.reserveCapacity(bufferLimit)
        writebackFrom = size
    }

    deinit {
        try? flush()
        close(descriptor)
    }

    public func send(_ alert: Alert) throws(SinkError) {
        if !writtenAfterCheckpoint.isEmpty, let times = writtenAfterCheckpoint[alert.id] {
            writtenAfterCheckpoint[alert.id] = times > 1 ? times - 1 : nil
            droppedRepeats += 1
            return
        }
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
        checkpoint = SinkCheckpoint(sink: name, path: settings.path, device: device, inode: inode, size: size,
                                    expectedRepeats: writtenAfterCheckpoint)
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
        let opened = try FileSinkOpening.openForAppending(path, sink: name)
        var status = stat()
        guard fstat(opened.descriptor, &status) == 0 else {
            let reason = DurableFiles.lastError()
            close(opened.descriptor)
            throw SinkError(sink: name, reason: "Cannot read the status of \(path) after rotating it: \(reason).")
        }
        close(descriptor)
        descriptor = opened.descriptor
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        directoryNeedsSync = true
        size = Int(status.st_size)
        writebackFrom = size
    }

    private func writeBuffer() throws(SinkError) {
        var written = 0
        defer { buffer.removeFirst(written) }  // what was written stays written; the rest is retried
        if let problem = DurableFiles.writeAll(buffer, to: descriptor, written: &written) {
            throw SinkError(sink: name, reason: "Cannot write to \(settings.path): \(problem).")
        }
        let writtenEnd = size - (buffer.count - written)
        if isRegularFile, writtenEnd - writebackFrom >= writebackChunk {
            // Only a hint: where it fails, the flush's fsync still writes everything.
            _ = vigil_start_writeback(descriptor, Int64(writebackFrom), Int64(writtenEnd - writebackFrom))
            writebackFrom = writtenEnd
        }
    }
}

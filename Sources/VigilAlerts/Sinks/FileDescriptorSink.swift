#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Alerts written to standard output or appended to a file, buffered, whole lines only.
public final class FileDescriptorSink: AlertSink {
    public let name: String
    private let descriptor: Int32
    private let ownsDescriptor: Bool
    private let syncs: Bool
    private var buffer: [UInt8] = []

    private init(name: String, descriptor: Int32, ownsDescriptor: Bool, syncs: Bool) {
        self.name = name
        self.descriptor = descriptor
        self.ownsDescriptor = ownsDescriptor
        self.syncs = syncs
        buffer.reserveCapacity(64 * 1024)
    }

    public static func standardOutput() -> FileDescriptorSink {
        FileDescriptorSink(name: "stdout", descriptor: STDOUT_FILENO, ownsDescriptor: false, syncs: false)
    }

    /// Appends to `path`, creating it (mode 0644) if needed; synced on every flush.
    public static func appending(to path: String, name: String) throws(SinkError) -> FileDescriptorSink {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw SinkError(sink: name, reason: "cannot open \(path): \(String(cString: strerror(errno)))")
        }
        return FileDescriptorSink(name: name, descriptor: descriptor, ownsDescriptor: true, syncs: true)
    }

    deinit {
        try? flush()
        if ownsDescriptor { close(descriptor) }
    }

    public func send(_ alert: Alert) throws(SinkError) {
        buffer.append(contentsOf: alert.line)
        if buffer.count >= 64 * 1024 { try writeBuffer() }
    }

    public func flush() throws(SinkError) {
        try writeBuffer()
        if syncs && fsync(descriptor) != 0 {
            throw SinkError(sink: name, reason: "fsync failed: \(String(cString: strerror(errno)))")
        }
    }

    private func writeBuffer() throws(SinkError) {
        var written = 0
        while written < buffer.count {
            let result = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + written, $0.count - written) }
            if result < 0 {
                if errno == EINTR { continue }
                let reason = String(cString: strerror(errno))
                buffer.removeFirst(written)  // what was written stays written; the rest is retried
                throw SinkError(sink: name, reason: "write failed: \(reason)")
            }
            written += result
        }
        buffer.removeAll(keepingCapacity: true)
    }
}

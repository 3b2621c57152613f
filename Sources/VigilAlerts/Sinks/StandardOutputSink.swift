#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Alerts written to standard output as JSON Lines (or, with a `format`, as a table or TSV for
/// people), buffered, whole lines only.
///
/// `flush` writes the buffer but does not sync: standard output is a pipe or a terminal, and
/// what reads it decides about durability.
public final class StandardOutputSink: AlertSink {
    public let name: String
    private var buffer: [UInt8] = []
    /// Big writes, few system calls; a pipe reader sees whole lines either way.
    private let bufferLimit = 64 * 1024
    /// How alerts are shown; nil: the alert lines as they are.
    private let format: (any AlertTextFormat)?
    private var headingWritten = false

    public init(name: String = "stdout", format: (any AlertTextFormat)? = nil) {
        self.name = name
        self.format = format
        buffer.reserveCapacity(bufferLimit)
    }

    deinit {
        try? flush()
    }

    public func send(_ alert: Alert) throws(SinkError) {
        if let format {
            if !headingWritten {
                buffer.append(contentsOf: format.heading)
                headingWritten = true
            }
            format.append(alert, to: &buffer)
        } else {
            buffer.append(contentsOf: alert.line)
        }
        if buffer.count >= bufferLimit { try flush() }
    }

    public func flush() throws(SinkError) {
        var written = 0
        defer { buffer.removeFirst(written) }  // what was written stays written; the rest is retried
        if let problem = DurableFiles.writeAll(buffer, to: STDOUT_FILENO, written: &written) {
            throw SinkError(sink: name, reason: "Cannot write to standard output: \(problem).")
        }
    }
}

/// Where alerts go. A sink takes whole alert lines; `flush` returns once they are durably taken.
public protocol AlertSink: AnyObject {
    /// The name rules use in `targets`.
    var name: String { get }
    /// Takes one alert line (JSON and a newline).
    func send(_ line: [UInt8]) throws(SinkError)
    /// Makes everything sent so far durable (written out, and synced for files).
    func flush() throws(SinkError)
}

/// A sink that could not take alerts.
public struct SinkError: Error, Sendable, CustomStringConvertible {
    public let sink: String
    public let reason: String

    public init(sink: String, reason: String) {
        self.sink = sink
        self.reason = reason
    }

    public var description: String { "sink \(sink): \(reason)" }
}

/// Parses `--sink` specifications: `stdout` or `file:PATH`.
public enum SinkSpecification {
    public static func makeSink(_ specification: String) throws(SinkError) -> any AlertSink {
        if specification == "stdout" { return FileDescriptorSink.standardOutput() }
        if specification.hasPrefix("file:") {
            let path = String(specification.dropFirst(5))
            guard !path.isEmpty else { throw SinkError(sink: specification, reason: "file: needs a path") }
            return try FileDescriptorSink.appending(to: path, name: specification)
        }
        throw SinkError(sink: specification, reason: "Unknown sink; use stdout or file:PATH")
    }
}

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

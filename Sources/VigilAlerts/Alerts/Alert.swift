/// One alert on its way to the sinks.
///
/// `line` is the alert as ARCHITECTURE.md shapes it (one JSON object and a newline), which stdout and
/// files take as it is. A webhook posts `body`: the same object, unless the rule has an input
/// transformer, whose output it is then.
public struct Alert: Sendable {
    /// 32 hex digits, stable for the same rule and event (see `AlertWriter.alertID`).
    public let id: String
    public let rule: String
    public let severity: Severity
    /// The alert JSON object followed by a newline.
    public let line: [UInt8]
    /// The input transformer's output, when the rule has one.
    public let transformed: TransformedPayload?

    public init(id: String, rule: String, severity: Severity, line: [UInt8], transformed: TransformedPayload? = nil) {
        self.id = id
        self.rule = rule
        self.severity = severity
        self.line = line
        self.transformed = transformed
    }

    /// What a webhook posts: the transformed payload, or the alert object without its newline.
    public var body: [UInt8] {
        if let transformed { return transformed.bytes }
        return line.last == 0x0A ? Array(line.dropLast()) : line
    }

    /// The media type of `body`.
    public var contentType: String {
        transformed.map { $0.isJSON ? "application/json" : "text/plain; charset=utf-8" } ?? "application/json"
    }
}

/// The text an input transformer made of an event.
public struct TransformedPayload: Sendable, Hashable {
    public let bytes: [UInt8]
    /// Whether `bytes` is one JSON value (an input template may also be plain text).
    public let isJSON: Bool

    public init(bytes: [UInt8], isJSON: Bool) {
        self.bytes = bytes
        self.isJSON = isJSON
    }
}

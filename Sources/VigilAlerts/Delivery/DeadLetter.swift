import Foundation
import VigilJSON

/// An alert that could not be delivered, as one line of the dead-letter file:
///
/// ```
/// {"id":…,"rule":…,["severity":…,]"sink":…,"ERROR_CODE":…,"ERROR_MESSAGE":…,"EXHAUSTED_RETRY_CONDITION":…,
///  "RETRY_ATTEMPTS":N,"failedAt":"ISO-8601","contentType":…,"body":…}
/// ```
///
/// The upper-case fields are the attributes EventBridge puts on a dead-letter message, so people
/// and tools that know EventBridge's DLQs read these the same way. `RETRY_ATTEMPTS` counts
/// retries, as EventBridge does (0 when the first attempt failed for good), and
/// `EXHAUSTED_RETRY_CONDITION` is null when the error was not one retrying could fix.
/// `body` is the JSON value itself when the content type is JSON (compacted onto the line),
/// else a string.
public struct DeadLetter: Sendable, Equatable {
    public let alertID: String
    public let rule: String
    public let sink: String
    /// `HTTP_404`, `HTTP_429`, `TIMEOUT`, `CONNECTION_ERROR`, or `EVENT_EXPIRED` for an alert
    /// found in the spool already past its maximum age (after a long stop, say).
    public let errorCode: String
    public let errorMessage: String
    public let exhaustedRetryCondition: ExhaustedRetryCondition?
    public let retryAttempts: Int
    public let failedAt: Date
    public let contentType: String
    public let body: [UInt8]
    /// The rule's severity, kept so that a redrive to SNS sends its message attribute again;
    /// nil when the alert was spooled without it (the line then has no `severity`).
    public let severity: String?

    public init(alertID: String, rule: String, sink: String, errorCode: String, errorMessage: String,
                exhaustedRetryCondition: ExhaustedRetryCondition?, retryAttempts: Int, failedAt: Date,
                contentType: String, body: [UInt8], severity: String? = nil) {
        self.alertID = alertID
        self.rule = rule
        self.sink = sink
        self.errorCode = errorCode
        self.errorMessage = errorMessage
        self.exhaustedRetryCondition = exhaustedRetryCondition
        self.retryAttempts = retryAttempts
        self.failedAt = failedAt
        self.contentType = contentType
        self.body = body
        self.severity = severity
    }

    /// What to spool to send it again.
    public var pendingDelivery: PendingDelivery {
        PendingDelivery(sink: sink, alertID: alertID, rule: rule, body: body, contentType: contentType, severity: severity)
    }

    /// Whether `contentType` is JSON (`application/json`, or any `+json` type), so the body is
    /// kept as a JSON value rather than a string.
    static func isJSON(contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map {
            $0.trimmingCharacters(in: .whitespaces).lowercased()
        } ?? ""
        return mediaType == "application/json" || mediaType.hasSuffix("+json")
    }

    /// The line, with its newline.
    public func jsonLine() -> [UInt8] {
        var line: [UInt8] = []
        line.reserveCapacity(body.count + 512)
        func member(_ key: String, _ value: String, first: Bool = false) {
            line.append(contentsOf: (first ? "{\"" : ",\"").utf8)
            line.append(contentsOf: key.utf8)
            line.append(utf8: "\":")
            JSONText.appendQuoted(Array(value.utf8), to: &line)
        }
        member("id", alertID, first: true)
        member("rule", rule)
        if let severity { member("severity", severity) }
        member("sink", sink)
        member("ERROR_CODE", errorCode)
        member("ERROR_MESSAGE", errorMessage)
        if let exhaustedRetryCondition {
            member("EXHAUSTED_RETRY_CONDITION", exhaustedRetryCondition.rawValue)
        } else {
            line.append(utf8: #","EXHAUSTED_RETRY_CONDITION":null"#)
        }
        line.append(utf8: #","RETRY_ATTEMPTS":"#)
        line.append(contentsOf: String(retryAttempts).utf8)
        member("failedAt", failedAt.formatted(Self.timestampStyle))
        member("contentType", contentType)
        line.append(utf8: #","body":"#)
        let bodyIsJSON = Self.isJSON(contentType: contentType)
            && body.withUnsafeBytes { (try? JSONValidator.validate($0)) != nil }
        if bodyIsJSON {
            // A pretty-printed body would break the line; whitespace between tokens means nothing.
            body.withUnsafeBytes { JSONText.appendCompacted($0, to: &line) }
        } else {
            JSONText.appendQuoted(Array(String(decoding: body, as: UTF8.self).utf8), to: &line)
        }
        line.append(utf8: "}\n")
        return line
    }

    /// Reads one line written by `jsonLine()` (in any key order, with or without its newline).
    ///
    /// A JSON content type with a string `body` reads back as that JSON string value, which is
    /// what the line means for every body Vigil writes: alert bodies with a JSON content type are
    /// JSON by construction.
    public init(jsonLine: [UInt8]) throws(DeadLetterError) {
        let parsed = jsonLine.withUnsafeBytes { bytes in
            Result { () throws(EventError) in
                try JSONValidator.validate(bytes)
                return try JSONMembers.read(bytes)
            }
        }
        let members: [JSONMembers.Member]
        switch parsed {
        case .success(let read): members = read
        case .failure(let error): throw DeadLetterError("The line is not a JSON object: \(error.message).")
        }
        var values: [String: Range<Int>] = [:]
        for member in members { values[member.key] = member.value }

        func raw(_ key: String) throws(DeadLetterError) -> ArraySlice<UInt8> {
            guard let range = values[key] else { throw DeadLetterError("The line has no \(key).") }
            return jsonLine[range]
        }
        func string(_ key: String) throws(DeadLetterError) -> String {
            let value = try raw(key)
            guard let text = Self.stringValue(value) else { throw DeadLetterError("The line's \(key) is not a string.") }
            return text
        }

        alertID = try string("id")
        rule = try string("rule")
        severity = values["severity"] == nil ? nil : try string("severity")
        sink = try string("sink")
        errorCode = try string("ERROR_CODE")
        errorMessage = try string("ERROR_MESSAGE")
        let conditionValue = values["EXHAUSTED_RETRY_CONDITION"].map { jsonLine[$0] }
        if conditionValue == nil || conditionValue.map(Array.init) == Array("null".utf8) {
            exhaustedRetryCondition = nil
        } else {
            let name = try string("EXHAUSTED_RETRY_CONDITION")
            guard let condition = ExhaustedRetryCondition(rawValue: name) else {
                throw DeadLetterError("The line's EXHAUSTED_RETRY_CONDITION \(name) is not one EventBridge names.")
            }
            exhaustedRetryCondition = condition
        }
        guard let attempts = Int(String(decoding: try raw("RETRY_ATTEMPTS"), as: UTF8.self)), attempts >= 0 else {
            throw DeadLetterError("The line's RETRY_ATTEMPTS is not a whole number.")
        }
        retryAttempts = attempts
        let failedAtText = try string("failedAt")
        guard let failedAt = (try? Date(failedAtText, strategy: Self.timestampStyle))
                ?? (try? Date(failedAtText, strategy: Date.ISO8601FormatStyle())) else {
            throw DeadLetterError("The line's failedAt \(failedAtText) is not an ISO-8601 time.")
        }
        self.failedAt = failedAt
        contentType = try string("contentType")
        let bodyValue = try raw("body")
        if !Self.isJSON(contentType: contentType), let text = Self.stringValue(bodyValue) {
            body = Array(text.utf8)
        } else {
            body = Array(bodyValue)
        }
    }

    /// ISO-8601 in UTC with milliseconds, e.g. `2024-05-01T12:00:00.123Z`.
    private static let timestampStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// The unescaped contents of a JSON string value, or nil when `value` is not one.
    private static func stringValue(_ value: ArraySlice<UInt8>) -> String? {
        Array(value).withUnsafeBytes { JSONMembers.string(at: 0..<$0.count, in: $0) }
    }

}

/// A dead-letter line or file that cannot be read or written.
public struct DeadLetterError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

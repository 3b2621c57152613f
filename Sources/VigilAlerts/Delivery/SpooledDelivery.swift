import Foundation

/// An alert on its way into the spool: what a sink must send, and to which sink it belongs.
public struct PendingDelivery: Sendable, Equatable {
    /// The name of the sink that delivers it.
    public let sink: String
    public let alertID: String
    public let rule: String
    public let body: [UInt8]
    public let contentType: String
    /// The rule's severity (`high`, …), for transports that send it beside the body (SNS's
    /// message attributes); nil in rows spooled before it was kept.
    public let severity: String?

    public init(sink: String, alertID: String, rule: String, body: [UInt8], contentType: String, severity: String? = nil) {
        self.sink = sink
        self.alertID = alertID
        self.rule = rule
        self.body = body
        self.contentType = contentType
        self.severity = severity
    }

    /// The delivery of `alert` by sink `sink`: its body (the input transformer's output, if any).
    public init(sink: String, alert: Alert) {
        self.init(sink: sink, alert: alert, body: alert.body, contentType: alert.contentType)
    }

    /// The delivery of `alert` by sink `sink` as `body`, which the sink chose.
    public init(sink: String, alert: Alert, body: [UInt8], contentType: String) {
        self.init(sink: sink, alertID: alert.id, rule: alert.rule, body: body, contentType: contentType,
                  severity: alert.severity.rawValue)
    }
}

/// A row of the spool: an alert not yet delivered nor dead-lettered, with its retry state.
public struct SpooledDelivery: Sendable, Equatable {
    public let sink: String
    public let alertID: String
    public let rule: String
    public let body: [UInt8]
    public let contentType: String
    /// When it entered the spool; the maximum event age counts from here.
    public let enqueuedAt: Date
    /// Attempts started so far (a claimed row counts the attempt it is claimed for).
    public let attempts: Int
    /// When it is due next; while an attempt is in flight, when that attempt's claim lapses.
    public let nextAttemptAt: Date
    /// `ERROR_CODE: ERROR_MESSAGE` of the last failed attempt.
    public let lastError: String?
    /// The rule's severity, when it was spooled with it.
    public let severity: String?

    public init(sink: String, alertID: String, rule: String, body: [UInt8], contentType: String, enqueuedAt: Date,
                attempts: Int, nextAttemptAt: Date, lastError: String?, severity: String?) {
        self.sink = sink
        self.alertID = alertID
        self.rule = rule
        self.body = body
        self.contentType = contentType
        self.enqueuedAt = enqueuedAt
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.severity = severity
    }
}

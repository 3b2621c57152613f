import Foundation

/// An alert on its way into the spool: what a sink must POST, and to which sink it belongs.
public struct PendingDelivery: Sendable, Equatable {
    /// The name of the sink that delivers it.
    public let sink: String
    public let alertID: String
    public let rule: String
    public let body: [UInt8]
    public let contentType: String

    public init(sink: String, alertID: String, rule: String, body: [UInt8], contentType: String) {
        self.sink = sink
        self.alertID = alertID
        self.rule = rule
        self.body = body
        self.contentType = contentType
    }

    /// The delivery of `alert` by sink `sink`.
    public init(sink: String, alert: Alert) {
        self.init(sink: sink, alertID: alert.id, rule: alert.rule, body: alert.body, contentType: alert.contentType)
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
}

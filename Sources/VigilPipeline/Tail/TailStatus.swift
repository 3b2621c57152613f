import Foundation

/// What a running tail is doing, as the health line on stderr shows it and as `vigil status`
/// reads it from the state database (where the tail saves it with each commit and heartbeat).
public struct TailStatus: Codable, Sendable, Equatable {
    /// Running, stopped (after SIGINT/SIGTERM), or waiting to retry after a failure.
    public enum State: String, Codable, Sendable {
        case running, stopped, retrying
    }

    public var state: State = .running
    public var processID: Int32 = 0
    public var startedAt: Double = 0
    /// When this status was written: a running tail writes it at least every health interval.
    public var updatedAt: Double = 0
    public var directories: [String] = []
    /// Files the tail knows of.
    public var files = 0
    /// Files whose last record is still being written, waiting for it.
    public var filesWaiting = 0
    /// Files that changed and have not been read yet.
    public var filesBacklog = 0
    public var records = 0
    public var events = 0
    public var alerts = 0
    public var problems = 0
    /// Records per second over the last health interval.
    public var recordsPerSecond = 0.0
    /// Seconds since the oldest change not yet read (0 when caught up).
    public var lagSeconds = 0.0
    /// Webhook alerts waiting in the spool.
    public var spoolDepth = 0
    /// The last failure (a sink, the state database), when the tail is retrying.
    public var lastError: String?

    public init() {}

    var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }

    init?(encoded: String) {
        guard let value = try? JSONDecoder().decode(TailStatus.self, from: Data(encoded.utf8)) else { return nil }
        self = value
    }

    /// The health line: what a person watching stderr wants to know at a glance.
    public var healthLine: String {
        var parts = ["\(files) file\(files == 1 ? "" : "s")"]
        if filesBacklog > 0 { parts.append("\(filesBacklog) to read") }
        if filesWaiting > 0 { parts.append("\(filesWaiting) being written") }
        parts.append(String(format: "%.0f records/s", recordsPerSecond))
        parts.append("\(records) records, \(alerts) alert\(alerts == 1 ? "" : "s")")
        if problems > 0 { parts.append("\(problems) problem\(problems == 1 ? "" : "s")") }
        parts.append(String(format: "lag %.1f s", lagSeconds))
        parts.append("spool \(spoolDepth)")
        if let lastError { parts.append("last error: \(lastError)") }
        return parts.joined(separator: ", ")
    }
}

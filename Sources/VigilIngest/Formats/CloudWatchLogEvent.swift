/// Where a line read from a CloudWatch Logs subscription payload came from: the payload's log
/// group and stream, and the log event's id and time.
///
/// The strings are the payload's (one per payload, shared by its events); `id` points into the
/// payload and, like `LogRecord.bytes`, is valid only during the visit.
public struct CloudWatchLogEvent {
    /// `/aws/rds/instance/orders-db/audit`, `/aws/rds/cluster/billing/postgresql`, …
    public let logGroup: String?
    /// For RDS, the DB instance's identifier (Aurora: `instance.audit.log.…`).
    public let logStream: String?
    /// The event's `id` (decimal digits, unique within the log group), the contents of its JSON string.
    public let id: UnsafeRawBufferPointer?
    /// The event's `timestamp`, milliseconds since 1970.
    public let timestamp: Int64?
    /// What the group and stream say of the database, worked out once for the payload.
    public let placement: DatabaseAuditPlacement

    public init(logGroup: String?, logStream: String?, id: UnsafeRawBufferPointer?, timestamp: Int64?,
                placement: DatabaseAuditPlacement? = nil) {
        self.logGroup = logGroup
        self.logStream = logStream
        self.id = id
        self.timestamp = timestamp
        self.placement = placement ?? DatabaseAuditPlacement(logGroup: logGroup, logStream: logStream)
    }

    /// Whether the log group is one RDS publishes a database's logs to (`/aws/rds/…`).
    public var isRDSLogGroup: Bool { logGroup?.hasPrefix("/aws/rds/") ?? false }

    /// Whether the log group is an RDS error, general or slow query log, whose lines are not
    /// audit lines but are still the database's own: events with `message`, never errors.
    public var isRDSMessageLog: Bool {
        guard let logGroup, isRDSLogGroup else { return false }
        return logGroup.hasSuffix("/error") || logGroup.hasSuffix("/general") || logGroup.hasSuffix("/slowquery")
    }
}

import VigilJSON

/// Where a database log's lines come from, as its events' `detail` says it: `dbInstance` or
/// `dbCluster`, `logGroup` and `logStream`, already written as JSON string literals.
///
/// Worked out once per CloudWatch Logs payload (or per exported file), not per line: done per
/// line with `String`'s prefix and slicing it took a fifth of the time of a replay of audit
/// payloads (perf, release build: `DatabaseAuditOrigin.dbInstance` and `groupResource` 19 % of
/// the samples).
public final class DatabaseAuditPlacement: Sendable, Hashable {
    let dbInstance: [UInt8]?
    let dbCluster: [UInt8]?
    let logGroup: [UInt8]?
    let logStream: [UInt8]?

    /// `/aws/rds/instance/NAME/…` names a DB instance, `/aws/rds/cluster/NAME/…` a cluster; the
    /// instance is else the log stream's name up to its first `.` (RDS names streams after the
    /// instance; Aurora's audit streams add `.audit.log.…`; instance identifiers hold no dots).
    public init(logGroup: String?, logStream: String?) {
        var instance: Substring?
        var cluster: Substring?
        if let logGroup {
            if logGroup.hasPrefix("/aws/rds/instance/") {
                instance = logGroup.dropFirst(18).prefix { $0 != "/" }
            } else if logGroup.hasPrefix("/aws/rds/cluster/") {
                cluster = logGroup.dropFirst(17).prefix { $0 != "/" }
            }
        }
        if instance?.isEmpty ?? true, let logStream {
            instance = logStream.prefix { $0 != "." }
        }
        dbInstance = Self.literal(instance)
        dbCluster = Self.literal(cluster)
        self.logGroup = Self.literal(logGroup?[...])
        self.logStream = Self.literal(logStream?[...])
    }

    private static func literal(_ text: Substring?) -> [UInt8]? {
        guard let text, !text.isEmpty else { return nil }
        var output: [UInt8] = []
        JSONText.appendQuoted(Array(text.utf8), to: &output)
        return output
    }

    public static func == (left: DatabaseAuditPlacement, right: DatabaseAuditPlacement) -> Bool {
        left.dbInstance == right.dbInstance && left.dbCluster == right.dbCluster && left.logGroup == right.logGroup
            && left.logStream == right.logStream
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(dbInstance)
        hasher.combine(dbCluster)
        hasher.combine(logGroup)
        hasher.combine(logStream)
    }
}

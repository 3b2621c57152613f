import Foundation
import GRDB

/// The durable queue of deliveries of every spooled sink (webhooks, AWS), two tables in the
/// state database:
///
/// * `delivery_spool`: one row per alert not yet delivered nor dead-lettered, unique on
///   (sink, alert id), so an alert sent twice is spooled once;
/// * `delivered_alert`: (sink, alert id) pairs delivered recently, so that an alert regenerated
///   after a restart (a replay run again, a tail that re-reads past its checkpoint) is not
///   POSTed again. Pruned after the sink's retention.
///
/// Rows are claimed before a request: the claim counts the attempt and pushes the row's due time
/// past the request's end (a lease), so other workers, and other processes on the same state
/// directory, leave it alone. If the process dies mid-request, the lease lapses and the row is
/// tried again.
public final class DeliverySpool: Sendable {
    /// The spool's tables, for `StateDatabase.migrate(_:)`.
    public static let migrations: [StateMigration] = [
        StateMigration("delivery-spool-v1") { db in
            try db.execute(sql: """
                CREATE TABLE delivery_spool (
                    sink TEXT NOT NULL,
                    alert_id TEXT NOT NULL,
                    rule TEXT NOT NULL,
                    body BLOB NOT NULL,
                    content_type TEXT NOT NULL,
                    enqueued_at REAL NOT NULL,
                    attempts INTEGER NOT NULL DEFAULT 0,
                    next_attempt_at REAL NOT NULL,
                    last_error TEXT,
                    PRIMARY KEY (sink, alert_id)
                );
                CREATE INDEX delivery_spool_due ON delivery_spool (sink, next_attempt_at);
                CREATE TABLE delivered_alert (
                    sink TEXT NOT NULL,
                    alert_id TEXT NOT NULL,
                    delivered_at REAL NOT NULL,
                    PRIMARY KEY (sink, alert_id)
                ) WITHOUT ROWID;
                CREATE INDEX delivered_alert_age ON delivered_alert (delivered_at);
                """)
        },
        // The rule's severity, which SNS sends as a message attribute; NULL in older rows.
        StateMigration("delivery-spool-v2-severity") { db in
            try db.execute(sql: "ALTER TABLE delivery_spool ADD COLUMN severity TEXT")
        },
    ]

    private let database: StateDatabase

    /// The spool in `database`, creating its tables when they do not exist.
    public init(database: StateDatabase) throws(StateError) {
        self.database = database
        try database.migrate(Self.migrations)
    }

    /// Spools `deliveries` in one transaction; returns how many were new. The others were already
    /// pending, or were delivered within the retention, and are left as they are.
    @discardableResult
    public func enqueue(_ deliveries: [PendingDelivery], now: Date = Date()) throws(StateError) -> Int {
        guard !deliveries.isEmpty else { return 0 }
        let time = now.timeIntervalSince1970
        return try database.write("add alerts to the webhook spool") { db in
            let statement = try db.cachedStatement(sql: """
                INSERT OR IGNORE INTO delivery_spool
                    (sink, alert_id, rule, body, content_type, enqueued_at, attempts, next_attempt_at, severity)
                SELECT ?1, ?2, ?3, ?4, ?5, ?6, 0, ?6, ?7
                WHERE NOT EXISTS (SELECT 1 FROM delivered_alert WHERE sink = ?1 AND alert_id = ?2)
                """)
            var added = 0
            for delivery in deliveries {
                try statement.execute(arguments: [delivery.sink, delivery.alertID, delivery.rule,
                                                  Data(delivery.body), delivery.contentType, time, delivery.severity])
                added += db.changesCount
            }
            return added
        }
    }

    /// Claims the earliest due row of `sink`: counts the attempt and holds the row for `lease`.
    func claimNextDue(sink: String, now: Date, lease: TimeInterval) throws(StateError) -> SpooledDelivery? {
        try claimDue(sink: sink, now: now, lease: lease, limit: .single).first
    }

    /// Claims the earliest due rows of `sink`, as many as fit `limit` (always at least one when
    /// any is due, however large), in one transaction: counts each one's attempt and holds it for
    /// `lease`. Empty when none is due.
    func claimDue(sink: String, now: Date, lease: TimeInterval, limit: DeliveryBatchLimit) throws(StateError) -> [SpooledDelivery] {
        try database.write("claim deliveries") { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT *, length(body) AS body_size FROM delivery_spool WHERE sink = ? AND next_attempt_at <= ?
                ORDER BY next_attempt_at, rowid LIMIT ?
                """, arguments: [sink, now.timeIntervalSince1970, limit.count])
            var claimed: [SpooledDelivery] = []
            var bytes = 0
            for row in rows {
                let size = (row["body_size"] as Int? ?? 0) + limit.entryOverhead
                if !claimed.isEmpty && bytes + size > limit.bytes { break }
                bytes += size
                claimed.append(Self.delivery(from: row, attempts: row["attempts"] + 1, nextAttemptAt: now.addingTimeInterval(lease)))
            }
            let update = try db.cachedStatement(sql: "UPDATE delivery_spool SET attempts = ?, next_attempt_at = ? WHERE sink = ? AND alert_id = ?")
            for delivery in claimed {
                try update.execute(arguments: [delivery.attempts, delivery.nextAttemptAt.timeIntervalSince1970, sink, delivery.alertID])
            }
            return claimed
        }
    }

    /// When the next row of `sink` is due, or nil when it has none.
    func nextAttemptTime(sink: String) throws(StateError) -> Date? {
        try database.read("read the webhook spool") { db in
            try Double.fetchOne(db, sql: "SELECT MIN(next_attempt_at) FROM delivery_spool WHERE sink = ?",
                                arguments: [sink])
                .map(Date.init(timeIntervalSince1970:))
        }
    }

    /// Removes a delivered row and remembers its alert as delivered.
    func markDelivered(sink: String, alertID: String, at time: Date) throws(StateError) {
        try database.write("record a delivered alert") { db in
            try db.execute(sql: "DELETE FROM delivery_spool WHERE sink = ? AND alert_id = ?", arguments: [sink, alertID])
            try db.execute(sql: "INSERT OR REPLACE INTO delivered_alert (sink, alert_id, delivered_at) VALUES (?, ?, ?)",
                           arguments: [sink, alertID, time.timeIntervalSince1970])
        }
    }

    /// Records a failed attempt and when to try again.
    func scheduleRetry(sink: String, alertID: String, at time: Date, lastError: String) throws(StateError) {
        try database.write("schedule a webhook retry") { db in
            try db.execute(sql: """
                UPDATE delivery_spool SET next_attempt_at = ?, last_error = ? WHERE sink = ? AND alert_id = ?
                """, arguments: [time.timeIntervalSince1970, lastError, sink, alertID])
        }
    }

    /// Removes a row that was dead-lettered.
    func remove(sink: String, alertID: String) throws(StateError) {
        try database.write("remove a dead-lettered alert from the webhook spool") { db in
            try db.execute(sql: "DELETE FROM delivery_spool WHERE sink = ? AND alert_id = ?", arguments: [sink, alertID])
        }
    }

    /// How many alerts wait in the spool, for `sink` or for all sinks.
    public func pendingCount(sink: String? = nil) throws(StateError) -> Int {
        try database.read("count the webhook spool") { db in
            if let sink {
                return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery_spool WHERE sink = ?", arguments: [sink]) ?? 0
            }
            return try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery_spool") ?? 0
        }
    }

    /// The alerts waiting in the spool, for `sink` or for all sinks, earliest due first.
    public func pending(sink: String? = nil) throws(StateError) -> [SpooledDelivery] {
        try database.read("read the webhook spool") { db in
            let rows = if let sink {
                try Row.fetchAll(db, sql: "SELECT * FROM delivery_spool WHERE sink = ? ORDER BY next_attempt_at, rowid",
                                 arguments: [sink])
            } else {
                try Row.fetchAll(db, sql: "SELECT * FROM delivery_spool ORDER BY next_attempt_at, rowid")
            }
            return rows.map { Self.delivery(from: $0, attempts: $0["attempts"], nextAttemptAt: nil) }
        }
    }

    /// Whether `sink` delivered the alert within the retention.
    public func wasDelivered(sink: String, alertID: String) throws(StateError) -> Bool {
        try database.read("read the delivered alerts") { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM delivered_alert WHERE sink = ? AND alert_id = ?)",
                              arguments: [sink, alertID]) ?? false
        }
    }

    /// Forgets alerts delivered before `cutoff`; returns how many.
    @discardableResult
    public func pruneDelivered(before cutoff: Date) throws(StateError) -> Int {
        try database.write("prune the delivered alerts") { db in
            try db.execute(sql: "DELETE FROM delivered_alert WHERE delivered_at < ?", arguments: [cutoff.timeIntervalSince1970])
            return db.changesCount
        }
    }

    private static func delivery(from row: Row, attempts: Int, nextAttemptAt: Date?) -> SpooledDelivery {
        let body: Data = row["body"]
        return SpooledDelivery(
            sink: row["sink"], alertID: row["alert_id"], rule: row["rule"], body: [UInt8](body),
            contentType: row["content_type"],
            enqueuedAt: Date(timeIntervalSince1970: row["enqueued_at"]), attempts: attempts,
            nextAttemptAt: nextAttemptAt ?? Date(timeIntervalSince1970: row["next_attempt_at"]),
            lastError: row["last_error"], severity: row["severity"])
    }
}

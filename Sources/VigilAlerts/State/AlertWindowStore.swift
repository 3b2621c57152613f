import Foundation
import GRDB

/// The Alerter's dedup and threshold windows in the state database, one table:
/// `alert_windows (rule, kind, key, state)`, one row per `AlertWindowRecord`.
///
/// The functions take a GRDB `Database` rather than a `StateDatabase`, because the caller owns the
/// transaction: a tail saves the windows in the same transaction as its file checkpoints and
/// the file sinks' checkpoints, so that all of them move together or not at all.
public enum AlertWindowStore {
    /// The table, for `StateDatabase.migrate(_:)`.
    public static let migrations: [StateMigration] = [
        StateMigration("alert-windows-v1") { db in
            try db.execute(sql: """
                CREATE TABLE alert_windows (
                    rule TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    key BLOB NOT NULL,
                    state BLOB NOT NULL,
                    PRIMARY KEY (rule, kind, key)
                ) WITHOUT ROWID
                """)
        },
    ]

    // SQLite binds an empty blob whose buffer has no address as NULL, and a threshold without
    // `groupBy` has the empty key; `coalesce(?, x'')` keeps it an empty blob.

    /// Every saved record. Rows of a kind this version does not know are left out.
    public static func load(from db: Database) throws -> [AlertWindowRecord] {
        var records: [AlertWindowRecord] = []
        let rows = try Row.fetchCursor(db, sql: "SELECT rule, kind, key, state FROM alert_windows")
        while let row = try rows.next() {
            guard let kind = AlertWindowRecord.Kind(rawValue: row["kind"]) else { continue }
            let key: Data = row["key"] ?? Data()
            let state: Data = row["state"] ?? Data()
            records.append(AlertWindowRecord(rule: row["rule"], kind: kind, key: [UInt8](key), state: [UInt8](state)))
        }
        return records
    }

    /// Writes `changes`: inserts or replaces the updated records, deletes the removed ones.
    public static func save(_ changes: AlertWindowChanges, in db: Database) throws {
        if !changes.removed.isEmpty {
            let delete = try db.cachedStatement(sql: "DELETE FROM alert_windows WHERE rule = ? AND kind = ? AND key = coalesce(?, x'')")
            for id in changes.removed {
                try delete.execute(arguments: [id.rule, id.kind.rawValue, Data(id.key)])
            }
        }
        if !changes.updated.isEmpty {
            let upsert = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO alert_windows (rule, kind, key, state) VALUES (?, ?, coalesce(?, x''), coalesce(?, x''))
                """)
            for record in changes.updated {
                try upsert.execute(arguments: [record.rule, record.kind.rawValue, Data(record.key), Data(record.state)])
            }
        }
    }
}

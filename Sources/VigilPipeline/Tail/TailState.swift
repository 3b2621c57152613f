import Foundation
import GRDB
import VigilAlerts
import VigilIngest

/// The tail's durable state, in the state directory's database beside the webhook spool:
///
/// * `tail_files`: a `TrackedFile` per file, keyed by device and inode;
/// * `alert_windows`: the alerter's dedup and threshold windows (`AlertWindowStore`);
/// * `tail_sent_alerts`: ids of alerts sent lately, so a restart does not send them again;
/// * `tail_sink_checkpoints`: where each file sink stood at the last commit, so that after a
///   crash it finds the alerts it wrote past that point and does not write them twice;
/// * `tail_status`: one row of counters for `vigil status`;
/// * `tail_config_items`: the last AWS Config item of each resource (`ConfigItemMemory`), so that
///   the first item of a resource after a restart still gets its `configurationItemDiff`; it
///   mirrors the memory, and so holds no more than the memory's bound.
///
/// `commit` writes all of a batch's changes in one transaction, after the sinks have flushed: a
/// crash before it loses nothing (the batch is read again), and after it repeats nothing.
final class TailState {
    static let migrations: [StateMigration] = [
        StateMigration("tail-v1") { db in
            try db.execute(sql: """
                CREATE TABLE tail_files (
                    device INTEGER NOT NULL,
                    inode INTEGER NOT NULL,
                    path TEXT NOT NULL,
                    fingerprint BLOB NOT NULL,
                    size INTEGER NOT NULL,
                    modified REAL NOT NULL,
                    records INTEGER NOT NULL,
                    decoded_offset INTEGER NOT NULL,
                    complete INTEGER NOT NULL,
                    baseline_size INTEGER,
                    updated_at REAL NOT NULL,
                    PRIMARY KEY (device, inode)
                );
                CREATE TABLE tail_sent_alerts (
                    id TEXT PRIMARY KEY NOT NULL,
                    sent_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX tail_sent_alerts_age ON tail_sent_alerts (sent_at);
                CREATE TABLE tail_sink_checkpoints (
                    sink TEXT PRIMARY KEY NOT NULL,
                    checkpoint TEXT NOT NULL
                );
                CREATE TABLE tail_status (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    status TEXT NOT NULL
                );
                """)
        },
        StateMigration("tail-config-items-v1") { db in
            try db.execute(sql: """
                CREATE TABLE tail_config_items (
                    resource BLOB PRIMARY KEY NOT NULL,
                    capture_time INTEGER NOT NULL,
                    properties BLOB NOT NULL,
                    updated_at REAL NOT NULL
                ) WITHOUT ROWID;
                CREATE INDEX tail_config_items_age ON tail_config_items (updated_at);
                """)
        },
    ]

    /// How long sent alert ids are remembered across restarts.
    static let sentRetention: TimeInterval = 2 * 24 * 60 * 60
    /// How many of them a new session loads at most.
    static let sentLoadLimit = 200_000

    let database: StateDatabase

    init(database: StateDatabase) throws(StateError) {
        self.database = database
        try database.migrate(Self.migrations + AlertWindowStore.migrations)
    }

    /// Everything a session starts from.
    struct Snapshot {
        var files: [TrackedFile] = []
        var windows: [AlertWindowRecord] = []
        var sentAlerts: [String] = []
        var checkpoints: [String: SinkCheckpoint] = [:]
        /// Config items by resource, the least recently remembered first.
        var configItems: [(key: [UInt8], item: ConfigItemMemory.Remembered)] = []
    }

    func load() throws(StateError) -> Snapshot {
        try database.write("read the tail's progress") { db in
            var snapshot = Snapshot()
            for row in try Row.fetchAll(db, sql: "SELECT * FROM tail_files") {
                let identity = FileIdentity(device: UInt64(bitPattern: row["device"]), inode: UInt64(bitPattern: row["inode"]))
                let fingerprint: Data = row["fingerprint"]
                snapshot.files.append(TrackedFile(
                    identity: identity, path: row["path"], fingerprint: [UInt8](fingerprint), size: row["size"],
                    modified: row["modified"], records: row["records"], decodedOffset: row["decoded_offset"],
                    isComplete: row["complete"], baselineSize: row["baseline_size"]))
            }
            snapshot.windows = try AlertWindowStore.load(from: db)
            snapshot.sentAlerts = try String.fetchAll(db, sql: "SELECT id FROM tail_sent_alerts ORDER BY sent_at DESC LIMIT ?",
                                                      arguments: [Self.sentLoadLimit])
            for row in try Row.fetchAll(db, sql: """
                SELECT resource, capture_time, properties FROM
                    (SELECT * FROM tail_config_items ORDER BY updated_at DESC, resource LIMIT ?)
                ORDER BY updated_at, resource
                """, arguments: [ConfigItemMemory.Limits().maximumResources]) {
                let resource: Data = row["resource"]
                let properties: Data = row["properties"]
                snapshot.configItems.append(([UInt8](resource),
                                             ConfigItemMemory.Remembered(captureTime: row["capture_time"], properties: [UInt8](properties))))
            }
            for row in try Row.fetchAll(db, sql: "SELECT sink, checkpoint FROM tail_sink_checkpoints") {
                if let checkpoint = SinkCheckpoint(encoded: row["checkpoint"]) {
                    snapshot.checkpoints[row["sink"]] = checkpoint
                }
            }
            return snapshot
        }
    }

    /// One batch's changes.
    struct Commit {
        var files: [TrackedFile] = []
        var forgotten: [FileIdentity] = []
        var windows = AlertWindowChanges(updated: [], removed: [])
        var sentAlerts: [String] = []
        var checkpoints: [SinkCheckpoint] = []
        var status: TailStatus?
        /// Config items remembered (or forgotten: nil) since the last commit.
        var configItems: [(key: [UInt8], item: ConfigItemMemory.Remembered?)] = []

        var isEmpty: Bool {
            files.isEmpty && forgotten.isEmpty && windows.isEmpty && sentAlerts.isEmpty && checkpoints.isEmpty && status == nil
                && configItems.isEmpty
        }
    }

    /// Writes `commit` in one transaction.
    func commit(_ commit: Commit, now: Date = Date()) throws(StateError) {
        let time = now.timeIntervalSince1970
        try database.write("save the tail's progress") { db in
            let upsert = try db.cachedStatement(sql: """
                INSERT OR REPLACE INTO tail_files
                    (device, inode, path, fingerprint, size, modified, records, decoded_offset, complete, baseline_size, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for file in commit.files {
                try upsert.execute(arguments: [
                    Int64(bitPattern: file.identity.device), Int64(bitPattern: file.identity.inode), file.path,
                    Data(file.fingerprint), file.size, file.modified, file.records, file.decodedOffset, file.isComplete,
                    file.baselineSize, time,
                ])
            }
            let delete = try db.cachedStatement(sql: "DELETE FROM tail_files WHERE device = ? AND inode = ?")
            for identity in commit.forgotten {
                try delete.execute(arguments: [Int64(bitPattern: identity.device), Int64(bitPattern: identity.inode)])
            }
            try AlertWindowStore.save(commit.windows, in: db)
            if !commit.sentAlerts.isEmpty {
                let insert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO tail_sent_alerts (id, sent_at) VALUES (?, ?)")
                for id in commit.sentAlerts { try insert.execute(arguments: [id, time]) }
                try db.execute(sql: "DELETE FROM tail_sent_alerts WHERE sent_at < ?", arguments: [time - Self.sentRetention])
            }
            let checkpoint = try db.cachedStatement(sql: "INSERT OR REPLACE INTO tail_sink_checkpoints (sink, checkpoint) VALUES (?, ?)")
            for sink in commit.checkpoints {
                try checkpoint.execute(arguments: [sink.sink, sink.encoded])
            }
            if !commit.configItems.isEmpty {
                let save = try db.cachedStatement(sql: """
                    INSERT OR REPLACE INTO tail_config_items (resource, capture_time, properties, updated_at) VALUES (?, ?, ?, ?)
                    """)
                let forget = try db.cachedStatement(sql: "DELETE FROM tail_config_items WHERE resource = ?")
                for (key, item) in commit.configItems {
                    if let item {
                        try save.execute(arguments: [Data(key), item.captureTime, Data(item.properties), time])
                    } else {
                        try forget.execute(arguments: [Data(key)])
                    }
                }
            }
            if let status = commit.status {
                try db.execute(sql: "INSERT OR REPLACE INTO tail_status (id, status) VALUES (1, ?)", arguments: [status.encoded])
            }
        }
    }

    /// Webhook alerts waiting in the spool (0 when no webhook sink ever made the table).
    func spoolDepth() -> Int {
        (try? database.read("count the webhook spool") { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM delivery_spool") ?? 0 }) ?? 0
    }
}

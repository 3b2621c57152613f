import Foundation
import GRDB
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one embedded SQLite database in the state directory (`<dir>/vigil.sqlite`), holding what
/// must survive a crash: the webhook spool (`DeliverySpool`), the Alerter's dedup and threshold
/// windows (`AlertWindowStore`), and the tail's checkpoints.
///
/// Open it once per process and share it: it wraps a GRDB `DatabasePool` (one writer, concurrent
/// readers). Every change is a transaction; the journal is a WAL synced in FULL mode, so a
/// committed transaction survives a power cut, not only a crash of the process. Two processes on
/// the same state directory wait for each other's write locks (up to `busyTimeout`) instead of
/// failing, and SQLite's own locking keeps the file consistent.
///
/// Each module owns its tables and brings them up to date with `migrate(_:)` before using them.
public final class StateDatabase: Sendable {
    /// The name of the database file inside the state directory.
    public static let fileName = "vigil.sqlite"

    /// The state directory.
    public let directory: String
    /// `<directory>/vigil.sqlite`.
    public let path: String
    /// The connection pool. Modules read and write their own tables through it; writes are
    /// immediate transactions, so two processes never interleave one.
    public let writer: DatabasePool

    /// Opens the database in `directory`, creating the directory (mode 0700) and the file
    /// (mode 0600) when they do not exist.
    public init(directory: String, busyTimeout: TimeInterval = 10) throws(StateError) {
        self.directory = directory
        self.path = directory.hasSuffix("/") ? directory + Self.fileName : directory + "/" + Self.fileName
        if let problem = DurableFiles.createDirectory(directory) {
            throw StateError("Cannot create the state directory: \(problem).")
        }
        // SQLite would create the file 0644 and gives its -wal and -shm files the main file's mode,
        // so creating it 0600 first keeps alert bodies readable by this user only.
        let descriptor = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StateError("Cannot create the state database \(path): \(DurableFiles.lastError()).")
        }
        close(descriptor)

        var configuration = Configuration()
        configuration.label = "vigil-state"
        configuration.busyMode = .timeout(busyTimeout)
        configuration.prepareDatabase { db in
            // WAL's default (NORMAL) may lose the last transactions on power loss; the spool and
            // checkpoints promise that a committed row is durable.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            writer = try DatabasePool(path: path, configuration: configuration)
        } catch {
            throw StateError("Cannot open the state database \(path): \(error).")
        }
    }

    /// Runs `work` in a write transaction. A failure becomes a `StateError` that says what could
    /// not be done (`action`, e.g. "add alerts to the webhook spool") and where.
    public func write<Result>(_ action: String, _ work: (Database) throws -> Result) throws(StateError) -> Result {
        do {
            return try writer.write(work)
        } catch {
            throw StateError("Cannot \(action) in \(path): \(error).")
        }
    }

    /// Runs `work` on a read-only snapshot, with failures reported as `write` reports them.
    public func read<Result>(_ action: String, _ work: (Database) throws -> Result) throws(StateError) -> Result {
        do {
            return try writer.read(work)
        } catch {
            throw StateError("Cannot \(action) in \(path): \(error).")
        }
    }

    /// Applies the migrations in `migrations` that this database has not had yet, in order.
    ///
    /// Migrations of other modules already applied are left alone, so each module can migrate
    /// its own tables independently. A lock file serializes this between processes: GRDB's
    /// migrator reads which migrations are applied before it starts its transactions, so two
    /// processes starting at once could otherwise both try to create the same table.
    public func migrate(_ migrations: [StateMigration]) throws(StateError) {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.name, migrate: migration.apply)
        }
        let lockPath = path + "-migrations.lock"
        try DurableFiles.withExclusiveLock(lockPath, failure: { StateError("Cannot migrate \(self.path): \($0).") }) {
            () throws(StateError) in
            do {
                try migrator.migrate(writer)
            } catch {
                throw StateError("Cannot bring the state database \(path) up to date: \(error).")
            }
        }
    }
}

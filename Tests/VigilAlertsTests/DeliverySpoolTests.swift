import Foundation
import Testing
import VigilAlerts

@Suite struct DeliverySpoolTests {
    @Test func theStateDirectoryAndDatabaseArePrivateAndMigrationsRunOnce() throws {
        let scratch = ScratchDirectory()
        let directory = scratch.appending("state/nested")
        let database = try StateDatabase(directory: directory)
        let attributes = try FileManager.default.attributesOfItem(atPath: directory)
        #expect((attributes[.posixPermissions] as? Int) == 0o700)
        let file = try FileManager.default.attributesOfItem(atPath: database.path)
        #expect((file[.posixPermissions] as? Int) == 0o600)
        #expect(database.path == directory + "/vigil.sqlite")

        let spool = try DeliverySpool(database: database)
        try spool.enqueue([PendingDelivery(sink: "hook", alert: DeliveryFixtures.alert(1))])
        // A second opening of the same directory (as a second process would) migrates nothing
        // again and sees the same rows.
        let again = try DeliverySpool(database: try StateDatabase(directory: directory))
        #expect(try again.pendingCount(sink: "hook") == 1)
    }

    @Test func otherModulesAddTheirOwnMigrations() throws {
        let scratch = ScratchDirectory()
        let database = try StateDatabase(directory: scratch.path)
        _ = try DeliverySpool(database: database)
        let checkpoints = StateMigration("test-checkpoints-v1") { db in
            try db.execute(sql: "CREATE TABLE test_checkpoint (path TEXT PRIMARY KEY, offset INTEGER NOT NULL)")
        }
        try database.migrate([checkpoints])
        try database.migrate([checkpoints])
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO test_checkpoint VALUES ('a', 1)")
        }
        // The spool's migrations, applied again with another module's present, change nothing.
        try database.migrate(DeliverySpool.migrations)
        #expect(try database.writer.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM test_checkpoint") } == 1)
    }

    @Test func anAlertIsSpooledOncePerSinkAndNotAgainAfterDelivery() throws {
        let scratch = ScratchDirectory()
        let spool = try DeliverySpool(database: try StateDatabase(directory: scratch.path))
        let alert = DeliveryFixtures.alert(7)
        #expect(try spool.enqueue([PendingDelivery(sink: "a", alert: alert), PendingDelivery(sink: "a", alert: alert),
                                   PendingDelivery(sink: "b", alert: alert)]) == 2)
        #expect(try spool.enqueue([PendingDelivery(sink: "a", alert: alert)]) == 0)
        let pending = try spool.pending(sink: "a")
        #expect(pending.count == 1)
        #expect(pending.first?.body == alert.body)
        #expect(pending.first?.contentType == "application/json")
        #expect(pending.first?.attempts == 0)
        #expect(try spool.pendingCount() == 2)
    }

    @Test func deliveredIdsArePrunedAfterTheRetention() throws {
        let scratch = ScratchDirectory()
        let database = try StateDatabase(directory: scratch.path)
        let spool = try DeliverySpool(database: database)
        let longAgo = Date().addingTimeInterval(-8 * 86_400)
        try database.writer.write { db in
            try db.execute(sql: "INSERT INTO delivered_alert (sink, alert_id, delivered_at) VALUES ('a', 'old', ?), ('a', 'new', ?)",
                           arguments: [longAgo.timeIntervalSince1970, Date().timeIntervalSince1970])
        }
        #expect(try spool.pruneDelivered(before: Date().addingTimeInterval(-7 * 86_400)) == 1)
        #expect(try !spool.wasDelivered(sink: "a", alertID: "old"))
        #expect(try spool.wasDelivered(sink: "a", alertID: "new"))
        #expect(try spool.enqueue([PendingDelivery(sink: "a", alertID: "old", rule: "r", body: [], contentType: "text/plain"),
                                   PendingDelivery(sink: "a", alertID: "new", rule: "r", body: [], contentType: "text/plain")]) == 1)
    }
}

import GRDB

/// One named change to the schema of the state database.
///
/// Each module that keeps durable state owns its tables and lists its migrations (the webhook
/// spool's are `DeliverySpool.migrations`). A migration, once shipped, is never edited: a later
/// change is a new migration with a new name, so that databases of every earlier version catch up.
public struct StateMigration: Sendable {
    /// Unique across all modules; prefix it with the module's concern, e.g. `delivery-spool-v1`.
    public let name: String
    /// Runs inside a transaction, once per database.
    public let apply: @Sendable (Database) throws -> Void

    public init(_ name: String, apply: @escaping @Sendable (Database) throws -> Void) {
        self.name = name
        self.apply = apply
    }
}

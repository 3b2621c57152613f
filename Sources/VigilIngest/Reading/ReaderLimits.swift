/// Limits a reader enforces on each record; a record beyond them is reported and skipped.
public struct ReaderLimits: Sendable, Hashable {
    /// Largest record accepted, in decoded bytes (1 MiB by default).
    public var maximumRecordSize: Int
    /// Deepest nesting of objects and arrays accepted within a record.
    public var maximumDepth: Int

    public init(maximumRecordSize: Int = 1 << 20, maximumDepth: Int = 1000) {
        self.maximumRecordSize = maximumRecordSize
        self.maximumDepth = maximumDepth
    }
}

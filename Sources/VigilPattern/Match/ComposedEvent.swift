import VigilJSON

/// Matching an event given in parts: top-level string values plus nested JSON objects.
///
/// Readers of AWS logs derive an event's envelope (`source`, `detail-type`, `account`, `time`,
/// `region`, `id`) from the record and take `detail` verbatim from the log. Assembling that event
/// as JSON text just to scan it again would copy every record; instead the reader hands the
/// matcher each envelope value and the record's bytes as the `detail` object, and the result is
/// exactly what matching the assembled event would give.
///
/// ```swift
/// matcher.beginComposedEvent()
/// if let source = matcher.topLevelKey("source") { matcher.addString(sourceBytes, for: source) }
/// if let detail = matcher.topLevelKey("detail") { try matcher.addObject(recordBytes, under: detail) }
/// let matched = matcher.finishComposedEvent()
/// ```
///
/// Values for keys no pattern names need not be computed: `topLevelKey` returns nil for them.
extension PatternMatcher {
    /// A key of the event that some pattern names (the key itself or a path below it): a top-level
    /// key, or one below it (`key(_:below:)`), for values handed over one by one.
    public struct TopLevelKey: Sendable, Hashable {
        let node: Int32
    }

    /// The key `name` if some pattern of this set names it or a path below it, else nil.
    public func topLevelKey(_ name: String) -> TopLevelKey? {
        let node = Array(name.utf8).withUnsafeBytes { patternSet.trie.child(of: PathTrie.root, key: $0) }
        return node == PathTrie.none ? nil : TopLevelKey(node: node)
    }

    /// The key `name` below `parent` (a `detail` member, say) if some pattern names it or a path
    /// below it, else nil. `name` is the key's characters (UTF-8, not escaped); a dotted name is
    /// looked up as the scanner looks up a key that holds dots.
    public func key(_ name: UnsafeRawBufferPointer, below parent: TopLevelKey) -> TopLevelKey? {
        let node = patternSet.trie.child(of: parent.node, key: name)
        return node == PathTrie.none ? nil : TopLevelKey(node: node)
    }

    /// Starts an event given in parts.
    public func beginComposedEvent() {
        beginEvent()
    }

    /// The string value of a key (top-level, or one from `key(_:below:)` outside any array): its
    /// characters as UTF-8, not JSON-escaped.
    public func addString(_ value: UnsafeRawBufferPointer, for key: TopLevelKey) {
        let field = trieReference._withUnsafeGuaranteedRef { $0.field(of: key.node) }
        guard field >= 0 else { return }
        evaluateLeaf(field: field, kind: .string(escaped: false), bytes: value, memberships: UnsafeBufferPointer(start: nil, count: 0))
    }

    /// A JSON number that is the value of `key` (outside any array): `spelling` as JSON writes it.
    /// The same as a scalar the scanner finds in an object handed to `addObject`.
    public func addNumber(_ spelling: UnsafeRawBufferPointer, for key: TopLevelKey) {
        let field = trieReference._withUnsafeGuaranteedRef { $0.field(of: key.node) }
        guard field >= 0 else { return }
        evaluateLeaf(field: field, kind: .literal(isNumber: true), bytes: spelling, memberships: UnsafeBufferPointer(start: nil, count: 0))
    }

    /// The JSON object that is the value of a top-level key (for the envelope, `detail`).
    /// `members`: where the object's own members lie, when it was validated into an index.
    public func addObject(_ object: UnsafeRawBufferPointer, under key: TopLevelKey,
                          members: ObjectMemberIndex? = nil) throws(EventError) {
        guard trieReference._withUnsafeGuaranteedRef({ $0.hasChildren(key.node) }) else { return }
        try scanner.scan(object, into: self, root: key.node, members: members)
    }

    /// Ends the event and returns the indices of the patterns it matches (the matcher's own
    /// `matched`, overwritten by the next event).
    @discardableResult
    public func finishComposedEvent() -> [Int32] {
        finishEvent()
    }
}

import VigilJSON

/// The values an event holds at the paths a compiled pattern set names, with their text, so that an
/// explanation can quote them.
///
/// The matcher records each leaf value's field, array memberships and met tests, but not its bytes:
/// keeping them would cost every event for the sake of the few that are explained. So an
/// explanation walks the event a second time here, in the same order and by the same rules as
/// `EventScanner` (descend only into keys the `PathTrie` knows, split keys at dots, number every
/// array entered in the order it opens), which makes leaf *i* here the matcher's leaf *i*.
/// `isAligned(with:)` checks that correspondence before anything relies on it.
///
/// Besides leaves it notes what else sat at a named path (an object, an empty array, a scalar where
/// an object was needed), to say why a field is absent.
struct EventFieldValues {
    /// One leaf value of a named field.
    struct Leaf {
        let field: Int32
        /// The value as written in the event (strings with their quotes and escapes).
        let text: String
        /// (array id, element index) of each enclosing array, outermost first.
        let arrays: [Int32]
        let indices: [Int32]
    }

    /// What was seen at a trie node, leaves aside.
    struct Seen {
        var object = false
        var emptyArray = false
        /// The first string, number, `true`, `false` or `null` at the node.
        var scalar: String?
    }

    private(set) var leaves: [Leaf] = []
    /// The dot-joined path of each array, by array id.
    private(set) var arrayPaths: [String] = []
    private(set) var seen: [Int32: Seen] = [:]

    private let trie: PathTrie
    private var arrays: [Int32] = []
    private var indices: [Int32] = []
    private var keyScratch: [UInt8] = []

    /// Walks `event` (a JSON object the matcher has already scanned without error).
    init(event: UnsafeRawBufferPointer, trie: PathTrie) throws(EventError) {
        self.trie = trie
        try walkObject(event, range: 0..<event.count, node: PathTrie.root, path: "")
    }

    /// Whether leaf *i* here is the matcher's leaf *i* for every leaf of the last event it matched.
    func isAligned(with matcher: PatternMatcher) -> Bool {
        guard leaves.count == matcher.leaves.count else { return false }
        for (index, leaf) in leaves.enumerated() {
            let start = Int(matcher.leaves[index].membershipStart)
            let end = Int(matcher.leaves[index].membershipEnd)
            guard leaf.field == matcher.leaves[index].field,
                  leaf.arrays.elementsEqual(matcher.membershipArray.elements[start..<end]),
                  leaf.indices.elementsEqual(matcher.membershipIndex.elements[start..<end]) else { return false }
        }
        return true
    }

    /// The node of a dot-joined path, or nil when the trie does not hold it.
    func node(of path: [Substring]) -> Int32? {
        var node = PathTrie.root
        for segment in path {
            let bytes = Array(segment.utf8)
            node = bytes.withUnsafeBytes { trie.child(of: node, segment: $0) }
            if node == PathTrie.none { return nil }
        }
        return node
    }

    private mutating func walkObject(_ event: UnsafeRawBufferPointer, range: Range<Int>, node: Int32,
                                     path: String) throws(EventError) {
        let object = UnsafeRawBufferPointer(rebasing: event[range])
        var members: [(node: Int32, key: String, value: Range<Int>)] = []
        try JSONMembers.forEach(in: object) { key, keyIsEscaped, value in
            let child: Int32
            var name: String
            if keyIsEscaped {
                JSONString.unescape(key, into: &keyScratch)
                child = keyScratch.withUnsafeBytes { trie.child(of: node, key: $0) }
                name = String(decoding: keyScratch, as: UTF8.self)
            } else {
                child = trie.child(of: node, key: key)
                name = String(decoding: key, as: UTF8.self)
            }
            if child != PathTrie.none {
                if !path.isEmpty { name = path + "." + name }
                members.append((child, name, (value.lowerBound + range.lowerBound)..<(value.upperBound + range.lowerBound)))
            }
            return true
        }
        for member in members {
            try walkValue(event, range: member.value, node: member.node, path: member.key)
        }
    }

    private mutating func walkValue(_ event: UnsafeRawBufferPointer, range: Range<Int>, node: Int32,
                                    path: String) throws(EventError) {
        switch event[range.lowerBound] {
        case UInt8(ascii: "{"):
            seen[node, default: Seen()].object = true
            if trie.hasChildren(node) { try walkObject(event, range: range, node: node, path: path) }
        case UInt8(ascii: "["):
            let array = Int32(arrayPaths.count)
            arrayPaths.append(path)
            var elements: [Range<Int>] = []
            JSONBytes.forEachElement(in: event, arrayAt: range.lowerBound) { elements.append($0) }
            if elements.isEmpty { seen[node, default: Seen()].emptyArray = true }
            for (index, element) in elements.enumerated() {
                arrays.append(array)
                indices.append(Int32(index))
                try walkValue(event, range: element, node: node, path: path)
                arrays.removeLast()
                indices.removeLast()
            }
        default:
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: event[range]), as: UTF8.self)
            if seen[node]?.scalar == nil { seen[node, default: Seen()].scalar = text }
            let field = trie.field(of: node)
            if field >= 0 { leaves.append(Leaf(field: field, text: text, arrays: arrays, indices: indices)) }
        }
    }
}

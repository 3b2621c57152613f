/// The field paths that some pattern names, as a trie of key segments.
///
/// The scanner asks it, for each key of an event object, whether any pattern names a field at or
/// below that key; a subtree no pattern names is skipped without being decoded. Names are split
/// at dots, because event-ruler joins nested keys with dots: the event key `"a.b"` and the nested
/// keys `a` → `b` both reach the node of the pattern field `a.b`.
///
/// Children of all nodes live in one open-addressing hash table keyed by (parent, segment bytes),
/// so a lookup costs one hash of the key and usually one probe, whatever the fan-out.
///
/// A class, not a struct, so that the scanner's hot loop can hold it without copying seven
/// arrays (a retain and a release each) per event. It is filled while its pattern set is
/// compiled and only read once the set is shared, which is why it can be `@unchecked Sendable`.
final class PathTrie: @unchecked Sendable {
    struct Node: Sendable {
        /// The field index when a pattern names this exact path, else -1.
        var field: Int32 = -1
        var childCount: Int32 = 0
    }

    static let root: Int32 = 0
    static let none: Int32 = -1

    private(set) var nodes: [Node] = [Node()]
    private var slotParent: [Int32] = []
    private var slotChild: [Int32] = []
    private var slotHash: [UInt32] = []
    private var slotKeyStart: [Int32] = []
    private var slotKeyLength: [Int32] = []
    private var keyArena: [UInt8] = []
    private var mask = 0
    private var used = 0

    init() {
        resize(to: 16)
    }

    /// The node for `path`, created if needed.
    func insert(path: String) -> Int32 {
        var node = Self.root
        for segment in path.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = Array(segment.utf8)
            let existing = bytes.withUnsafeBytes { child(of: node, segment: $0) }
            if existing != Self.none {
                node = existing
                continue
            }
            let created = Int32(nodes.count)
            nodes.append(Node())
            nodes[Int(node)].childCount += 1
            store(parent: node, segment: bytes, child: created)
            node = created
        }
        return node
    }

    func setField(_ field: Int32, of node: Int32) {
        nodes[Int(node)].field = field
    }

    @inline(__always)
    func field(of node: Int32) -> Int32 { nodes[Int(node)].field }

    @inline(__always)
    func hasChildren(_ node: Int32) -> Bool { nodes[Int(node)].childCount > 0 }

    /// The node reached from `node` by an event key, which may hold dots; `none` if no pattern names it.
    @inline(__always)
    func child(of node: Int32, key: UnsafeRawBufferPointer) -> Int32 {
        var current = node
        var segmentStart = 0
        var index = 0
        let count = key.count
        while index < count {
            if key[index] == UInt8(ascii: ".") {
                current = child(of: current, segment: UnsafeRawBufferPointer(rebasing: key[segmentStart..<index]))
                if current == Self.none { return Self.none }
                segmentStart = index + 1
            }
            index += 1
        }
        return child(of: current, segment: UnsafeRawBufferPointer(rebasing: key[segmentStart..<count]))
    }

    @inline(__always)
    func child(of parent: Int32, segment: UnsafeRawBufferPointer) -> Int32 {
        if nodes[Int(parent)].childCount == 0 { return Self.none }
        let hash = Self.hash(parent: parent, segment)
        var slot = Int(hash) & mask
        while true {
            let slotOwner = slotParent[slot]
            if slotOwner == Self.none { return Self.none }
            if slotOwner == parent && slotHash[slot] == hash && Int(slotKeyLength[slot]) == segment.count {
                let start = Int(slotKeyStart[slot])
                let equal = keyArena.withUnsafeBytes { arena in
                    segment.count == 0
                        || memcmp(arena.baseAddress! + start, segment.baseAddress!, segment.count) == 0
                }
                if equal { return slotChild[slot] }
            }
            slot = (slot + 1) & mask
        }
    }

    private func store(parent: Int32, segment: [UInt8], child: Int32) {
        if (used + 1) * 2 > slotParent.count { resize(to: slotParent.count * 2) }
        let hash = segment.withUnsafeBytes { Self.hash(parent: parent, $0) }
        var slot = Int(hash) & mask
        while slotParent[slot] != Self.none { slot = (slot + 1) & mask }
        slotParent[slot] = parent
        slotChild[slot] = child
        slotHash[slot] = hash
        slotKeyStart[slot] = Int32(keyArena.count)
        slotKeyLength[slot] = Int32(segment.count)
        keyArena.append(contentsOf: segment)
        used += 1
    }

    private func resize(to capacity: Int) {
        let entries = (0..<slotParent.count).compactMap { slot -> (Int32, [UInt8], Int32)? in
            guard slotParent[slot] != Self.none else { return nil }
            let start = Int(slotKeyStart[slot])
            return (slotParent[slot], Array(keyArena[start..<start + Int(slotKeyLength[slot])]), slotChild[slot])
        }
        slotParent = [Int32](repeating: Self.none, count: capacity)
        slotChild = [Int32](repeating: Self.none, count: capacity)
        slotHash = [UInt32](repeating: 0, count: capacity)
        slotKeyStart = [Int32](repeating: 0, count: capacity)
        slotKeyLength = [Int32](repeating: 0, count: capacity)
        keyArena = []
        mask = capacity - 1
        used = 0
        for (parent, segment, child) in entries { store(parent: parent, segment: segment, child: child) }
    }

    /// FNV-1a over the segment, seeded with the parent node.
    @inline(__always)
    static func hash(parent: Int32, _ segment: UnsafeRawBufferPointer) -> UInt32 {
        var hash: UInt32 = 2166136261 ^ (UInt32(bitPattern: parent) &* 16777619)
        for byte in segment {
            hash = (hash ^ UInt32(byte)) &* 16777619
        }
        return hash ^ (hash >> 15)
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

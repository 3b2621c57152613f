import VigilJSON

/// Walks an event's JSON bytes once and hands the matcher each leaf value of a field some pattern
/// names, with the arrays that enclose it.
///
/// Why a custom scanner: building a tree of the event (Foundation's JSONSerialization manages
/// about 35 MB/s here) would cost far more than matching. This scanner descends only into keys
/// found in the `PathTrie` and skips every other subtree by its brackets and strings, eight bytes
/// at a time through strings, without decoding anything; it never allocates once its stacks have
/// grown to the event's depth.
///
/// It checks structure as far as it walks (keys, colons, commas, brackets, string and literal
/// boundaries) but a skipped subtree is only checked for balanced brackets and closed strings:
/// full validation is `JSONValidator`'s job where an input must be proven well-formed. The byte
/// primitives it walks with (`JSONBytes`, `JSONString`) are VigilJSON's, inlined here.
struct EventScanner {
    /// Deepest nesting of objects and arrays accepted in an event: the same as where the scanner
    /// skips a subtree by its brackets (`JSONBytes.skipValue`).
    static var maximumDepth: Int { JSONBytes.maximumDepth }

    private var frameNode: [Int32] = []
    private var frameIsArray: [Bool] = []
    /// (array id, element index) of each enclosing array, flattened.
    private var arrayPath: [Int32] = []
    private var nextArrayID: Int32 = 0
    private var keyScratch: [UInt8] = []

    init() {}

    /// Forgets the arrays numbered so far; called once per event, which may be scanned in parts.
    mutating func beginEvent() {
        nextArrayID = 0
    }

    /// Scans the JSON object `event`, whose own path is the trie node `root` (the trie's root for a
    /// whole event, the node of `detail` for an event composed from parts).
    ///
    /// - Parameter members: where the object's top-level members lie, when it has been validated
    ///   into an `ObjectMemberIndex`: the scan then goes from member to member and walks only the
    ///   values of keys some pattern names.
    mutating func scan(_ event: UnsafeRawBufferPointer, into matcher: PatternMatcher,
                       root: Int32 = PathTrie.root, members: ObjectMemberIndex? = nil) throws(EventError) {
        frameNode.removeAll(keepingCapacity: true)
        frameIsArray.removeAll(keepingCapacity: true)
        arrayPath.removeAll(keepingCapacity: true)
        let objectStart = JSONBytes.skipWhitespace(event, from: 0)
        guard objectStart < event.count, event[objectStart] == UInt8(ascii: "{") else {
            throw EventError("An event must be a JSON object", offset: objectStart)
        }
        // Taken once and lent to the helpers, rather than read from the matcher for every value.
        let trie = matcher.patternSet.trie
        guard let members else {
            _ = try walkContainer(event, from: objectStart + 1, node: root, isArray: false, trie: trie, into: matcher)
            return
        }
        // The object's own frame, as a walk would open it, so that depths count the same.
        try enter(node: root, isArray: false, offset: objectStart)
        for index in 0..<members.count {
            let (key, keyIsEscaped) = members.key(index)
            let keyBytes = UnsafeRawBufferPointer(rebasing: event[(objectStart + key.lowerBound)..<(objectStart + key.upperBound)])
            let node = childNode(trie, of: root, key: keyBytes, isEscaped: keyIsEscaped)
            if node == PathTrie.none { continue }
            _ = try scanValue(event, at: objectStart + members.value(index).lowerBound, node: node, trie: trie, into: matcher)
        }
    }

    /// Walks the object or array whose opening bracket is just before `start`, whose path is the
    /// trie node `node`, and returns the offset just past its closing bracket.
    private mutating func walkContainer(_ event: UnsafeRawBufferPointer, from start: Int, node: Int32, isArray: Bool,
                                        trie: PathTrie, into matcher: PatternMatcher) throws(EventError) -> Int {
        let count = event.count
        let outerDepth = frameNode.count
        try enter(node: node, isArray: isArray, offset: start - 1)
        var position = start
        var first = true
        var expectingValue = true

        while true {
            position = JSONBytes.skipWhitespace(event, from: position)
            guard position < count else {
                throw EventError("Unexpected end of the event inside an object or array", offset: position)
            }
            let byte = event[position]
            let inArray = frameIsArray[frameIsArray.count - 1]

            if !expectingValue {
                // After a value: a comma, or the end of the enclosing container.
                if byte == UInt8(ascii: ",") {
                    position += 1
                    if inArray { arrayPath[arrayPath.count - 1] += 1 }
                    first = false
                    expectingValue = true
                    continue
                }
                guard byte == (inArray ? UInt8(ascii: "]") : UInt8(ascii: "}")) else {
                    throw EventError(
                        inArray ? "Expected ',' or ']' after an array element" : "Expected ',' or '}' after an object member",
                        offset: position)
                }
                position += 1
                popFrame()
                if frameNode.count == outerDepth { return position }
                continue
            }

            // At the start of a member (objects) or element (arrays).
            var valueNode: Int32
            if inArray {
                if first && byte == UInt8(ascii: "]") {
                    position += 1
                    popFrame()
                    if frameNode.count == outerDepth { return position }
                    expectingValue = false
                    continue
                }
                valueNode = frameNode[frameNode.count - 1]
            } else {
                if first && byte == UInt8(ascii: "}") {
                    position += 1
                    popFrame()
                    if frameNode.count == outerDepth { return position }
                    expectingValue = false
                    continue
                }
                guard byte == UInt8(ascii: "\"") else {
                    throw EventError("Expected a double-quoted key", offset: position)
                }
                var escaped = false
                guard let keyEnd = JSONString.end(in: event, from: position + 1, escaped: &escaped) else {
                    throw EventError("Unterminated string", offset: position)
                }
                let key = UnsafeRawBufferPointer(rebasing: event[(position + 1)..<keyEnd])
                valueNode = childNode(trie, of: frameNode[frameNode.count - 1], key: key, isEscaped: escaped)
                position = JSONBytes.skipWhitespace(event, from: keyEnd + 1)
                guard position < count, event[position] == UInt8(ascii: ":") else {
                    throw EventError("Expected ':' after a key", offset: position)
                }
                position = JSONBytes.skipWhitespace(event, from: position + 1)
                guard position < count else {
                    throw EventError("Unexpected end of the event after a key", offset: position)
                }
            }

            expectingValue = false
            if valueNode == PathTrie.none {
                position = try JSONBytes.skipValue(event, from: position, depth: frameNode.count)
                continue
            }
            switch event[position] {
            case UInt8(ascii: "{"):
                if trie.hasChildren(valueNode) {
                    try enter(node: valueNode, isArray: false, offset: position)
                    position += 1
                    first = true
                    expectingValue = true
                } else {
                    position = try JSONBytes.skipValue(event, from: position, depth: frameNode.count)
                }
            case UInt8(ascii: "["):
                try enter(node: valueNode, isArray: true, offset: position)
                position += 1
                first = true
                expectingValue = true
            default:
                position = try evaluateScalar(event, at: position, node: valueNode, trie: trie, into: matcher)
            }
        }
    }

    /// Scans the value at `position`, whose path is `node`, and returns the offset just past it.
    private mutating func scanValue(_ event: UnsafeRawBufferPointer, at position: Int, node: Int32,
                                    trie: PathTrie, into matcher: PatternMatcher) throws(EventError) -> Int {
        switch event[position] {
        case UInt8(ascii: "{"):
            guard trie.hasChildren(node) else {
                return try JSONBytes.skipValue(event, from: position, depth: frameNode.count)
            }
            return try walkContainer(event, from: position + 1, node: node, isArray: false, trie: trie, into: matcher)
        case UInt8(ascii: "["):
            return try walkContainer(event, from: position + 1, node: node, isArray: true, trie: trie, into: matcher)
        default:
            return try evaluateScalar(event, at: position, node: node, trie: trie, into: matcher)
        }
    }

    /// Hands the string, number or literal at `position` to the matcher if its path is a field,
    /// and returns the offset just past it.
    @inline(__always)
    private mutating func evaluateScalar(_ event: UnsafeRawBufferPointer, at position: Int, node: Int32,
                                         trie: PathTrie, into matcher: PatternMatcher) throws(EventError) -> Int {
        let field = trie.field(of: node)
        let valueByte = event[position]
        if valueByte == UInt8(ascii: "\"") {
            var escaped = false
            guard let end = JSONString.end(in: event, from: position + 1, escaped: &escaped) else {
                throw EventError("Unterminated string", offset: position)
            }
            if field >= 0 {
                let contents = UnsafeRawBufferPointer(rebasing: event[(position + 1)..<end])
                arrayPath.withUnsafeBufferPointer { path in
                    matcher.evaluateLeaf(field: field, kind: .string(escaped: escaped), bytes: contents, memberships: path)
                }
            }
            return end + 1
        }
        let end = try JSONBytes.scalarEnd(event, from: position)
        if field >= 0 {
            let isNumber = valueByte == UInt8(ascii: "-") || (valueByte >= UInt8(ascii: "0") && valueByte <= UInt8(ascii: "9"))
            let spelling = UnsafeRawBufferPointer(rebasing: event[position..<end])
            arrayPath.withUnsafeBufferPointer { path in
                matcher.evaluateLeaf(field: field, kind: .literal(isNumber: isNumber), bytes: spelling, memberships: path)
            }
        }
        return end
    }

    /// The trie node of `key` below `parent`; an escaped key is looked up by its characters.
    @inline(__always)
    private mutating func childNode(_ trie: PathTrie, of parent: Int32, key: UnsafeRawBufferPointer,
                                    isEscaped: Bool) -> Int32 {
        guard isEscaped else { return trie.child(of: parent, key: key) }
        JSONString.unescape(key, into: &keyScratch)
        return keyScratch.withUnsafeBytes { trie.child(of: parent, key: $0) }
    }

    /// Opens a frame for a container whose path is `node`; an array also gets an id and its
    /// first element index in `arrayPath`.
    private mutating func enter(node: Int32, isArray: Bool, offset: Int) throws(EventError) {
        guard frameNode.count < Self.maximumDepth else {
            throw EventError("The event nests deeper than \(Self.maximumDepth) levels", offset: offset, kind: .tooDeep)
        }
        frameNode.append(node)
        frameIsArray.append(isArray)
        if isArray {
            arrayPath.append(nextArrayID)
            arrayPath.append(0)
            nextArrayID += 1
        }
    }

    private mutating func popFrame() {
        frameNode.removeLast()
        if frameIsArray.removeLast() {
            arrayPath.removeLast(2)
        }
    }
}

/// The string tests of one field — exact, prefix, suffix, wildcard and their ignore-case forms —
/// compiled into one nondeterministic automaton over UTF-8 bytes.
///
/// Why one automaton per field: a value is then checked against every string test of its field
/// in a single pass over its bytes, at the same cost for 1 pattern or 2,000. The automaton is
/// determinized lazily (`LazyDFA`), state set by state set as values need them, so patterns
/// whose subset construction would be large (many suffixes or wildcards) cost only what events
/// actually exercise. Each test has its own start state; the automaton starts in all of them.
///
/// A test's states form a chain from its start (a byte per state, or alternative spellings of one
/// character that join again), with self-loops on every byte where the test has a `*` or an open
/// end. That shape is what `NFASimulator` relies on to keep state sets small (see `rank`).
struct StringAutomaton: Sendable {
    /// A transition on any byte in `lower...upper`.
    struct Edge: Sendable {
        var lower: UInt8
        var upper: UInt8
        var target: Int32
    }

    /// Outgoing edges of each state.
    private(set) var edges: [[Edge]] = []
    /// Tests accepted when the value ends in this state.
    private(set) var accepts: [[Int32]] = []
    /// One start state per test.
    private(set) var starts: [Int32] = []
    /// The test (index into `starts`) each state belongs to.
    private(set) var component: [Int32] = []
    /// Each state's distance from its test's start along the longest path; within a test, every
    /// path to acceptance from a state passes through each loop state ranked above it.
    private(set) var rank: [Int32] = []
    /// Whether the state loops to itself on every byte (a `*`, or the open end of a prefix or suffix).
    private(set) var loops: [Bool] = []

    var isEmpty: Bool { starts.isEmpty }
    var stateCount: Int { edges.count }

    private mutating func newState(rank stateRank: Int32) -> Int32 {
        edges.append([])
        accepts.append([])
        component.append(Int32(starts.count - 1))
        rank.append(stateRank)
        loops.append(false)
        return Int32(edges.count - 1)
    }

    private mutating func addEdge(from: Int32, _ lower: UInt8, _ upper: UInt8, to target: Int32) {
        edges[Int(from)].append(Edge(lower: lower, upper: upper, target: target))
    }

    private mutating func addLoop(on state: Int32) {
        addEdge(from: state, 0, 255, to: state)
        loops[Int(state)] = true
    }

    /// Appends the bytes of `literal` after `state` and returns the state reached.
    private mutating func appendLiteral(_ literal: some Sequence<UInt8>, after state: Int32) -> Int32 {
        var current = state
        for byte in literal {
            let next = newState(rank: rank[Int(current)] + 1)
            addEdge(from: current, byte, byte, to: next)
            current = next
        }
        return current
    }

    /// Appends one character with alternative spellings (each a byte string) after `state`.
    /// The spellings' inner states are ranked between `state` and the joined state after them.
    private mutating func appendAlternatives(_ spellings: [[UInt8]], after state: Int32) -> Int32 {
        let base = rank[Int(state)]
        let joined = newState(rank: base + Int32(spellings.map(\.count).max() ?? 0))
        for spelling in spellings {
            var current = state
            for (offset, byte) in spelling.enumerated() {
                let next = offset == spelling.count - 1 ? joined : newState(rank: base + Int32(offset) + 1)
                addEdge(from: current, byte, byte, to: next)
                current = next
            }
        }
        return joined
    }

    private mutating func appendIgnoringCase(_ text: String, after state: Int32) -> Int32 {
        var current = state
        for spellings in CaseFolding.alternatives(for: text) {
            current = appendAlternatives(spellings, after: current)
        }
        return current
    }

    private mutating func startTest() -> Int32 {
        starts.append(Int32(edges.count))
        return newState(rank: 0)
    }

    /// Adds `matcher` as test `test`. Returns false for matchers that are not string tests.
    mutating func add(_ matcher: ValueMatcher, as test: Int32) -> Bool {
        switch matcher {
        case .exactString(let value):
            let end = appendLiteral(value.utf8, after: startTest())
            accepts[Int(end)].append(test)
        case .prefix(let value):
            let end = appendLiteral(value.utf8, after: startTest())
            addLoop(on: end)
            accepts[Int(end)].append(test)
        case .suffix(let value):
            let start = startTest()
            addLoop(on: start)
            let end = appendLiteral(value.utf8, after: start)
            accepts[Int(end)].append(test)
        case .equalsIgnoreCase(let value):
            let end = appendIgnoringCase(value, after: startTest())
            accepts[Int(end)].append(test)
        case .prefixIgnoreCase(let value):
            let end = appendIgnoringCase(value, after: startTest())
            addLoop(on: end)
            accepts[Int(end)].append(test)
        case .suffixIgnoreCase(let value):
            let start = startTest()
            addLoop(on: start)
            let end = appendIgnoringCase(value, after: start)
            accepts[Int(end)].append(test)
        case .wildcard(let pattern):
            var current = startTest()
            for piece in pattern.pieces {
                switch piece {
                case .literal(let bytes): current = appendLiteral(bytes, after: current)
                case .anything: addLoop(on: current)
                }
            }
            accepts[Int(current)].append(test)
        default:
            return false
        }
        return true
    }

    /// Byte equivalence classes: bytes that every edge treats alike share a class, which keeps
    /// the DFA's transition rows short (typically a few dozen columns instead of 256).
    func byteClasses() -> (classOf: [UInt8], count: Int) {
        var boundary = [Bool](repeating: false, count: 257)
        boundary[0] = true
        for stateEdges in edges {
            for edge in stateEdges {
                boundary[Int(edge.lower)] = true
                boundary[Int(edge.upper) + 1] = true
            }
        }
        var classOf = [UInt8](repeating: 0, count: 256)
        var current = -1
        for byte in 0..<256 {
            if boundary[byte] { current += 1 }
            classOf[byte] = UInt8(current)
        }
        return (classOf, current + 1)
    }
}

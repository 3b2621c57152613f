/// The string tests of one field — exact, prefix, suffix, wildcard and their ignore-case forms —
/// compiled into one nondeterministic automaton over UTF-8 bytes.
///
/// Why one automaton per field: a value is then checked against every string test of its field
/// in a single pass over its bytes, at the same cost for 1 pattern or 2,000. The automaton is
/// determinized lazily (`LazyDFA`), state set by state set as values need them, so patterns
/// whose subset construction would be large (many suffixes or wildcards) cost only what events
/// actually exercise. Each test has its own start state; the automaton starts in all of them.
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

    var isEmpty: Bool { starts.isEmpty }

    private mutating func newState() -> Int32 {
        edges.append([])
        accepts.append([])
        return Int32(edges.count - 1)
    }

    private mutating func addEdge(from: Int32, _ lower: UInt8, _ upper: UInt8, to target: Int32) {
        edges[Int(from)].append(Edge(lower: lower, upper: upper, target: target))
    }

    private mutating func addLoop(on state: Int32) {
        addEdge(from: state, 0, 255, to: state)
    }

    /// Appends the bytes of `literal` after `state` and returns the state reached.
    private mutating func appendLiteral(_ literal: some Sequence<UInt8>, after state: Int32) -> Int32 {
        var current = state
        for byte in literal {
            let next = newState()
            addEdge(from: current, byte, byte, to: next)
            current = next
        }
        return current
    }

    /// Appends one character with alternative spellings (each a byte string) after `state`.
    private mutating func appendAlternatives(_ spellings: [[UInt8]], after state: Int32) -> Int32 {
        let joined = newState()
        for spelling in spellings {
            var current = state
            for (offset, byte) in spelling.enumerated() {
                let next = offset == spelling.count - 1 ? joined : newState()
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
        let start = newState()
        starts.append(start)
        return start
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

/// A deterministic automaton built from a `StringAutomaton` on demand, one state set at a time.
///
/// Owned by one `PatternMatcher` (one thread): its cache grows as events exercise new state
/// sets and is rebuilt from scratch if it ever exceeds `maximumStates`, which bounds memory.
struct LazyDFA {
    static let dead: Int32 = 0
    static let unknown: Int32 = -1
    static let maximumStates = 4096

    private let nfa: StringAutomaton
    private let classOf: [UInt8]
    private let classCount: Int
    /// `transitions[state * classCount + class]`: the next state, or `unknown`.
    private var transitions: [Int32] = []
    /// The NFA states of each DFA state.
    private var stateSets: [[Int32]] = []
    private var stateIndex: [[Int32]: Int32] = [:]
    /// Tests accepted when a value ends in each DFA state.
    private(set) var accepts: [[Int32]] = []
    private(set) var start: Int32 = 0

    init(_ nfa: StringAutomaton) {
        self.nfa = nfa
        (classOf, classCount) = nfa.byteClasses()
        reset()
    }

    private mutating func reset() {
        transitions.removeAll(keepingCapacity: true)
        stateSets.removeAll(keepingCapacity: true)
        stateIndex.removeAll(keepingCapacity: true)
        accepts.removeAll(keepingCapacity: true)
        _ = intern([])  // the dead state is state 0
        start = intern(nfa.starts.sorted())
    }

    private mutating func intern(_ set: [Int32]) -> Int32 {
        if let existing = stateIndex[set] { return existing }
        let id = Int32(stateSets.count)
        stateSets.append(set)
        stateIndex[set] = id
        var accepted: [Int32] = []
        for state in set { accepted.append(contentsOf: nfa.accepts[Int(state)]) }
        accepts.append(Array(Set(accepted)).sorted())
        transitions.append(contentsOf: repeatElement(id == Self.dead ? Self.dead : Self.unknown, count: classCount))
        return id
    }

    /// The state after consuming `bytes` from the start; `dead` once no test can match.
    @inline(__always)
    mutating func run(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        var state = start
        for byte in bytes {
            let byteClass = Int(classOf[Int(byte)])
            var next = transitions[Int(state) * classCount + byteClass]
            if next == Self.unknown {
                next = computeTransition(from: state, byte: byte)
                if next == Self.unknown {
                    // The cache was full and has been emptied; finish this value on the NFA.
                    return simulate(bytes)
                }
            }
            if next == Self.dead { return Self.dead }
            state = next
        }
        return state
    }

    /// Runs the NFA directly, state set by state set, and interns only the final set.
    private mutating func simulate(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        var current = Set(nfa.starts)
        for byte in bytes {
            var next = Set<Int32>()
            for nfaState in current {
                for edge in nfa.edges[Int(nfaState)] where edge.lower <= byte && byte <= edge.upper {
                    next.insert(edge.target)
                }
            }
            if next.isEmpty { return Self.dead }
            current = next
        }
        return intern(current.sorted())
    }

    private mutating func computeTransition(from state: Int32, byte: UInt8) -> Int32 {
        if stateSets.count >= Self.maximumStates {
            reset()
            return Self.unknown
        }
        var targets = Set<Int32>()
        for nfaState in stateSets[Int(state)] {
            for edge in nfa.edges[Int(nfaState)] where edge.lower <= byte && byte <= edge.upper {
                targets.insert(edge.target)
            }
        }
        let next = intern(targets.sorted())
        transitions[Int(state) * classCount + Int(classOf[Int(byte)])] = next
        return next
    }
}

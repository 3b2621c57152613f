/// Runs a `StringAutomaton` directly, one set of NFA states per byte, in memory allocated once.
///
/// Two jobs, one step function: `LazyDFA` uses a step to compute each new DFA state, and when its
/// cache is full it finishes the value here instead of building more states. A step costs
/// O(states in the set + their edges) and allocates nothing: the sets are sparse sets (a dense
/// list plus an index into it, so membership, insertion and clearing are O(1)) sized to the NFA.
///
/// What keeps the sets small is subsumption within a test. A test's states form a chain with
/// self-loops on every byte (see `StringAutomaton`); from a state ranked below a looping state of
/// its own test, every way to acceptance passes through the looping one, and whatever it consumes
/// on the way the loop can consume as well, so the looping state accepts everything it accepts.
/// Each step therefore keeps, per test, only the highest looping state and the states ranked
/// above it. For a wildcard `*l1*l2*…` that is one loop and the partial matches of the literal
/// after it, instead of every loop reached so far: on issue 16's attack (five wildcards of about
/// 680 two-byte literals each) sets stay at a handful of states instead of growing to thousands.
/// It is an exact rewrite: the accepted tests of a set never change, only its redundant members go.
struct NFASimulator {
    private let nfa: StringAutomaton
    /// Every state's edges, flattened: those of state `s` are `edges[edgeStart[s]..<edgeStart[s + 1]]`.
    private let edgeStart: [Int32]
    private let edges: [StringAutomaton.Edge]

    /// The current set: `members[0..<count]`, and `position[s]` is where `s` sits in it if it does.
    private var members: [Int32]
    private var position: [Int32]
    private(set) var count = 0
    /// The set being built by a step, then swapped with the current one.
    private var nextMembers: [Int32]
    private var nextPosition: [Int32]

    /// Per test, the highest rank of a looping state in the set being pruned, valid where
    /// `loopStamp` equals `generation`.
    private var highestLoop: [Int32]
    private var loopStamp: [UInt32]
    private var generation: UInt32 = 0

    init(_ nfa: StringAutomaton) {
        self.nfa = nfa
        var edgeStart: [Int32] = [0]
        var edges: [StringAutomaton.Edge] = []
        edgeStart.reserveCapacity(nfa.stateCount + 1)
        for stateEdges in nfa.edges {
            edges.append(contentsOf: stateEdges)
            edgeStart.append(Int32(edges.count))
        }
        self.edgeStart = edgeStart
        self.edges = edges
        members = Array(repeating: 0, count: nfa.stateCount)
        position = Array(repeating: 0, count: nfa.stateCount)
        nextMembers = members
        nextPosition = position
        highestLoop = Array(repeating: 0, count: nfa.starts.count)
        loopStamp = Array(repeating: 0, count: nfa.starts.count)
    }

    /// The states of the current set, in no particular order.
    var states: ArraySlice<Int32> { members[0..<count] }

    /// Makes `states` (distinct, already pruned, e.g. a DFA state's set) the current set.
    mutating func load(_ states: [Int32]) {
        count = 0
        for state in states {
            members[count] = state
            position[Int(state)] = Int32(count)
            count += 1
        }
    }

    /// Moves the current set over one byte and prunes it. False when it is empty: no test can match.
    mutating func step(_ byte: UInt8) -> Bool {
        var nextCount = 0
        edges.withUnsafeBufferPointer { edges in
            edgeStart.withUnsafeBufferPointer { edgeStart in
                nextMembers.withUnsafeMutableBufferPointer { nextMembers in
                    nextPosition.withUnsafeMutableBufferPointer { nextPosition in
                        for index in 0..<count {
                            let state = Int(members[index])
                            for edge in edges[Int(edgeStart[state])..<Int(edgeStart[state + 1])]
                            where edge.lower <= byte && byte <= edge.upper {
                                let target = Int(edge.target)
                                let at = Int(nextPosition[target])
                                if at < nextCount && nextMembers[at] == edge.target { continue }
                                nextPosition[target] = Int32(nextCount)
                                nextMembers[nextCount] = edge.target
                                nextCount += 1
                            }
                        }
                    }
                }
            }
        }
        swap(&members, &nextMembers)
        swap(&position, &nextPosition)
        count = nextCount
        prune()
        return count > 0
    }

    /// Drops, per test, the states ranked below its highest looping state (see the type's comment).
    private mutating func prune() {
        generation &+= 1
        if generation == 0 {
            // Wrapped after 2³² steps: stamps from long ago could read as current.
            for index in loopStamp.indices { loopStamp[index] = 0 }
            generation = 1
        }
        var anyLoop = false
        for index in 0..<count {
            let state = Int(members[index])
            guard nfa.loops[state] else { continue }
            let test = Int(nfa.component[state])
            if loopStamp[test] != generation || nfa.rank[state] > highestLoop[test] {
                loopStamp[test] = generation
                highestLoop[test] = nfa.rank[state]
                anyLoop = true
            }
        }
        guard anyLoop else { return }
        var kept = 0
        for index in 0..<count {
            let state = members[index]
            let test = Int(nfa.component[Int(state)])
            if loopStamp[test] == generation && nfa.rank[Int(state)] < highestLoop[test] { continue }
            members[kept] = state
            position[Int(state)] = Int32(kept)
            kept += 1
        }
        count = kept
    }

    /// The tests accepted when a value ends in the current set, sorted, each once, into `tests`.
    func acceptedTests(into tests: inout [Int32]) {
        tests.removeAll(keepingCapacity: true)
        for index in 0..<count {
            tests.append(contentsOf: nfa.accepts[Int(members[index])])
        }
        guard tests.count > 1 else { return }
        tests.sort()
        var kept = 1
        for index in 1..<tests.count where tests[index] != tests[kept - 1] {
            tests[kept] = tests[index]
            kept += 1
        }
        tests.removeSubrange(kept...)
    }

    /// The pruned set of the tests' start states, sorted.
    mutating func startSet() -> [Int32] {
        load(nfa.starts)
        prune()
        return states.sorted()
    }
}

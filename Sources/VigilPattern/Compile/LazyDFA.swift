/// A deterministic automaton built from a `StringAutomaton` on demand, one state set at a time.
///
/// Owned by one `PatternMatcher` (one thread). Its cache grows as values exercise new state sets,
/// up to `capacity` (`maximumStates`), which bounds its memory. A value that needs a new state when the cache is
/// full is finished on the NFA (`NFASimulator`) from the set it had reached, and the cache is
/// emptied before the next value, so normal values that follow rebuild their few states and run at
/// full speed again. Each byte therefore costs one table lookup, or one step over a state set
/// (building a DFA state, or simulating): bounded in time per byte and in memory, whatever the
/// patterns and values.
///
/// Before this bound (issue 16) a full cache was emptied in the middle of a value and the value
/// simulated from its first byte on unpruned sets allocated per byte: five wildcards at
/// EventBridge's pattern size limit against three 100 KB user agents took over a minute.
struct LazyDFA {
    static let dead: Int32 = 0
    static let unknown: Int32 = -1
    /// What `run` returns for a value finished on the NFA; its tests are `acceptedTests(simulated)`.
    static let simulated: Int32 = -2
    /// The cache's size in production: 4,096 states of (typically) a few dozen byte classes.
    static let maximumStates = 4096

    /// The most DFA states cached at once (`maximumStates`, smaller in tests of the fallback).
    let capacity: Int
    private let nfa: StringAutomaton
    private let classOf: [UInt8]
    private let classCount: Int
    /// `transitions[state * classCount + class]`: the next state, or `unknown`.
    private var transitions: [Int32] = []
    /// The NFA states of each DFA state, pruned and sorted.
    private var stateSets: [[Int32]] = []
    private var stateIndex: [[Int32]: Int32] = [:]
    /// Tests accepted when a value ends in each DFA state.
    private var accepts: [[Int32]] = []
    private(set) var start: Int32 = 0
    /// Steps state sets, for new DFA states and for values finished on the NFA.
    private var simulator: NFASimulator
    /// The tests accepted by the last value finished on the NFA.
    private var simulatedAccepts: [Int32] = []

    /// DFA states in the cache now.
    var cachedStates: Int { stateSets.count }

    init(_ nfa: StringAutomaton, capacity: Int = LazyDFA.maximumStates) {
        self.nfa = nfa
        self.capacity = capacity
        (classOf, classCount) = nfa.byteClasses()
        simulator = NFASimulator(nfa)
        reset()
    }

    private mutating func reset() {
        transitions.removeAll(keepingCapacity: true)
        stateSets.removeAll(keepingCapacity: true)
        stateIndex.removeAll(keepingCapacity: true)
        accepts.removeAll(keepingCapacity: true)
        _ = intern([])  // the dead state is state 0
        start = intern(simulator.startSet())
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

    /// The tests accepted by a value that ended in `state` (a state `run` returned, not `dead`).
    @inline(__always)
    func acceptedTests(_ state: Int32) -> [Int32] {
        state == Self.simulated ? simulatedAccepts : accepts[Int(state)]
    }

    /// The state after consuming `bytes` from the start: `dead` once no test can match, or
    /// `simulated` if the value was finished on the NFA.
    @inline(__always)
    mutating func run(_ bytes: UnsafeRawBufferPointer) -> Int32 {
        if stateSets.count >= capacity {
            // The last value filled the cache; start afresh rather than simulate every value from now on.
            reset()
        }
        var state = start
        for index in bytes.indices {
            let byte = bytes[index]
            let byteClass = Int(classOf[Int(byte)])
            var next = transitions[Int(state) * classCount + byteClass]
            if next == Self.unknown {
                next = computeTransition(from: state, byte: byte)
                if next == Self.unknown {
                    return simulate(UnsafeRawBufferPointer(rebasing: bytes[index...]), from: state)
                }
            }
            if next == Self.dead { return Self.dead }
            state = next
        }
        return state
    }

    /// Finishes a value on the NFA from the set of DFA state `state`.
    private mutating func simulate(_ rest: UnsafeRawBufferPointer, from state: Int32) -> Int32 {
        simulator.load(stateSets[Int(state)])
        for byte in rest where !simulator.step(byte) {
            return Self.dead
        }
        simulator.acceptedTests(into: &simulatedAccepts)
        return Self.simulated
    }

    /// The DFA state after `byte` from `state`, added to the cache; `unknown` if the cache is full.
    private mutating func computeTransition(from state: Int32, byte: UInt8) -> Int32 {
        simulator.load(stateSets[Int(state)])
        _ = simulator.step(byte)
        let targets = simulator.states.sorted()
        if let existing = stateIndex[targets] {
            transitions[Int(state) * classCount + Int(classOf[Int(byte)])] = existing
            return existing
        }
        if stateSets.count >= capacity { return Self.unknown }
        let next = intern(targets)
        transitions[Int(state) * classCount + Int(classOf[Int(byte)])] = next
        return next
    }
}

import Foundation
import Testing
import VigilJSON
@testable import VigilPattern

/// The lazy DFA of a field's string tests: bounded in states and in time per byte (issue 16), and
/// exact whichever way a value is run (cached DFA, new DFA states, or finished on the NFA).
@Suite struct LazyDFATests {
    // MARK: - Issue 16's attack

    /// Five wildcards at EventBridge's size limit against a 30 KB user agent. Before the bound a
    /// full cache was emptied mid-value and the value simulated from its first byte on unpruned
    /// sets allocated per byte: this test took 193 s in a debug build (and the release binary
    /// took over 480 s on three 100 KB values); now about 0.8 s in a debug build. The limit leaves
    /// room for a slow, loaded machine.
    @Test func fiveWildcardsAgainstALongValueFinishInBoundedTime() throws {
        let patterns = try WildcardAttack.operands(count: 5, seed: 16).enumerated().map {
            (name: "attack\($0.offset)", pattern: try EventPattern(json: WildcardAttack.pattern(operand: $0.element)))
        }
        let matcher = CompiledPatternSet(patterns).makeMatcher()
        let event = WildcardAttack.event(valueLength: 30 * 1024, seed: 17)
        let started = ContinuousClock.now
        let matched = try matcher.match(event)
        let elapsed = ContinuousClock.now - started
        #expect(elapsed < .seconds(10), "took \(elapsed)")
        // Random text over the literals' letters is long enough to meet every pattern.
        #expect(matched.sorted() == [0, 1, 2, 3, 4])
        let automaton = try #require(matcher.automata.compactMap { $0 }.first)
        #expect(automaton.cachedStates <= LazyDFA.maximumStates)
    }

    /// A value that filled the cache leaves it to be emptied, so that the next value builds its
    /// states afresh instead of finishing on the NFA forever.
    @Test func theCacheIsEmptiedAfterAValueFillsIt() throws {
        var nfa = StringAutomaton()
        for (index, operand) in WildcardAttack.operands(count: 5, seed: 16).enumerated() {
            _ = nfa.add(.wildcard(try WildcardPattern(operand)), as: Int32(index))
        }
        var dfa = LazyDFA(nfa)
        let attack = WildcardAttack.event(valueLength: 50_000, seed: 17)
        _ = attack.withUnsafeBytes { dfa.run($0) }
        #expect(dfa.cachedStates == LazyDFA.maximumStates)
        _ = Array("abcd".utf8).withUnsafeBytes { dfa.run($0) }
        #expect(dfa.cachedStates < 10)
    }

    // MARK: - Differential: every way of running a value agrees

    /// Random string tests of every kind on one field, random values, and four runs of each value:
    /// the DFA with a cache that never fills, with caches so small that values are finished on the
    /// NFA (from their first byte, or part way), and a plain subset simulation of the NFA that
    /// knows nothing of pruning. Wildcards are also checked against `WildcardPattern.matches`.
    @Test func fallbackAgreesWithTheDFAAndTheNFA() throws {
        var random = SplitMix64(seed: 0x16_D1FF)
        var checked = 0
        var finishedOnNFA = 0
        for _ in 0..<100 {
            var nfa = StringAutomaton()
            var matchers: [ValueMatcher] = []
            for index in 0..<(1 + random.below(6)) {
                let matcher = try Self.randomMatcher(&random)
                matchers.append(matcher)
                _ = nfa.add(matcher, as: Int32(index))
            }
            var unbounded = LazyDFA(nfa, capacity: .max)
            var smallest = LazyDFA(nfa, capacity: 2)  // the dead and start states: every step simulates
            var small = LazyDFA(nfa, capacity: 3 + random.below(12))
            for _ in 0..<30 {
                let value = Self.randomValue(&random)
                let expected = Self.subsetSimulation(nfa, value)
                for dfa in [0, 1, 2] {
                    let (accepted, simulated) = value.withUnsafeBytes { bytes in
                        switch dfa {
                        case 0: Self.accepted(&unbounded, bytes)
                        case 1: Self.accepted(&smallest, bytes)
                        default: Self.accepted(&small, bytes)
                        }
                    }
                    #expect(accepted == expected, "DFA \(dfa): \(matchers) on \(Array(value))")
                    if simulated { finishedOnNFA += 1 }
                }
                for (index, matcher) in matchers.enumerated() {
                    guard case .wildcard(let pattern) = matcher else { continue }
                    #expect(pattern.matches(value) == expected.contains(Int32(index)), "\(pattern) on \(Array(value))")
                }
                checked += 1
            }
        }
        #expect(checked == 3_000)
        // The fallback really ran, for a good share of the values.
        #expect(finishedOnNFA > checked / 3, "\(finishedOnNFA) of \(checked * 3) runs finished on the NFA")
    }

    private static func accepted(_ dfa: inout LazyDFA, _ bytes: UnsafeRawBufferPointer) -> ([Int32], Bool) {
        let state = dfa.run(bytes)
        return (state == LazyDFA.dead ? [] : dfa.acceptedTests(state), state == LazyDFA.simulated)
    }

    /// The tests `value` ends in, by the textbook subset simulation of the NFA (no pruning).
    private static func subsetSimulation(_ nfa: StringAutomaton, _ value: [UInt8]) -> [Int32] {
        var current = Set(nfa.starts)
        for byte in value {
            var next = Set<Int32>()
            for state in current {
                for edge in nfa.edges[Int(state)] where edge.lower <= byte && byte <= edge.upper {
                    next.insert(edge.target)
                }
            }
            current = next
        }
        return Array(Set(current.flatMap { nfa.accepts[Int($0)] })).sorted()
    }

    /// Letters in both cases, the pattern syntax's own characters, and characters whose case
    /// mappings change length or leave ASCII (ß, K, the Kelvin sign, é).
    private static let pieces = ["a", "b", "A", "B", "k", "K", "*", "\\", "ß", "é", "\u{212A}", "ab", "ba", "aa"]

    private static func randomText(_ random: inout SplitMix64, maximumPieces: Int) -> String {
        (0..<random.below(maximumPieces + 1)).map { _ in random.pick(pieces) }.joined()
    }

    private static func randomValue(_ random: inout SplitMix64) -> [UInt8] {
        Array(randomText(&random, maximumPieces: random.chance(0.1) ? 60 : 12).utf8)
    }

    private static func randomMatcher(_ random: inout SplitMix64) throws -> ValueMatcher {
        let text = randomText(&random, maximumPieces: 4)
        switch random.below(10) {
        case 0: return .exactString(text)
        case 1: return .prefix(text)
        case 2: return .suffix(text)
        case 3: return .equalsIgnoreCase(text)
        case 4: return .prefixIgnoreCase(text)
        case 5: return .suffixIgnoreCase(text)
        default:
            // Literals joined by single `*`s, each `*` and `\` in a literal escaped.
            var source = random.chance(0.5) ? "*" : ""
            for index in 0..<(1 + random.below(4)) {
                if index > 0 { source += "*" }
                let literal = randomText(&random, maximumPieces: 3)
                source += literal.isEmpty ? "a" : literal.replacingOccurrences(of: "\\", with: "\\\\")
                    .replacingOccurrences(of: "*", with: "\\*")
            }
            if random.chance(0.5) { source += "*" }
            return .wildcard(try WildcardPattern(source))
        }
    }
}

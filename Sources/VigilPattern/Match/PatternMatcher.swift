/// Matches events against a `CompiledPatternSet`; one per thread.
///
/// A matcher owns all per-event working memory (leaf records, counters, the lazily built DFAs of
/// the fields), reused from event to event, so matching allocates nothing once warmed up. Counters
/// are reset in O(1) per event by stamping them with an event number instead of clearing them.
///
/// How an event is matched:
/// 1. `EventScanner` walks the JSON bytes once, descending only into keys that some pattern
///    names, and hands each leaf value of a named field to `evaluateLeaf`.
/// 2. `evaluateLeaf` runs the field's tests on the value and, for every test met, marks the
///    clauses using it; a branch whose required clauses are all marked becomes a candidate.
/// 3. Candidates that need it are verified (`MatchVerification`): array consistency and
///    `exists: false`. The patterns of the branches that pass are the result.
public final class PatternMatcher {
    public let patternSet: CompiledPatternSet

    /// Lazily determinized string automata, by field (nil where a field has no string test).
    var automata: [LazyDFA?]

    /// The current event's number; a stamp equal to it means "set during this event".
    var epoch: UInt32 = 0
    var clauseStamp: [UInt32]
    var branchStamp: [UInt32]
    var branchMetCount: [Int32]
    var patternStamp: [UInt32]
    var candidates: [Int32] = []
    /// Indices of the patterns the last event matched, in the order found.
    public private(set) var matched: [Int32] = []

    /// A stamp per test meaning "met by the current leaf"; leaves are numbered across events.
    var testLeafStamp: [UInt32]
    var leafNumber: UInt32 = 0

    // Leaves of the current event, for verification.
    var leafField: [Int32] = []
    var leafMembershipStart: [Int32] = []
    var leafMembershipEnd: [Int32] = []
    var leafHitStart: [Int32] = []
    var leafHitEnd: [Int32] = []
    /// Tests met by each leaf, in runs given by `leafHitStart`/`leafHitEnd`.
    var hits: [Int32] = []
    /// Array memberships of each leaf: (array id, element index) pairs.
    var membershipArray: [Int32] = []
    var membershipIndex: [Int32] = []

    /// The scanner's state, kept here so that its buffers are reused.
    var scanner = EventScanner()
    /// Room to unescape strings that contain backslashes.
    var unescaped: [UInt8] = []

    init(_ patternSet: CompiledPatternSet) {
        self.patternSet = patternSet
        automata = patternSet.fields.map { $0.automaton.isEmpty ? nil : LazyDFA($0.automaton) }
        clauseStamp = Array(repeating: 0, count: patternSet.clauseBranch.count)
        branchStamp = Array(repeating: 0, count: patternSet.branchPattern.count)
        branchMetCount = Array(repeating: 0, count: patternSet.branchPattern.count)
        patternStamp = Array(repeating: 0, count: patternSet.names.count)
        testLeafStamp = Array(repeating: 0, count: patternSet.testCount)
    }

    /// Matches one event (a JSON object) and returns the indices of the patterns it matches.
    ///
    /// The array is the matcher's own `matched`; it is overwritten by the next call.
    @discardableResult
    public func match(_ event: UnsafeRawBufferPointer) throws(EventError) -> [Int32] {
        beginEvent()
        try scanner.scan(event, into: self)
        return finishEvent()
    }

    /// Matches one event given as bytes.
    @discardableResult
    public func match(_ event: [UInt8]) throws(EventError) -> [Int32] {
        var outcome: Result<[Int32], EventError> = .success([])
        event.withUnsafeBytes { bytes in
            do throws(EventError) { outcome = .success(try match(bytes)) } catch { outcome = .failure(error) }
        }
        return try outcome.get()
    }

    /// Whether pattern `index` matches the last event.
    public func matchedPattern(_ index: Int) -> Bool {
        patternStamp[index] == epoch
    }

    // MARK: - Event lifecycle

    func beginEvent() {
        epoch &+= 1
        if epoch == 0 {
            // After 2^32 events the stamps wrap; clear them once so old stamps cannot collide.
            for index in clauseStamp.indices { clauseStamp[index] = 0 }
            for index in branchStamp.indices { branchStamp[index] = 0 }
            for index in patternStamp.indices { patternStamp[index] = 0 }
            epoch = 1
        }
        candidates.removeAll(keepingCapacity: true)
        matched.removeAll(keepingCapacity: true)
        leafField.removeAll(keepingCapacity: true)
        leafMembershipStart.removeAll(keepingCapacity: true)
        leafMembershipEnd.removeAll(keepingCapacity: true)
        leafHitStart.removeAll(keepingCapacity: true)
        leafHitEnd.removeAll(keepingCapacity: true)
        hits.removeAll(keepingCapacity: true)
        membershipArray.removeAll(keepingCapacity: true)
        membershipIndex.removeAll(keepingCapacity: true)
    }

    func finishEvent() -> [Int32] {
        let set = patternSet
        for branch in set.alwaysCheckedBranches { candidates.append(branch) }
        for branch in candidates {
            let pattern = Int(set.branchPattern[Int(branch)])
            if patternStamp[pattern] == epoch { continue }
            if !set.branchNeedsVerification[Int(branch)] || verify(branch: branch) {
                patternStamp[pattern] = epoch
                matched.append(Int32(pattern))
            }
        }
        return matched
    }

    // MARK: - Leaves

    /// The kind of a leaf value, as the scanner found it.
    enum LeafKind {
        /// A string; the bytes are its contents without quotes, still escaped if `escaped`.
        case string(escaped: Bool)
        /// A number, `true`, `false` or `null`; the bytes are its spelling.
        case literal(isNumber: Bool)
    }

    /// Runs the tests of `field` on one leaf value and records what it meets.
    ///
    /// `memberships` are the (array id, index) pairs of the arrays enclosing the leaf, flattened.
    @inline(__always)
    func evaluateLeaf(field fieldIndex: Int32, kind: LeafKind, bytes: UnsafeRawBufferPointer,
                      memberships: UnsafeBufferPointer<Int32>) {
        leafNumber &+= 1
        if leafNumber == 0 {
            for index in testLeafStamp.indices { testLeafStamp[index] = 0 }
            leafNumber = 1
        }
        let stamp = leafNumber
        let hitStart = hits.count
        let field = patternSet.fields[Int(fieldIndex)]

        if field.existsTest >= 0 { hit(field.existsTest, stamp) }
        switch kind {
        case .string(let escaped):
            if escaped {
                JSONString.unescape(bytes, into: &unescaped)
                unescaped.withUnsafeBytes { evaluateString($0, field: field, fieldIndex: fieldIndex, stamp: stamp) }
            } else {
                evaluateString(bytes, field: field, fieldIndex: fieldIndex, stamp: stamp)
            }
        case .literal(let isNumber):
            for literal in field.literals where literal.bytes.count == bytes.count {
                if literal.bytes.withUnsafeBytes({ memcmp($0.baseAddress!, bytes.baseAddress!, bytes.count) == 0 }) {
                    hit(literal.test, stamp)
                }
            }
            if isNumber && field.needsNumericValue, let value = ComparableNumber.value(of: bytes) {
                if let tests = field.numericEquals[value] {
                    for test in tests { hit(test, stamp) }
                }
                for entry in field.numericRanges where entry.range.contains(value) {
                    hit(entry.test, stamp)
                }
            }
        }
        for negation in field.negations {
            var excluded = false
            for test in negation.excluded where testLeafStamp[Int(test)] == stamp {
                excluded = true
                break
            }
            if !excluded { hit(negation.test, stamp) }
        }

        // Every leaf is recorded, met tests or not: `exists: false` must see that the field is there.
        let hitEnd = hits.count
        recordLeaf(field: fieldIndex, hitStart: hitStart, hitEnd: hitEnd, memberships: memberships)
        if hitEnd > hitStart { markClauses(hitStart: hitStart, hitEnd: hitEnd) }
    }

    @inline(__always)
    private func evaluateString(_ value: UnsafeRawBufferPointer, field: CompiledField, fieldIndex: Int32,
                                stamp: UInt32) {
        if automata[Int(fieldIndex)] != nil {
            let state = automata[Int(fieldIndex)]!.run(value)
            if state != LazyDFA.dead {
                for test in automata[Int(fieldIndex)]!.accepts[Int(state)] { hit(test, stamp) }
            }
        }
        if !field.ipRanges.isEmpty, let address = IPAddress.parse(value) {
            for entry in field.ipRanges where entry.range.contains(address) {
                hit(entry.test, stamp)
            }
        }
    }

    @inline(__always)
    private func hit(_ test: Int32, _ stamp: UInt32) {
        testLeafStamp[Int(test)] = stamp
        hits.append(test)
    }

    private func recordLeaf(field: Int32, hitStart: Int, hitEnd: Int, memberships: UnsafeBufferPointer<Int32>) {
        leafField.append(field)
        leafHitStart.append(Int32(hitStart))
        leafHitEnd.append(Int32(hitEnd))
        leafMembershipStart.append(Int32(membershipArray.count))
        var index = 0
        while index + 1 < memberships.count {
            membershipArray.append(memberships[index])
            membershipIndex.append(memberships[index + 1])
            index += 2
        }
        leafMembershipEnd.append(Int32(membershipArray.count))
    }

    /// Marks the clauses that the tests in `hits[hitStart..<hitEnd]` satisfy, and counts branches.
    @inline(__always)
    private func markClauses(hitStart: Int, hitEnd: Int) {
        let set = patternSet
        for position in hitStart..<hitEnd {
            let test = Int(hits[position])
            let start = Int(set.testClauseStart[test])
            let end = Int(set.testClauseStart[test + 1])
            var index = start
            while index < end {
                let clause = Int(set.testClauses[index])
                index += 1
                if clauseStamp[clause] == epoch { continue }
                clauseStamp[clause] = epoch
                if set.clauseAllowsAbsence[clause] { continue }
                let branch = Int(set.clauseBranch[clause])
                if branchStamp[branch] != epoch {
                    branchStamp[branch] = epoch
                    branchMetCount[branch] = 0
                }
                branchMetCount[branch] += 1
                if branchMetCount[branch] == set.branchRequiredCount[branch] {
                    candidates.append(Int32(branch))
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

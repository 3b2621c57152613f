import VigilJSON

/// Matches events against a `CompiledPatternSet`; one per thread.
///
/// A matcher owns all per-event working memory (leaf records, counters, the lazily built DFAs of
/// the fields), reused from event to event, so matching allocates nothing once warmed up. Counters
/// are reset in O(1) per event by stamping them with an event number instead of clearing them.
///
/// How an event is matched:
/// 1. `EventScanner` walks the JSON bytes once, descending only into keys that some pattern
///    names, and hands each leaf value of a named field to `evaluateLeaf`.
/// 2. `evaluateLeaf` runs the field's tests on the value (or takes the tests a short value met
///    before from `leafCache`) and records each test met. After the scan, a branch is looked at
///    only if a test of its trigger clause was met; it becomes a candidate when all its required
///    clauses were met (or the candidates come from `candidateMemo`, for tests met before).
/// 3. Candidates that need it are verified (`MatchVerification`): array consistency and
///    `exists: false`. The patterns of the branches that pass are the result.
public final class PatternMatcher {
    public let patternSet: CompiledPatternSet
    /// The set's fields, copied for this matcher alone (`CompiledField.unsharedCopy`), and read
    /// through `fieldReferences` without retaining them; the trie, read without retaining it too.
    /// `fields` and `patternSet` keep them alive for the matcher's whole life. Every matcher of a
    /// run shared the fields, so the retains and releases of a leaf's tables (several per flow
    /// field) were atomic operations on cache lines the other threads were touching too: on a
    /// flow log spread over two helpers, the costliest thing matching did (perf).
    let fields: [CompiledField]
    let fieldReferences: [Unmanaged<CompiledField>]
    let trieReference: Unmanaged<PathTrie>

    /// Lazily determinized string automata, by field (nil where a field has no string test).
    var automata: [LazyDFA?]
    /// The tests short leaf values met, to skip the tests when a value comes again.
    let leafCache: LeafValueCache
    /// The candidate branches each sequence of tests met made, to skip the branch walk when an
    /// event meets the same tests as one before.
    let candidateMemo: CandidateMemo

    /// The current event's number; a stamp equal to it means "set during this event".
    var epoch: UInt32 = 0
    /// Stamped when some leaf of the current event meets the test.
    var testEventStamp: WorkingBuffer<UInt32>
    /// The tests met in the current event, each once.
    var eventTests = WorkingBuffer<Int32>()
    var branchStamp: WorkingBuffer<UInt32>
    var patternStamp: WorkingBuffer<UInt32>
    /// Stamped when a field has at least one leaf in the current event.
    var fieldLeafStamp: WorkingBuffer<UInt32>
    /// Working memory of the array-consistency search.
    var branchWalk = BranchWalk(tracksDeepest: false)
    var candidates = WorkingBuffer<Int32>()
    /// Indices of the patterns the last event matched, in the order found.
    public private(set) var matched: [Int32] = []

    /// A stamp per test meaning "met by the current leaf"; leaves are numbered across events.
    var testLeafStamp: WorkingBuffer<UInt32>
    var leafNumber: UInt32 = 0

    /// One leaf of the current event, for verification.
    struct Leaf {
        let field: Int32
        /// Its tests, `hits[hitStart..<hitEnd]`.
        let hitStart: Int32
        let hitEnd: Int32
        /// Its arrays, `membershipArray[membershipStart..<membershipEnd]` and `membershipIndex`.
        let membershipStart: Int32
        let membershipEnd: Int32
    }

    /// The leaves of the current event, in the order scanned: one buffer, so that recording a
    /// leaf is one append (five parallel arrays cost five, each with its uniqueness check: 4 %
    /// of the instructions of a 20-rule flow log replay).
    var leaves = WorkingBuffer<Leaf>()
    /// Tests met by each leaf, in runs given by `Leaf.hitStart`/`hitEnd`.
    var hits = WorkingBuffer<Int32>()
    /// Array memberships of each leaf: (array id, element index) pairs.
    var membershipArray = WorkingBuffer<Int32>()
    var membershipIndex = WorkingBuffer<Int32>()

    /// The scanner's state, kept here so that its buffers are reused.
    var scanner = EventScanner()
    /// Room to unescape strings that contain backslashes.
    var unescaped: [UInt8] = []
    /// The plan of `mayMatch(withValuesStillToComeUnder:)` for the key last asked about (one key
    /// in practice: an envelope's `detail`), built at the first question.
    var pendingKeyPlan: PendingKeyPlan?

    /// - Parameters:
    ///   - leafCacheSlots: the size of `leafCache` (a power of two; 0 turns it off), for tests
    ///     that make its slots collide or compare against matching without it.
    ///   - candidateMemoSlots: the size of `candidateMemo`, likewise.
    init(_ patternSet: CompiledPatternSet, leafCacheSlots: Int = LeafValueCache.standardSlotCount,
         candidateMemoSlots: Int = CandidateMemo.standardSlotCount) {
        self.patternSet = patternSet
        leafCache = LeafValueCache(slotCount: leafCacheSlots)
        candidateMemo = CandidateMemo(slotCount: candidateMemoSlots)
        fields = patternSet.fields.map { $0.unsharedCopy() }
        fieldReferences = fields.map { Unmanaged.passUnretained($0) }
        trieReference = Unmanaged.passUnretained(patternSet.trie)
        automata = patternSet.fields.map { $0.automaton.isEmpty ? nil : LazyDFA($0.automaton) }
        testEventStamp = WorkingBuffer(repeating: 0, count: patternSet.testCount)
        branchStamp = WorkingBuffer(repeating: 0, count: patternSet.branchPattern.count)
        patternStamp = WorkingBuffer(repeating: 0, count: patternSet.names.count)
        fieldLeafStamp = WorkingBuffer(repeating: 0, count: patternSet.fields.count)
        testLeafStamp = WorkingBuffer(repeating: 0, count: patternSet.testCount)
    }

    /// Matches one event (a JSON object) and returns the indices of the patterns it matches.
    ///
    /// The array is the matcher's own `matched`; it is overwritten by the next call. `members`:
    /// where the event's top-level members lie, when it was validated into an index.
    @discardableResult
    public func match(_ event: UnsafeRawBufferPointer, members: ObjectMemberIndex? = nil) throws(EventError) -> [Int32] {
        beginEvent()
        try scanner.scan(event, into: self, members: members)
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
        scanner.beginEvent()
        epoch &+= 1
        if epoch == 0 {
            // After 2^32 events the stamps wrap; clear them once so old stamps cannot collide.
            testEventStamp.fill(with: 0)
            branchStamp.fill(with: 0)
            patternStamp.fill(with: 0)
            fieldLeafStamp.fill(with: 0)
            epoch = 1
        }
        candidates.removeAll()
        eventTests.removeAll()
        if !matched.isEmpty { matched.removeAll(keepingCapacity: true) }
        leaves.removeAll()
        hits.removeAll()
        membershipArray.removeAll()
        membershipIndex.removeAll()
    }

    func finishEvent() -> [Int32] {
        let set = patternSet
        // Branches whose trigger clause was met, and those without a required clause.
        let tests = eventTests.elements
        if let slot = candidateMemo.slot(for: tests) {
            if let known = candidateMemo.candidates(in: slot, for: tests) {
                candidates.append(contentsOf: known)
            } else {
                addTriggeredCandidates(tests)
                candidateMemo.remember(slot, tests: tests, candidates: candidates.elements)
            }
        } else {
            addTriggeredCandidates(tests)
        }
        for branch in set.alwaysCheckedBranches { candidates.append(branch) }
        for branch in candidates.elements {
            let pattern = Int(set.branchPattern[Int(branch)])
            if patternStamp[pattern] == epoch { continue }
            if !set.branchNeedsVerification[Int(branch)] || verify(branch: branch) {
                patternStamp[pattern] = epoch
                matched.append(Int32(pattern))
            }
        }
        return matched
    }

    /// Appends to `candidates` each branch triggered by one of `tests` (the tests met, in the order
    /// met) whose required clauses were all met, in the order found.
    private func addTriggeredCandidates(_ tests: UnsafeBufferPointer<Int32>) {
        let set = patternSet
        for test in tests {
            let start = Int(set.testTriggerStart[Int(test)])
            let end = Int(set.testTriggerStart[Int(test) + 1])
            for position in start..<end {
                let branch = Int(set.testTriggeredBranches[position])
                if branchStamp[branch] == epoch { continue }
                branchStamp[branch] = epoch
                if requiredClausesMet(branch: branch) { candidates.append(Int32(branch)) }
            }
        }
    }

    // MARK: - Leaves

    /// The kind of a leaf value, as the scanner found it.
    enum LeafKind {
        /// A string; the bytes are its contents without quotes, still escaped if `escaped`.
        case string(escaped: Bool)
        /// A number, `true`, `false` or `null`; the bytes are its spelling.
        case literal(isNumber: Bool)

        /// The kind as a small number, for `leafCache`: the same bytes meet other tests as another kind.
        var code: UInt8 {
            switch self {
            case .string(let escaped): escaped ? 1 : 0
            case .literal(let isNumber): isNumber ? 3 : 2
            }
        }
    }

    /// Runs the tests of `field` on one leaf value and records what it meets.
    ///
    /// `memberships` are the (array id, index) pairs of the arrays enclosing the leaf, flattened.
    @inline(__always)
    func evaluateLeaf(field fieldIndex: Int32, kind: LeafKind, bytes: UnsafeRawBufferPointer,
                      memberships: UnsafeBufferPointer<Int32>) {
        let hitStart = hits.count
        let kindCode = kind.code
        if let slot = leafCache.slot(field: fieldIndex, kind: kindCode, value: bytes) {
            if let known = leafCache.hits(in: slot, field: fieldIndex, kind: kindCode, value: bytes) {
                hits.append(contentsOf: known)
            } else {
                runTests(field: fieldIndex, kind: kind, bytes: bytes)
                leafCache.remember(slot, field: fieldIndex, kind: kindCode, value: bytes,
                                   hits: UnsafeBufferPointer(rebasing: hits.elements[hitStart...]))
            }
        } else {
            runTests(field: fieldIndex, kind: kind, bytes: bytes)
        }

        // Every leaf is recorded, met tests or not: `exists: false` must see that the field is there.
        let hitEnd = hits.count
        recordLeaf(field: fieldIndex, hitStart: hitStart, hitEnd: hitEnd, memberships: memberships)
        for position in hitStart..<hitEnd {
            let test = Int(hits[position])
            if testEventStamp[test] != epoch {
                testEventStamp[test] = epoch
                eventTests.append(Int32(test))
            }
        }
    }

    /// Runs the tests of `field` on one leaf value, appending each test met to `hits`. What they
    /// meet depends on the field, the kind of value and its bytes alone: `leafCache` relies on it.
    @inline(__always)
    private func runTests(field fieldIndex: Int32, kind: LeafKind, bytes: UnsafeRawBufferPointer) {
        leafNumber &+= 1
        if leafNumber == 0 {
            testLeafStamp.fill(with: 0)
            leafNumber = 1
        }
        let stamp = leafNumber
        fieldReferences[Int(fieldIndex)]._withUnsafeGuaranteedRef { field in
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
            if !field.negationTests.isEmpty {
                field.negationExcluded.withUnsafeBufferPointer { excluded in
                    field.negationExcludedStart.withUnsafeBufferPointer { starts in
                        for (index, test) in field.negationTests.enumerated() {
                            var isExcluded = false
                            for position in Int(starts[index])..<Int(starts[index + 1])
                            where testLeafStamp[Int(excluded[position])] == stamp {
                                isExcluded = true
                                break
                            }
                            if !isExcluded { hit(test, stamp) }
                        }
                    }
                }
            }
        }
    }

    @inline(__always)
    private func evaluateString(_ value: UnsafeRawBufferPointer, field: CompiledField, fieldIndex: Int32,
                                stamp: UInt32) {
        if automata[Int(fieldIndex)] != nil {
            let state = automata[Int(fieldIndex)]!.run(value)
            if state != LazyDFA.dead {
                for test in automata[Int(fieldIndex)]!.acceptedTests(state) { hit(test, stamp) }
            }
        }
        if !field.ipRanges.isEmpty, let address = IPAddress.parse(value) {
            field.ipRanges.forEachTest(containing: address) { hit($0, stamp) }
        }
    }

    @inline(__always)
    private func hit(_ test: Int32, _ stamp: UInt32) {
        testLeafStamp[Int(test)] = stamp
        hits.append(test)
    }

    private func recordLeaf(field: Int32, hitStart: Int, hitEnd: Int, memberships: UnsafeBufferPointer<Int32>) {
        fieldLeafStamp[Int(field)] = epoch
        let membershipStart = Int32(membershipArray.count)
        var index = 0
        while index + 1 < memberships.count {
            membershipArray.append(memberships[index])
            membershipIndex.append(memberships[index + 1])
            index += 2
        }
        leaves.append(Leaf(field: field, hitStart: Int32(hitStart), hitEnd: Int32(hitEnd),
                           membershipStart: membershipStart, membershipEnd: Int32(membershipArray.count)))
    }

    /// Whether some leaf of the current event met a test of `clause`.
    @inline(__always)
    func clauseMet(_ clause: Int) -> Bool {
        let set = patternSet
        for position in Int(set.clauseTestStart[clause])..<Int(set.clauseTestStart[clause + 1])
        where testEventStamp[Int(set.clauseTests[position])] == epoch {
            return true
        }
        return false
    }

    /// Whether every clause of `branch` that cannot be met by absence was met by some leaf.
    @inline(__always)
    private func requiredClausesMet(branch: Int) -> Bool {
        let set = patternSet
        for position in Int(set.branchClauseStart[branch])..<Int(set.branchClauseStart[branch + 1]) {
            let clause = Int(set.branchClauses[position])
            if !set.clauseAllowsAbsence[clause] && !clauseMet(clause) { return false }
        }
        return true
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

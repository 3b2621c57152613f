/// event-ruler's walk of one branch over a matcher's record of an event: the branch's fields in
/// path order, one consistent value chosen per field, backtracking when a later field finds none.
///
/// EventBridge requires the values that satisfy one branch to come from the same element of any
/// array they share, and `exists: false` on a field holds when no value of that field is
/// consistent with the values already chosen; this walk decides both (see `MatchVerification`).
/// `PatternExplainer` takes the same walk and asks it for the deepest field it reached.
///
/// The walk is a depth-first search kept on an explicit stack of frames, one per field reached,
/// on the heap: a branch has as many fields as its pattern names, and `test-pattern` does not
/// apply EventBridge's limit of 256, so a recursion per field overflowed the stack on a pattern of
/// 200,000 fields (issue 16). Such a walk is also kept linear in the fields: a field's values are
/// found by a binary search in the leaves sorted by field, consistency with the choices so far is
/// checked per array (how many chosen values lie in it, and in which element) instead of against
/// every choice, and an explanation copies its choices only when they are about to be undone.
/// Working memory is kept from walk to walk, so a matcher's walks allocate nothing once warmed up.
struct BranchWalk {
    /// Where a walk stopped for good: the deepest field it reached, the first time it got there.
    struct Failure {
        /// How many fields held before the failing one (its index among the branch's conditions).
        let depth: Int
        /// The failing clause's position in `CompiledPatternSet.branchClauses`.
        let clausePosition: Int
        /// The array elements chosen for the fields before it, and the depth that chose each.
        let chosenArrays: [Int32]
        let chosenIndices: [Int32]
        let chosenDepths: [Int32]
    }

    /// One field being tried: what the recursion kept in its locals.
    private struct Frame {
        var clausePosition: Int
        /// The next of this field's leaves to try, and the end of them, in `leavesByField`.
        var nextLeaf: Int
        var leavesEnd: Int
        var anyConsistentLeaf = false
        /// The length of the choices before this field's current choice; -1 while it has none.
        var choiceMark = -1
        /// Whether the field's absence has been tried (once no value of it is consistent).
        var absenceTried = false
    }

    /// Whether the walk remembers the deepest field reached (`deepest`), for explanations.
    let tracksDeepest: Bool
    /// The array elements chosen so far: `chosenIndices[i]` of array `chosenArrays[i]`.
    private(set) var chosenArrays: [Int32] = []
    private(set) var chosenIndices: [Int32] = []
    /// The depth that chose each element, kept only when `tracksDeepest`.
    private var chosenDepths: [Int32] = []
    private var frames: [Frame] = []
    /// The event's leaves sorted by field, as `field << 32 | leaf`, so that a field's leaves are
    /// found by a binary search instead of a scan of every leaf for every field.
    private var leavesByField: [Int64] = []
    /// The matcher and event `leavesByField` was built for: a matcher verifies several branches
    /// of one event, and sorting its leaves once per event instead of once per branch keeps the
    /// matcher's verification as cheap as the scan it replaced.
    private var indexedMatcher: ObjectIdentifier?
    private var indexedEpoch: UInt32 = 0
    /// Per array of the event: how many chosen leaves lie in it, and in which element.
    private var arrayChosenCount: [Int32] = []
    private var arrayChosenElement: [Int32] = []
    /// The deepest field reached so far, and how many choices were made before it; copied into
    /// `deepest` only when those choices are about to be undone, or at the end, so that a walk
    /// that keeps getting deeper does not copy its choices at every field.
    private var reached: (depth: Int, clausePosition: Int, chosenCount: Int)?
    private var deepestDepth = -1
    /// After a walk that failed and `tracksDeepest`: where it stopped.
    private(set) var deepest: Failure?

    init(tracksDeepest: Bool) {
        self.tracksDeepest = tracksDeepest
    }

    /// Whether the clauses at `clauses` (one branch's, in `matcher.patternSet.branchClauses`) hold
    /// together for the event `matcher` last matched.
    mutating func run(over matcher: PatternMatcher, clauses: Range<Int>) -> Bool {
        chosenArrays.removeAll(keepingCapacity: true)
        chosenIndices.removeAll(keepingCapacity: true)
        chosenDepths.removeAll(keepingCapacity: true)
        frames.removeAll(keepingCapacity: true)
        reached = nil
        deepest = nil
        deepestDepth = -1
        if clauses.isEmpty { return true }
        index(matcher)
        let set = matcher.patternSet
        enter(clauses.lowerBound, start: clauses.lowerBound, set: set)

        while !frames.isEmpty {
            let top = frames.count - 1
            let clausePosition = frames[top].clausePosition
            let clause = Int(set.branchClauses[clausePosition])
            if frames[top].choiceMark >= 0 {
                // Back from the next field, which failed: undo this field's choice and try its next value.
                unchoose(from: frames[top].choiceMark, of: matcher)
                frames[top].choiceMark = -1
            }
            var position = frames[top].nextLeaf
            var chose = false
            while position < frames[top].leavesEnd {
                let leaf = Int(leavesByField[position] & 0xFFFF_FFFF)
                position += 1
                guard isConsistent(leaf, of: matcher) else { continue }
                frames[top].anyConsistentLeaf = true
                guard matcher.leafSatisfies(leaf, clause: clause) else { continue }
                frames[top].choiceMark = chosenArrays.count
                choose(leaf, of: matcher, depth: clausePosition - clauses.lowerBound)
                chose = true
                break
            }
            frames[top].nextLeaf = position
            if !chose && set.clauseAllowsAbsence[clause] && !frames[top].anyConsistentLeaf && !frames[top].absenceTried {
                // No value of the field is consistent with the choices so far: it counts as absent.
                frames[top].absenceTried = true
                chose = true
            }
            if chose {
                if clausePosition + 1 == clauses.upperBound { return true }
                enter(clausePosition + 1, start: clauses.lowerBound, set: set)
            } else {
                frames.removeLast()
            }
        }
        keepReached()
        return false
    }

    /// Sorts the event's leaves by field, once per event: O(leaves log leaves); clears the per-array choices.
    private mutating func index(_ matcher: PatternMatcher) {
        if indexedMatcher != ObjectIdentifier(matcher) || indexedEpoch != matcher.epoch
            || leavesByField.count != matcher.leaves.count {
            indexedMatcher = ObjectIdentifier(matcher)
            indexedEpoch = matcher.epoch
            leavesByField.removeAll(keepingCapacity: true)
            for (index, leaf) in matcher.leaves.elements.enumerated() {
                leavesByField.append(Int64(leaf.field) << 32 | Int64(index))
            }
            leavesByField.sort()
        }
        let arrayCount = Int((matcher.membershipArray.elements.max() ?? -1) + 1)
        arrayChosenCount.removeAll(keepingCapacity: true)
        arrayChosenCount.append(contentsOf: repeatElement(0, count: arrayCount))
        arrayChosenElement.removeAll(keepingCapacity: true)
        arrayChosenElement.append(contentsOf: repeatElement(0, count: arrayCount))
    }

    /// Whether `leaf` lies in the same element as every chosen leaf of each array it lies in.
    private func isConsistent(_ leaf: Int, of matcher: PatternMatcher) -> Bool {
        for position in Int(matcher.leaves[leaf].membershipStart)..<Int(matcher.leaves[leaf].membershipEnd) {
            let array = Int(matcher.membershipArray[position])
            if arrayChosenCount[array] > 0 && arrayChosenElement[array] != matcher.membershipIndex[position] {
                return false
            }
        }
        return true
    }

    private mutating func enter(_ clausePosition: Int, start: Int, set: CompiledPatternSet) {
        let field = Int64(set.clauseField[Int(set.branchClauses[clausePosition])])
        let first = lowerBound(field << 32)
        frames.append(Frame(clausePosition: clausePosition, nextLeaf: first, leavesEnd: lowerBound((field + 1) << 32)))
        let depth = clausePosition - start
        if tracksDeepest && depth > deepestDepth {
            // The first time the walk gets this deep; if it never gets deeper, this field failed here.
            deepestDepth = depth
            reached = (depth, clausePosition, chosenArrays.count)
        }
    }

    /// The first position in `leavesByField` not below `key`.
    private func lowerBound(_ key: Int64) -> Int {
        var low = 0
        var high = leavesByField.count
        while low < high {
            let middle = (low + high) / 2
            if leavesByField[middle] < key { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// Copies the choices that led to the deepest field reached into `deepest`, if not done yet.
    private mutating func keepReached() {
        guard let reached else { return }
        deepest = Failure(depth: reached.depth, clausePosition: reached.clausePosition,
                          chosenArrays: Array(chosenArrays[..<reached.chosenCount]),
                          chosenIndices: Array(chosenIndices[..<reached.chosenCount]),
                          chosenDepths: Array(chosenDepths[..<reached.chosenCount]))
        self.reached = nil
    }

    private mutating func choose(_ leaf: Int, of matcher: PatternMatcher, depth: Int) {
        for position in Int(matcher.leaves[leaf].membershipStart)..<Int(matcher.leaves[leaf].membershipEnd) {
            let array = Int(matcher.membershipArray[position])
            arrayChosenCount[array] += 1
            arrayChosenElement[array] = matcher.membershipIndex[position]
            chosenArrays.append(matcher.membershipArray[position])
            chosenIndices.append(matcher.membershipIndex[position])
            if tracksDeepest { chosenDepths.append(Int32(depth)) }
        }
    }

    private mutating func unchoose(from mark: Int, of matcher: PatternMatcher) {
        if let reached, mark < reached.chosenCount {
            // The choices that led to the deepest field are about to go: keep them first.
            keepReached()
        }
        for position in mark..<chosenArrays.count {
            arrayChosenCount[Int(chosenArrays[position])] -= 1
        }
        chosenArrays.removeSubrange(mark...)
        chosenIndices.removeSubrange(mark...)
        if tracksDeepest { chosenDepths.removeSubrange(mark...) }
    }
}

import VigilJSON

/// Explains why an event does not match a pattern: the first field that failed.
///
/// The explanation must never disagree with the engine, so it does not judge values itself. It
/// matches the event with the real matcher (a one-pattern `CompiledPatternSet`) and reads what the
/// matcher recorded: each leaf value's field, its array memberships, and the tests it met. On that
/// record it takes event-ruler's walk of a branch, the `BranchWalk` that `MatchVerification` takes
/// (fields in path order, one consistent value chosen per field, backtracking, absence judged
/// against the choices so far), remembering the deepest field reached. That field is the one that
/// failed; the choices made before it say whether it failed for want of a value or because of the
/// same-element rule of arrays of objects.
///
/// For `$or` every alternative is walked and the one that got furthest is explained (the first of
/// those, on a tie). Performance is not a concern: this runs for failing tests, not for the stream.
public enum PatternExplainer {
    /// Nil when `event` (a JSON object) matches `pattern`, else why it does not.
    public static func explain(_ pattern: EventPattern, event: [UInt8]) throws(EventError) -> PatternExplanation? {
        var outcome: Result<PatternExplanation?, EventError> = .success(nil)
        event.withUnsafeBytes { bytes in
            do throws(EventError) {
                outcome = .success(try explain(pattern, event: bytes))
            } catch {
                outcome = .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Nil when `event` (a JSON object) matches `pattern`, else why it does not.
    public static func explain(_ pattern: EventPattern, event: UnsafeRawBufferPointer) throws(EventError)
        -> PatternExplanation? {
        let set = CompiledPatternSet([(name: "pattern", pattern: pattern)])
        let matcher = set.makeMatcher()
        try matcher.match(event)
        let values = try EventFieldValues(event: event, trie: set.trie)

        var furthest: (branch: Int, failure: BranchWalk.Failure)?
        var walk = BranchWalk(tracksDeepest: true)
        for branch in pattern.branches.indices {
            let clauses = Int(set.branchClauseStart[branch])..<Int(set.branchClauseStart[branch + 1])
            guard !walk.run(over: matcher, clauses: clauses), let failure = walk.deepest else { return nil }
            if furthest == nil || failure.depth > furthest!.failure.depth { furthest = (branch, failure) }
        }
        guard let furthest else { return nil }
        return describe(furthest.failure, branch: furthest.branch, pattern: pattern, matcher: matcher,
                        values: values, aligned: values.isAligned(with: matcher))
    }

    // MARK: - Describing the failure

    private static func describe(_ failure: BranchWalk.Failure, branch: Int, pattern: EventPattern,
                                 matcher: PatternMatcher, values: EventFieldValues, aligned: Bool) -> PatternExplanation {
        let set = matcher.patternSet
        let conditions = pattern.branches[branch].conditions
        let condition = conditions[failure.depth]
        let clause = Int(set.branchClauses[failure.clausePosition])
        let field = set.clauseField[clause]
        let allowsAbsence = set.clauseAllowsAbsence[clause]

        var fieldLeaves: [Int] = []
        var consistent: [Int] = []
        var satisfying: [Int] = []
        for leaf in matcher.leaves.indices where matcher.leaves[leaf].field == field {
            fieldLeaves.append(leaf)
            if matcher.isConsistent(leaf: leaf, chosenArrays: failure.chosenArrays, chosenIndices: failure.chosenIndices) {
                consistent.append(leaf)
            }
            if matcher.leafSatisfies(leaf, clause: clause) { satisfying.append(leaf) }
        }

        // The matcher's leaf i is the walk's leaf i when aligned; otherwise quote all of the field's values.
        func texts(_ leaves: [Int]) -> [String] {
            aligned ? leaves.map { values.leaves[$0].text } : values.leaves.filter { $0.field == field }.map(\.text)
        }

        var conflict: PatternExplanation.SameElementConflict?
        let found: PatternExplanation.Found
        if fieldLeaves.isEmpty {
            found = absence(of: condition.path, values: values)
        } else if let chosen = satisfying.first {
            // A value passes, but none in the elements already chosen: name the array they disagree on.
            found = .values(texts(fieldLeaves))
            conflict = sameElementConflict(leaf: chosen, failure: failure, conditions: conditions,
                                           matcher: matcher, values: values, aligned: aligned)
        } else {
            found = .values(texts(allowsAbsence ? consistent : fieldLeaves))
        }
        return PatternExplanation(
            path: condition.path, wanted: PatternText.condition(condition.matchers), found: found, conflict: conflict,
            alternativeCount: pattern.branches.count, alternative: branch,
            conditionsMet: failure.depth, conditionCount: conditions.count)
    }

    /// The earlier field whose chosen value sits in another element of an array than `leaf`.
    private static func sameElementConflict(leaf: Int, failure: BranchWalk.Failure, conditions: [FieldCondition],
                                            matcher: PatternMatcher, values: EventFieldValues,
                                            aligned: Bool) -> PatternExplanation.SameElementConflict? {
        for position in Int(matcher.leaves[leaf].membershipStart)..<Int(matcher.leaves[leaf].membershipEnd) {
            let array = matcher.membershipArray[position]
            for chosen in failure.chosenArrays.indices
            where failure.chosenArrays[chosen] == array && failure.chosenIndices[chosen] != matcher.membershipIndex[position] {
                let other = conditions[Int(failure.chosenDepths[chosen])]
                return PatternExplanation.SameElementConflict(
                    array: aligned ? values.arrayPaths[Int(array)] : nil,
                    otherPath: other.path, otherWanted: PatternText.condition(other.matchers))
            }
        }
        return nil
    }

    /// Why a field has no value: nothing there, an object or an empty array there, or a part of
    /// its path that is not an object.
    private static func absence(of path: String, values: EventFieldValues) -> PatternExplanation.Found {
        let segments = path.split(separator: ".", omittingEmptySubsequences: false)
        if let node = values.node(of: segments), let seen = values.seen[node] {
            if seen.object { return .object }
            if seen.emptyArray { return .emptyArray }
        }
        for length in stride(from: segments.count - 1, through: 1, by: -1) {
            let prefix = Array(segments.prefix(length))
            if let node = values.node(of: prefix), let scalar = values.seen[node]?.scalar {
                return .notAnObject(path: prefix.joined(separator: "."), value: scalar)
            }
        }
        return .absent
    }
}

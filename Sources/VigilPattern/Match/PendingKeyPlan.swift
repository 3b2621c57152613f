/// Which branches can still be met once every value has been added but those below one top-level
/// key: what `PatternMatcher.mayMatch(withValuesStillToComeUnder:)` looks at, built once per key.
///
/// A branch whose required clause on some other key met no test cannot be met, whatever the key
/// still to come holds. An envelope hands the matcher its `source`, `detail-type`, `account` and
/// the rest before its `detail`, so when no branch survives them the record need not be scanned:
/// a hunt for `{"source":["aws.rds"],"detail":{"eventName":["DeleteDBInstance"]}}` scans only the
/// RDS calls: over 4 CloudTrail files (20 MB) the replay's matching went from 102 M instructions
/// to 25 M and the whole run from 613 M to 536 M (callgrind, one rule, `--jobs 1`).
final class PendingKeyPlan {
    // A class: the matcher reads it once per event, one retain rather than one per array.
    /// The trie node of the key still to come.
    let key: Int32
    /// Some branch has no required clause outside the key: it may be met whatever came before.
    let someBranchWaitsOnlyOnKey: Bool
    /// Test → the branches whose first required clause outside the key uses it (compressed rows):
    /// a branch that can still be met has met that clause, so it is found through one of its tests.
    let triggerStart: [Int32]
    let triggeredBranches: [Int32]
    /// Branch → its required clauses outside the key (compressed rows).
    let outsideClauseStart: [Int32]
    let outsideClauses: [Int32]

    init(set: CompiledPatternSet, key: Int32) {
        self.key = key
        let isBelowKey: [Bool] = set.fields.map { field in
            let first = field.path.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)[0]
            return Array(first.utf8).withUnsafeBytes { set.trie.child(of: PathTrie.root, segment: $0) } == key
        }
        var triggered = [[Int32]](repeating: [], count: set.testCount)
        var outsideStart: [Int32] = [0]
        var outside: [Int32] = []
        var waitsOnlyOnKey = false
        for branch in 0..<set.branchPattern.count {
            let first = outside.count
            for position in Int(set.branchClauseStart[branch])..<Int(set.branchClauseStart[branch + 1]) {
                let clause = Int(set.branchClauses[position])
                if !set.clauseAllowsAbsence[clause] && !isBelowKey[Int(set.clauseField[clause])] {
                    outside.append(Int32(clause))
                }
            }
            outsideStart.append(Int32(outside.count))
            guard outside.count > first else {
                waitsOnlyOnKey = true
                continue
            }
            let trigger = Int(outside[first])
            for position in Int(set.clauseTestStart[trigger])..<Int(set.clauseTestStart[trigger + 1]) {
                triggered[Int(set.clauseTests[position])].append(Int32(branch))
            }
        }
        someBranchWaitsOnlyOnKey = waitsOnlyOnKey
        outsideClauseStart = outsideStart
        outsideClauses = outside
        var start: [Int32] = [0]
        var values: [Int32] = []
        for row in triggered {
            values.append(contentsOf: row)
            start.append(Int32(values.count))
        }
        triggerStart = start
        triggeredBranches = values
    }
}

extension PatternMatcher {
    /// Whether some pattern can still match the event given in parts, when every value still to
    /// come lies below `key`: false when each branch has a required clause elsewhere that no value
    /// met. The caller may then leave the key's values out (`finishComposedEvent()` returns no
    /// pattern either way), which saves scanning an envelope's `detail` when its `source` or
    /// `detail-type` already rule every pattern out.
    public func mayMatch(withValuesStillToComeUnder key: TopLevelKey) -> Bool {
        if pendingKeyPlan?.key != key.node { pendingKeyPlan = PendingKeyPlan(set: patternSet, key: key.node) }
        let plan = pendingKeyPlan!
        if plan.someBranchWaitsOnlyOnKey { return true }
        for test in eventTests.elements {
            for position in Int(plan.triggerStart[Int(test)])..<Int(plan.triggerStart[Int(test) + 1]) {
                let branch = Int(plan.triggeredBranches[position])
                var allMet = true
                for clausePosition in Int(plan.outsideClauseStart[branch])..<Int(plan.outsideClauseStart[branch + 1])
                where !clauseMet(Int(plan.outsideClauses[clausePosition])) {
                    allMet = false
                    break
                }
                if allMet { return true }
            }
        }
        return false
    }
}

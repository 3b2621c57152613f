/// Array consistency and `exists: false`, checked for candidate branches only.
///
/// EventBridge requires the values that satisfy one branch to come from the same element of any
/// array they share: `{"e": {"f": ["Anna"], "l": ["Jones"]}}` does not match
/// `{"e": [{"f": "Anna", "l": "Smith"}, {"f": "Peter", "l": "Jones"}]}`. And `exists: false` on a
/// field holds when no value of that field is consistent with the values already chosen.
///
/// event-ruler decides this by walking the branch's fields in name order, choosing one value per
/// field; an absence is judged against the choices made for the fields before it. `BranchWalk`
/// does the same walk, depth first. It runs only for branches whose required clauses were all met,
/// so its cost is paid by near-matches, not by every event.
extension PatternMatcher {
    func verify(branch: Int32) -> Bool {
        let set = patternSet
        let start = Int(set.branchClauseStart[Int(branch)])
        let end = Int(set.branchClauseStart[Int(branch) + 1])
        if membershipArray.isEmpty {
            // No leaf of this event lies in an array, so every choice of leaves is consistent:
            // the required clauses are met, and a clause that allows absence holds when one of
            // its tests was met or its field has no value at all.
            for position in start..<end {
                let clause = Int(set.branchClauses[position])
                guard set.clauseAllowsAbsence[clause] else { continue }
                if !clauseMet(clause) && fieldLeafStamp[Int(set.clauseField[clause])] == epoch {
                    return false
                }
            }
            return true
        }
        return branchWalk.run(over: self, clauses: start..<end)
    }

    func isConsistent(leaf: Int, chosenArrays: [Int32], chosenIndices: [Int32]) -> Bool {
        let start = Int(leaves[leaf].membershipStart)
        let end = Int(leaves[leaf].membershipEnd)
        for position in start..<end {
            let array = membershipArray[position]
            for chosen in chosenArrays.indices where chosenArrays[chosen] == array {
                if chosenIndices[chosen] != membershipIndex[position] { return false }
            }
        }
        return true
    }

    func leafSatisfies(_ leaf: Int, clause: Int) -> Bool {
        let set = patternSet
        let testStart = Int(set.clauseTestStart[clause])
        let testEnd = Int(set.clauseTestStart[clause + 1])
        for position in Int(leaves[leaf].hitStart)..<Int(leaves[leaf].hitEnd) {
            let test = hits[position]
            for index in testStart..<testEnd where set.clauseTests[index] == test { return true }
        }
        return false
    }
}

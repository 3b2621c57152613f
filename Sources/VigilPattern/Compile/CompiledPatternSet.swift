import VigilJSON

/// Many named event patterns compiled together for matching.
///
/// The structure follows event-ruler and Quamina: a trie of the field paths any pattern names
/// (`PathTrie`), and per field one set of value tests shared by every pattern that tests that
/// field. A test that several patterns use (`"source": ["aws.rds"]`) is evaluated once per
/// value. Matching an event therefore costs a scan of the event plus work for the fields the
/// patterns name and for the branches that partly match — not a loop over the patterns.
///
/// Each branch is looked at only when its *trigger* clause is met: the clause, chosen here, whose
/// tests are most selective (an exact `eventName` rather than a `source` that hundreds of rules
/// share, or an `anything-but` that nearly every value meets). Measured on 2,000 mixed rules this
/// cut the work per event several-fold compared with counting every met clause of every branch.
///
/// Vocabulary: a *test* is one deduplicated value test of one field (`prefix "Delete"`); a
/// *clause* is one field condition of one branch (the OR of some tests); a *branch* is one AND of
/// clauses, and a pattern is the OR of its branches (more than one with `$or`).
///
/// Instances are immutable and may be shared across threads; each thread matches through its
/// own `PatternMatcher`.
public final class CompiledPatternSet: Sendable {
    /// Names of the patterns, by pattern index.
    public let names: [String]
    /// The parsed patterns, by pattern index.
    public let patterns: [EventPattern]

    let trie: PathTrie
    let fields: [CompiledField]
    let testCount: Int

    // Tests → branches whose trigger clause uses them (compressed rows).
    let testTriggerStart: [Int32]
    let testTriggeredBranches: [Int32]

    // Clauses.
    let clauseField: [Int32]
    let clauseAllowsAbsence: [Bool]
    let clauseTestStart: [Int32]
    let clauseTests: [Int32]

    // Branches.
    let branchPattern: [Int32]
    let branchClauseStart: [Int32]
    let branchClauses: [Int32]
    /// Whether a branch whose required clauses are all met still needs the array-consistency and
    /// absence checks: true unless it has exactly one clause and that clause is required.
    let branchNeedsVerification: [Bool]
    /// Branches with no required clause (only `exists: false`-style clauses): checked on every event.
    let alwaysCheckedBranches: [Int32]

    /// Compiles named patterns. Names need not be unique, but each entry is its own pattern.
    public init(_ entries: [(name: String, pattern: EventPattern)]) {
        var builder = Builder()
        for (index, entry) in entries.enumerated() {
            builder.add(entry.pattern, index: Int32(index))
        }
        names = entries.map(\.name)
        patterns = entries.map(\.pattern)
        trie = builder.trie
        fields = builder.fields
        testCount = builder.testCount
        (testTriggerStart, testTriggeredBranches) = Self.compress(builder.triggeredBranchesOfTest())
        clauseField = builder.clauseField
        clauseAllowsAbsence = builder.clauseAllowsAbsence
        (clauseTestStart, clauseTests) = Self.compress(builder.testsOfClause)
        branchPattern = builder.branchPattern
        (branchClauseStart, branchClauses) = Self.compress(builder.clausesOfBranch)
        branchNeedsVerification = builder.clausesOfBranch.indices.map { branch in
            builder.clausesOfBranch[branch].count != 1 || builder.branchRequiredCount[branch] != 1
        }
        alwaysCheckedBranches = builder.branchRequiredCount.indices
            .filter { builder.branchRequiredCount[$0] == 0 }
            .map { Int32($0) }
    }

    /// Compiles a dictionary of named patterns, in name order.
    public convenience init(_ patterns: [String: EventPattern]) {
        self.init(patterns.sorted { $0.key < $1.key }.map { (name: $0.key, pattern: $0.value) })
    }

    /// A matcher for one thread.
    public func makeMatcher() -> PatternMatcher {
        PatternMatcher(self)
    }

    /// The names of the patterns `event` (JSON text) matches, in pattern order.
    ///
    /// Convenient for tests and one-off checks; hot loops should keep a `PatternMatcher`.
    public func matchingNames(json event: String) throws(EventError) -> [String] {
        let indices = try makeMatcher().match(Array(event.utf8))
        return indices.sorted().map { names[Int($0)] }
    }

    /// The number of distinct fields the patterns name.
    public var fieldCount: Int { fields.count }

    private static func compress(_ rows: [[Int32]]) -> (start: [Int32], values: [Int32]) {
        var start: [Int32] = [0]
        var values: [Int32] = []
        start.reserveCapacity(rows.count + 1)
        for row in rows {
            values.append(contentsOf: row)
            start.append(Int32(values.count))
        }
        return (start, values)
    }
}

/// The value tests of one field.
///
/// A class, so that the matcher reads a field's tests through one reference per leaf instead of
/// retaining each of its arrays. It is only mutated by `Builder` before the set is published,
/// which is what makes the unchecked `Sendable` sound.
final class CompiledField: @unchecked Sendable {
    let path: String
    var automaton = StringAutomaton()
    /// Exact spellings of numbers, `true`, `false` and `null`.
    var literals: [(bytes: [UInt8], test: Int32)] = []
    var numericEquals: [Double: [Int32]] = [:]
    var numericRanges: [(range: NumericRange, test: Int32)] = []
    var ipRanges = IPRangeIndex()
    /// The `exists: true` test, if any pattern uses it on this field.
    var existsTest: Int32 = -1
    /// `anything-but` tests: `negationTests[i]` is met when none of the tests in
    /// `negationExcluded[negationExcludedStart[i]..<negationExcludedStart[i + 1]]` is. Flat arrays,
    /// because a field can carry hundreds of these and a nested array per test cost a retain each.
    var negationTests: [Int32] = []
    var negationExcludedStart: [Int32] = [0]
    var negationExcluded: [Int32] = []

    init(path: String) {
        self.path = path
    }

    var needsNumericValue: Bool { !numericEquals.isEmpty || !numericRanges.isEmpty }

    /// An equal field whose arrays are its own, for one matcher: reading a test table retains
    /// it, and retaining a table that several threads' matchers read at once makes its reference
    /// count bounce between cores (see `PatternMatcher.fieldReferences`). The automaton is shared:
    /// a matcher only reads it to build its own lazy DFA.
    func unsharedCopy() -> CompiledField {
        let copy = CompiledField(path: path)
        copy.automaton = automaton
        copy.literals = literals.map { (bytes: $0.bytes.map { $0 }, test: $0.test) }
        copy.numericEquals = Dictionary(uniqueKeysWithValues: numericEquals.map { ($0.key, $0.value.map { $0 }) })
        copy.numericRanges = numericRanges.map { $0 }
        copy.ipRanges = ipRanges.unsharedCopy()
        copy.existsTest = existsTest
        copy.negationTests = negationTests.map { $0 }
        copy.negationExcludedStart = negationExcludedStart.map { $0 }
        copy.negationExcluded = negationExcluded.map { $0 }
        return copy
    }
}

extension CompiledPatternSet {
    /// Accumulates the flat tables while patterns are added.
    struct Builder {
        let trie = PathTrie()
        var fields: [CompiledField] = []
        var testCount = 0
        var testOfMatcher: [[ValueMatcher: Int32]] = []
        var clausesOfTest: [[Int32]] = []
        var testWeight: [Int] = []

        var clauseField: [Int32] = []
        var clauseAllowsAbsence: [Bool] = []
        var testsOfClause: [[Int32]] = []

        var branchPattern: [Int32] = []
        /// How many clauses of each branch must be met by a value (those without `exists: false`).
        var branchRequiredCount: [Int32] = []
        var clausesOfBranch: [[Int32]] = []

        mutating func add(_ pattern: EventPattern, index: Int32) {
            for branch in pattern.branches {
                branchPattern.append(index)
                var clauses: [Int32] = []
                var required: Int32 = 0
                for condition in branch.conditions {
                    let field = fieldIndex(for: condition.path)
                    let allowsAbsence = condition.matchers.contains(.exists(false))
                    let clause = Int32(clauseField.count)
                    var tests: [Int32] = []
                    for matcher in condition.matchers where matcher != .exists(false) {
                        let test = self.test(for: matcher, in: field)
                        // A test already in this clause was last given this clause: a check in
                        // constant time, where searching `tests` made a list of 200,000 values
                        // quadratic (debug build: 20,000 values 6 s, 200,000 minutes).
                        if clausesOfTest[Int(test)].last != clause {
                            clausesOfTest[Int(test)].append(clause)
                            tests.append(test)
                        }
                    }
                    clauseField.append(field)
                    clauseAllowsAbsence.append(allowsAbsence)
                    testsOfClause.append(tests)
                    clauses.append(clause)
                    if !allowsAbsence { required += 1 }
                }
                clausesOfBranch.append(clauses)
                branchRequiredCount.append(required)
            }
        }

        /// For each test, the branches whose trigger clause uses it.
        ///
        /// A branch's trigger is its required clause with the lowest cost, where a clause costs
        /// the number of clauses sharing each of its tests, weighted by how often such a test is
        /// met by values in general (an exact value rarely, `anything-but` nearly always).
        func triggeredBranchesOfTest() -> [[Int32]] {
            var rows = [[Int32]](repeating: [], count: testCount)
            for (branch, clauses) in clausesOfBranch.enumerated() {
                var best: Int32 = -1
                var bestCost = Int.max
                for clause in clauses where !clauseAllowsAbsence[Int(clause)] {
                    let cost = testsOfClause[Int(clause)].reduce(0) { total, test in
                        total + testWeight[Int(test)] * clausesOfTest[Int(test)].count
                    }
                    if cost < bestCost {
                        bestCost = cost
                        best = clause
                    }
                }
                guard best >= 0 else { continue }  // no required clause: checked on every event
                for test in testsOfClause[Int(best)] { rows[Int(test)].append(Int32(branch)) }
            }
            return rows
        }

        /// How often a test of this kind tends to be met, relative to an exact value.
        private static func weight(of matcher: ValueMatcher) -> Int {
            switch matcher {
            case .exactString, .literal, .numericEquals: return 1
            case .ipRange(let range): return range.lower == range.upper ? 1 : 16
            case .prefix, .suffix, .equalsIgnoreCase, .prefixIgnoreCase, .suffixIgnoreCase, .wildcard: return 4
            case .numericRange: return 16
            case .exists, .anythingBut: return 64
            }
        }

        private mutating func fieldIndex(for path: String) -> Int32 {
            let node = trie.insert(path: path)
            let existing = trie.field(of: node)
            if existing >= 0 { return existing }
            let index = Int32(fields.count)
            fields.append(CompiledField(path: path))
            testOfMatcher.append([:])
            trie.setField(index, of: node)
            return index
        }

        private mutating func newTest(for matcher: ValueMatcher) -> Int32 {
            let test = Int32(testCount)
            testCount += 1
            clausesOfTest.append([])
            testWeight.append(Self.weight(of: matcher))
            return test
        }

        /// The test for `matcher` on `field`, shared with every other use of the same matcher there.
        private mutating func test(for matcher: ValueMatcher, in field: Int32) -> Int32 {
            if let existing = testOfMatcher[Int(field)][matcher] { return existing }
            let test: Int32
            if case .anythingBut(let operand) = matcher {
                // The excluded tests are ordinary tests of the field; the negation refers to them.
                let excluded = operand.excluded.map { self.test(for: $0, in: field) }
                test = newTest(for: matcher)
                let compiled = fields[Int(field)]
                compiled.negationTests.append(test)
                compiled.negationExcluded.append(contentsOf: excluded)
                compiled.negationExcludedStart.append(Int32(compiled.negationExcluded.count))
            } else {
                test = newTest(for: matcher)
                register(matcher, as: test, in: field)
            }
            testOfMatcher[Int(field)][matcher] = test
            return test
        }

        private mutating func register(_ matcher: ValueMatcher, as test: Int32, in field: Int32) {
            let index = Int(field)
            if fields[index].automaton.add(matcher, as: test) { return }
            switch matcher {
            case .literal(let text):
                fields[index].literals.append((Array(text.utf8), test))
            case .numericEquals(let value):
                fields[index].numericEquals[value, default: []].append(test)
            case .numericRange(let range):
                fields[index].numericRanges.append((range, test))
            case .ipRange(let range):
                fields[index].ipRanges.insert(range, test: test)
            case .exists(true):
                fields[index].existsTest = test
            default:
                preconditionFailure("unhandled matcher \(matcher)")
            }
        }
    }
}

import Testing
@testable import VigilIngest

@Suite("Listed problems: the first ones in full, the rest counted")
struct ListedProblemsTests {
    @Test func keepsTheFirstAndCountsTheRestByKind() {
        var problems = ListedProblems(limit: 2)
        #expect(problems.reports(path: "f").isEmpty)
        for _ in 0..<1_234_567 { problems.add(InputProblem(.unrecognizedRecord, path: "f", reason: "r")) }
        for _ in 0..<3 { problems.add(InputProblem(.malformedRecord, path: "f", reason: "r")) }
        #expect(problems.listed.count == 2)
        #expect(problems.unlistedCount == 1_234_568)
        let reports = problems.reports(path: "f")
        #expect(reports.count == 3)
        #expect(reports.last?.kind == .unrecognizedRecord)
        #expect(reports.last?.description
            == "f: … and 1,234,568 more (1,234,565 unrecognized record, 3 malformed record), not listed one by one")
    }

    @Test func groupsDigitsByThrees() {
        #expect(ListedProblems.grouped(0) == "0")
        #expect(ListedProblems.grouped(999) == "999")
        #expect(ListedProblems.grouped(1_000) == "1,000")
        #expect(ListedProblems.grouped(5_592_304) == "5,592,304")
    }
}

import Testing
import VigilIngest
@testable import VigilPipeline

/// The per-event counts of a run: events by kind, and events by source and minute.
@Suite("Counting events")
struct EventCountingTests {
    @Test("counts by kind and by minute agree with a plain table, for runs of one kind and minute and for scattered ones, merged or not")
    func agreeWithAPlainTable() {
        var generator = SystemRandomNumberGenerator()
        let kinds = LogRecord.Kind.allCases
        for round in 0..<50 {
            var halves = [RunSummary(), RunSummary()]
            var byKind: [LogRecord.Kind: Int] = [:]
            var byMinute: [String: [Int64: Int]] = [:]
            var kind = kinds[0]
            var seconds: Int64 = 1_795_166_000
            for index in 0..<Int.random(in: 0...2_000, using: &generator) {
                // Runs of one kind and nearby minutes, sometimes a jump, sometimes any minute at all.
                if Int.random(in: 0..<20, using: &generator) == 0 { kind = kinds.randomElement(using: &generator)! }
                seconds += round % 2 == 0 ? Int64.random(in: -30...40, using: &generator)
                    : Int64.random(in: -100_000...100_000, using: &generator)
                let half = index % 3 == 0 ? 1 : 0
                halves[half].countEvent(of: kind)
                halves[half].volume.count(kind, at: seconds)
                byKind[kind, default: 0] += 1
                let minute = seconds >= 0 ? seconds / 60 : (seconds - 59) / 60
                byMinute[kind.label, default: [:]][minute, default: 0] += 1
            }
            var merged = halves[0]
            merged.merge(halves[1])
            #expect(merged.eventsByKind == byKind)
            #expect(merged.events == byKind.values.reduce(0, +))
            #expect(merged.volume.byMinute == byMinute)
        }
    }
}

import Foundation
import Testing
import VigilIngest

/// One normalizer, and so one envelope, reads file after file of every kind, as a replay's pass
/// does: what it keeps from one event to the next (a kind's constant `source` and `detail-type`,
/// times and identities written only when read) must never show in an event of another kind.
@Suite("An envelope reused across kinds")
struct EnvelopeReuseTests {
    @Test("every sample event, read with one normalizer across files of every kind, is written as a fresh normalizer writes it")
    func sameEventsAsFreshNormalizers() throws {
        let paths = LazyEnvelopeDifferentialTests.sampleFiles
        var fresh: [String: [[UInt8]]] = [:]
        for path in paths {
            var collector = LazyEnvelopeDifferentialTests.EventCollector(path: path)
            LogFileReader(input: try DecodedInput(path: path)).read(into: &collector)
            fresh[path] = collector.events
        }
        // Each file twice, the second time in reverse order, so that kinds follow one another both ways.
        let order = paths + paths.reversed()
        var shared = SharedNormalizer()
        for path in order {
            shared.context = LogFileContext(path: path)
            LogFileReader(input: try DecodedInput(path: path)).read(into: &shared)
        }
        #expect(shared.events == order.flatMap { fresh[$0] ?? [] })
        #expect(Set(shared.kinds).count >= 5, "the files hold events of most kinds")
    }

    struct SharedNormalizer: RecordVisitor {
        var context = LogFileContext(path: "")
        var normalizer = EventNormalizer()
        var events: [[UInt8]] = []
        var kinds: [LogRecord.Kind] = []

        mutating func visit(_ record: LogRecord) {
            guard let envelope = try? normalizer.normalize(record, context: context) else { return }
            var json: [UInt8] = []
            EnvelopeWriter.append(envelope, to: &json)
            events.append(json)
            kinds.append(record.kind)
        }

        mutating func report(_ problem: InputProblem) {}
        mutating func skip(_ reason: SkipReason) {}
    }
}

import VigilIngest
import VigilJSON

/// What one read of an input produced, in order: every record (its kind and bytes), every problem
/// and every skip, each record normalized into an envelope whose JSON is checked.
///
/// Two reads of the same bytes (gzip decoders, inline or decoded ahead, chunk sizes) must produce
/// equal outcomes: ARCHITECTURE.md says the records and problems are the same either way.
public struct RecordOutcome: RecordVisitor, Equatable {
    /// One thing the reader handed on, as far as comparing two reads needs it.
    public enum Step: Equatable {
        case record(LogRecord.Kind, [UInt8], ordinal: Int)
        case problem(InputProblem.Kind, offset: Int?, record: Int?, reason: String)
        case skip(SkipReason)
    }

    public private(set) var steps: [Step] = []
    /// The normalizer, kept across records as the pipeline keeps it across a file.
    private var normalizer = EventNormalizer()
    private let context: LogFileContext
    private var envelopeJSON: [UInt8] = []

    /// `path` is where the input is said to lie: an `AWSLogs/` path gives flow records an account
    /// and a region, as a delivered file does.
    public init(path: String = "AWSLogs/111122223333/vpcflowlogs/us-east-1/2026/11/20/fuzz.log") {
        context = LogFileContext(path: path)
    }

    public mutating func visit(_ record: LogRecord) {
        steps.append(.record(record.kind, Array(record.bytes), ordinal: record.ordinal))
        // Flow records and database log lines are text lines; every other kind is a JSON object.
        if record.kind != .flowLog && record.kind != .databaseAudit {
            fuzzRequire((try? JSONValidator.validate(record.bytes)) != nil,
                        "a \(record.kind) record handed on is not valid JSON")
        }
        do throws(InputProblem) {
            let envelope = try normalizer.normalize(record, context: context)
            envelopeJSON.removeAll(keepingCapacity: true)
            EnvelopeWriter.append(envelope, to: &envelopeJSON)
            do throws(EventError) {
                try JSONValidator.validate(envelopeJSON)
            } catch {
                fuzzRequire(false, "the envelope written is not valid JSON (\(error.message) at \(error.offset)): "
                            + String(decoding: envelopeJSON.prefix(2_000), as: UTF8.self))
            }
        } catch {
            // A record the normalizer refuses is reported by the pipeline; a refusal needs a reason.
            fuzzRequire(!error.reason.isEmpty, "a record was refused without a reason")
        }
    }

    public mutating func report(_ problem: InputProblem) {
        fuzzRequire(!problem.reason.isEmpty, "a problem without a reason")
        steps.append(.problem(problem.kind, offset: problem.offset, record: problem.record, reason: problem.reason))
    }

    public mutating func skip(_ reason: SkipReason) {
        steps.append(.skip(reason))
    }

    public static func == (lhs: RecordOutcome, rhs: RecordOutcome) -> Bool { lhs.steps == rhs.steps }

    /// The first step where two outcomes differ, for the message of a failed comparison.
    public func firstDifference(from other: RecordOutcome) -> String {
        for index in 0..<max(steps.count, other.steps.count) {
            let mine = index < steps.count ? "\(steps[index])" : "nothing"
            let theirs = index < other.steps.count ? "\(other.steps[index])" : "nothing"
            if mine != theirs { return "step \(index): \(mine.prefix(300)) against \(theirs.prefix(300))" }
        }
        return "no difference"
    }
}

import VigilIngest

/// `vigil normalize`: the events of log files, written out as EventBridge JSON, one per line.
public struct Normalization {
    let paths: [String]
    let settings: EventReader.Settings

    public init(paths: [String], settings: EventReader.Settings = EventReader.Settings()) {
        self.paths = paths
        self.settings = settings
    }

    /// Calls `onEvent` with each event's JSON line (newline included), and `onProblem` with each
    /// problem, in input order.
    public func run(onEvent: @escaping ([UInt8]) -> Void, onProblem: (InputProblem) -> Void) -> RunSummary {
        let listing = InputFileList(paths: paths)
        var summary = listing.summary(reportingTo: onProblem)
        var reader = EventReader(settings: settings)
        var writer = EventLineWriter(onEvent: onEvent)
        for path in listing.files {
            let outcome = reader.read(.file(path), s3: nil, into: &writer)
            for problem in outcome.problems { onProblem(problem) }
            summary.merge(outcome.summary)
        }
        return summary
    }
}

/// Writes each event as one line of JSON; a Config item with the `configurationItemDiff` computed
/// from the item of its resource seen before it in this run.
struct EventLineWriter: EventVisitor {
    let onEvent: ([UInt8]) -> Void
    private var line: [UInt8] = []
    private let configItems = ConfigItemMemory()
    private var differ = ConfigItemDiffer()

    init(onEvent: @escaping ([UInt8]) -> Void) {
        self.onEvent = onEvent
    }

    mutating func visit(_ envelope: EventEnvelope, of record: LogRecord, in context: LogFileContext,
                        summary: inout RunSummary) throws(InputProblem) {
        differ.apply(to: envelope, memory: configItems)
        line.removeAll(keepingCapacity: true)
        EnvelopeWriter.append(envelope, to: &line)
        line.append(0x0A)
        onEvent(line)
    }
}

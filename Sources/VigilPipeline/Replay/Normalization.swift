import VigilIngest

/// `vigil normalize`: the events of log files, written out as EventBridge JSON, one per line.
public struct Normalization {
    let paths: [String]
    let filter: EventFilter
    let limits: ReaderLimits

    public init(paths: [String], filter: EventFilter = EventFilter(), limits: ReaderLimits = ReaderLimits()) {
        self.paths = paths
        self.filter = filter
        self.limits = limits
    }

    /// Calls `onEvent` with each event's JSON line (newline included), and `onProblem` with each
    /// problem, in input order.
    public func run(onEvent: @escaping ([UInt8]) -> Void, onProblem: (InputProblem) -> Void) -> ReplaySummary {
        var summary = ReplaySummary()
        let listing = InputFileList(paths: paths)
        let files = listing.files
        if listing.documentation > 0 { summary.filesSkipped["documentation", default: 0] += listing.documentation }
        for problem in listing.problems {
            summary.problems[problem.kind, default: 0] += 1
            onProblem(problem)
        }
        var visitor = Visitor(context: LogFileContext(path: ""), filter: filter, onEvent: onEvent)
        for path in files {
            visitor.context = LogFileContext(path: path)
            if let reason = filter.reasonToSkip(visitor.context) {
                summary.filesSkipped[reason, default: 0] += 1
                continue
            }
            do {
                let input = try DecodedInput(path: path)
                LogFileReader(input: input, limits: limits).read(into: &visitor)
                summary.filesRead += 1
            } catch {
                visitor.summary.problems[error.kind, default: 0] += 1
                visitor.problems.append(error)
            }
            for problem in visitor.problems { onProblem(problem) }
            visitor.problems.removeAll()
        }
        summary.merge(visitor.summary)
        return summary
    }

    private struct Visitor: RecordVisitor {
        var context: LogFileContext
        let filter: EventFilter
        let onEvent: ([UInt8]) -> Void
        var normalizer = EventNormalizer()
        var summary = ReplaySummary()
        var problems: [InputProblem] = []
        var line: [UInt8] = []

        init(context: LogFileContext, filter: EventFilter, onEvent: @escaping ([UInt8]) -> Void) {
            self.context = context
            self.filter = filter
            self.onEvent = onEvent
        }

        mutating func visit(_ record: LogRecord) {
            summary.records += 1
            do {
                let envelope = try normalizer.normalize(record, context: context)
                if let reason = filter.reasonToDrop(envelope) {
                    summary.dropped[reason, default: 0] += 1
                    return
                }
                summary.eventsByKind[record.kind, default: 0] += 1
                line.removeAll(keepingCapacity: true)
                EnvelopeWriter.append(envelope, to: &line)
                line.append(0x0A)
                onEvent(line)
            } catch {
                report(error)
            }
        }

        mutating func report(_ problem: InputProblem) {
            summary.problems[problem.kind, default: 0] += 1
            problems.append(problem)
        }

        mutating func skip(_ reason: SkipReason) {
            summary.skipped[reason, default: 0] += 1
        }
    }
}

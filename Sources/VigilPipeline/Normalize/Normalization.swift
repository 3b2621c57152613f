import Foundation
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
        // Files one after the other: a large one is spread over the cores, when there are several.
        var settings = settings
        let cores = ProcessInfo.processInfo.activeProcessorCount
        if cores > 1 { settings.spread = SpreadSettings(helpers: cores) }
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
        write(envelope)
    }

    private mutating func write(_ envelope: EventEnvelope) {
        differ.apply(to: envelope, memory: configItems)
        line.removeAll(keepingCapacity: true)
        Self.appendLine(of: envelope, to: &line)
        onEvent(line)
    }

    /// The event's JSON line, newline included: what this writer and its helpers write.
    static func appendLine(of envelope: EventEnvelope, to line: inout [UInt8]) {
        EnvelopeWriter.append(envelope, to: &line)
        line.append(0x0A)
    }

    // MARK: - Spread over cores

    /// Helpers write the lines of events; Config items come back unwritten, to be diffed here.
    var helperMaker: (@Sendable () -> EventLineHelper)? {
        { EventLineHelper() }
    }

    /// Hands on a helper's lines, and diffs and writes its Config items, in input order.
    mutating func take(_ work: [WrittenEvent], summary: inout RunSummary, problems: inout [InputProblem]) {
        for written in work {
            switch written {
            case .line(let line): onEvent(line)
            case .configItem(let item): write(item.envelope)
            }
        }
    }
}

/// What an `EventLineHelper` made of one event.
enum WrittenEvent: Sendable {
    /// The event's JSON line, newline included.
    case line([UInt8])
    /// A Config item, to be diffed against the items before it and written in input order.
    case configItem(DeferredConfigItem)
}

/// `EventLineWriter`'s helper: writes events as JSON lines on a thread of its own.
struct EventLineHelper: EventHelper {
    private var written: [WrittenEvent] = []

    mutating func visit(_ envelope: EventEnvelope, of record: LogRecord, in context: LogFileContext,
                        summary: inout RunSummary) throws(InputProblem) {
        if envelope.configItem != nil {
            written.append(.configItem(DeferredConfigItem(copying: envelope, of: record, in: context)))
            return
        }
        var line: [UInt8] = []
        EventLineWriter.appendLine(of: envelope, to: &line)
        written.append(.line(line))
    }

    mutating func finishWork() -> [WrittenEvent] {
        defer { written = [] }
        return written
    }
}

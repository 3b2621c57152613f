import VigilAWS
import VigilIngest

/// The one way every mode reads an input — a file, an S3 object, the object a queue message
/// announces: the format's reader frames its records, the normalizer makes each an EventBridge
/// envelope, the filter drops what was not asked for, and the `EventVisitor` gets the rest.
///
/// Replay, tail (directories and queue), normalize and hunt all read through here, so a record
/// is counted, reported, filtered and resumed the same way whatever the mode. One per thread: it
/// keeps the normalizer's buffers from input to input.
public struct EventReader {
    /// What every input of a run is read with.
    public struct Settings: Sendable {
        /// Which events to keep.
        public var filter = EventFilter()
        public var limits = ReaderLimits()
        /// Whether a large input may be decoded on a thread of its own (a replay with a core to spare).
        public var decodesAhead = false
        /// Whether, and how, a large input's records are normalized and matched on helper threads
        /// while this one reads them (a single large input with cores to spare: `SpreadPass`).
        var spread: SpreadSettings?

        public init(filter: EventFilter = EventFilter(), limits: ReaderLimits = ReaderLimits()) {
            self.filter = filter
            self.limits = limits
        }
    }

    /// How a tail reads a file it has read before, or one that is still being written.
    struct Continuation {
        /// Records with a lower ordinal were handled by an earlier read: passed over, and so are
        /// their problems.
        var firstOrdinal = 0
        /// The input may still grow: an unfinished last record is held back, not reported.
        var endIsProvisional = false
        /// Called after each record handled, with the ordinal after it: the tail's chance to commit
        /// in the middle of a large file. Returning false stops the read there; the records still
        /// to come are passed over.
        var afterRecord: ((Int) -> Bool)?

        /// Whether the read goes from the first record to the input's final end, with nothing
        /// to commit on the way: a read that can be spread over cores.
        var readsWholeInput: Bool { firstOrdinal == 0 && !endIsProvisional && afterRecord == nil }
    }

    public let settings: Settings
    private var normalizer = EventNormalizer()
    /// Folders resolved once for the run's files' identities (this reader serves one run).
    private let directories = CanonicalDirectories()

    public init(settings: Settings) {
        self.settings = settings
    }

    /// Why the input at `context` need not be read at all (outside `--from`/`--to`, `--account`
    /// or `--region` by its path), or nil.
    public func reasonToSkip(_ context: LogFileContext) -> String? {
        settings.filter.reasonToSkip(context)
    }

    /// Opens `source` (a download, for an object) and reads it. An input outside the filter by its
    /// path is not opened; one that cannot be opened is a problem of the outcome. `maySpread`:
    /// whether a large input may be spread over the cores (`settings.spread`), which a parallel
    /// read allows only where other threads would idle.
    mutating func read<Visitor: EventVisitor>(_ source: LogSource, s3: S3Client?, cancellation: ReadCancellation? = nil,
                                              progress: ProgressLine? = nil, maySpread: Bool = true,
                                              into visitor: inout Visitor) -> InputOutcome {
        let context = LogFileContext(path: source.name, directories: directories)
        if let reason = reasonToSkip(context) { return .skipped(because: reason) }
        let input: DecodedInput
        do {
            input = try source.open(s3: s3, isCancelled: { cancellation?.isCancelled ?? false })
        } catch {
            return .unreadable(error)
        }
        return read(input, context: context, cancellation: cancellation, progress: progress, maySpread: maySpread,
                    into: &visitor)
    }

    /// Reads an input already opened, from where `continuation` says.
    mutating func read<Visitor: EventVisitor>(_ input: DecodedInput, context: LogFileContext,
                                              continuation: Continuation = Continuation(),
                                              cancellation: ReadCancellation? = nil, progress: ProgressLine? = nil,
                                              maySpread: Bool = true, into visitor: inout Visitor) -> InputOutcome {
        // A large file is decoded on a thread of its own while this one matches, when there is a
        // second core for it. Inside one file's read, so the order of records, matches and files is
        // unchanged. Measured (release, 2 cores, ISA-L, CloudTrail JSON gzipped about 6:1, medians of
        // alternating runs): a 200 MB file 0.62 s → 0.45 s (zlib 0.73 s → 0.46 s; the same file not
        // gzipped takes 0.47 s), a 4 MiB one 0.102 s → 0.082 s, a 1 MiB one 0.044 s → 0.041 s; but
        // with --jobs 2 over files that already keep both cores busy it costs a little: 24 files of
        // 1 MiB 0.268 s → 0.280 s, 8 of 4 MiB 0.354 s → 0.358 s. Hence from 4 MiB stored.
        let decodeAheadThreshold = 4 << 20
        let storedSize = input.storedSize ?? 0
        let decodeAhead = settings.decodesAhead && storedSize >= decodeAheadThreshold
        let reader = LogFileReader(input: input, limits: settings.limits, endIsProvisional: continuation.endIsProvisional,
                                   cancellation: cancellation, decodeAhead: decodeAhead)
        var outcome = InputOutcome()
        func take(_ pass: some InputPass) {
            outcome.summary = pass.summary
            outcome.problems = pass.problems.reports(path: input.path)
            outcome.nextOrdinal = pass.nextOrdinal
        }
        if maySpread, let spread = settings.spread, storedSize >= spread.fromStoredBytes, continuation.readsWholeInput,
           let makeHelper = visitor.helperMaker {
            var pass = SpreadPass(context: context, filter: settings.filter, visitor: visitor, normalizer: normalizer,
                                  settings: spread, progress: progress, makeHelper: makeHelper)
            reader.read(into: &pass)
            pass.finish()
            visitor = pass.visitor
            normalizer = pass.normalizer
            take(pass)
            outcome.wasSpread = pass.wasSpread
        } else {
            var pass = EventPass(context: context, filter: settings.filter, normalizer: normalizer, visitor: visitor,
                                 continuation: continuation, progress: progress)
            reader.read(into: &pass)
            normalizer = pass.normalizer
            visitor = pass.visitor
            take(pass)
        }
        outcome.summary.filesRead = 1
        outcome.summary.decodedBytes = input.decodedOffset
        outcome.decodedBytes = input.decodedOffset
        outcome.wasCancelled = reader.wasCancelled
        outcome.endedEarly = reader.endedEarly
        outcome.recordsRead = reader.recordsRead
        return outcome
    }
}

import Foundation
import Synchronization
import VigilAWS
import VigilAlerts
import VigilIngest
import VigilPattern

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vigil replay`: reads log files and directories once, matches every event against the rules
/// and sends the alerts, then reports what it did.
///
/// With `jobs` above 1, files are read and matched on that many threads at once, while this
/// thread takes their matches file by file, in the order of the file list, through the one alert
/// stage: the alerts, their order and every dedup and threshold decision are the same as a
/// replay on one thread would give, whatever the number of jobs.
public final class Replay {
    public struct Options: Sendable {
        public var paths: [String]
        public var filter = EventFilter()
        public var limits = ReaderLimits()
        /// Show a progress line on stderr (when it is a terminal).
        public var showsProgress = false
        /// Files read at once (each on its own thread); 1 reads them one after the other.
        public var jobs = 1
        /// Objects to read from S3 (a backfill), after the files; `s3` reads them.
        public var objects: [S3ObjectReference] = []
        public var s3: S3Client?
        /// Objects downloaded at once: S3 answers each request after a round trip, so more
        /// objects are fetched at once than there are cores to read them.
        public var downloads = 8

        public init(paths: [String]) {
            self.paths = paths
        }
    }

    private let rules: RuleSet
    private let router: AlertRouter
    private let options: Options

    public init(rules: RuleSet, router: AlertRouter, options: Options) {
        self.rules = rules
        self.router = router
        self.options = options
    }

    /// Runs the replay. `onProblem` receives each problem as it is found (for stderr).
    public func run(onProblem: (InputProblem) -> Void) -> ReplaySummary {
        let started = MonotonicClock.now()
        var summary = ReplaySummary()
        let listing = InputFileList(paths: options.paths)
        let files = listing.files.map(LogSource.file) + options.objects.map(LogSource.object)
        if listing.documentation > 0 { summary.filesSkipped["documentation", default: 0] += listing.documentation }
        for problem in listing.problems {
            summary.problems[problem.kind, default: 0] += 1
            onProblem(problem)
        }
        let progress = options.showsProgress ? ProgressLine(totalFiles: files.count) : nil
        let stage = AlertStage(rules: rules, router: router)
        let jobs = options.objects.isEmpty ? options.jobs : max(options.jobs, options.downloads)
        if jobs > 1 && files.count > 1 {
            readInParallel(files, jobs: min(jobs, files.count), stage: stage, progress: progress,
                           summary: &summary, onProblem: onProblem)
        } else {
            readInOrder(files, stage: stage, progress: progress, summary: &summary, onProblem: onProblem)
        }
        // Replay ends only when every alert is delivered or dead-lettered (or a sink failed).
        router.finish()
        summary.deliveries = router.deliveryReports
        progress?.finish()
        summary.seconds = MonotonicClock.seconds(since: started)
        return summary
    }

    /// One thread: each file read, matched and alerted on in turn.
    private func readInOrder(_ files: [LogSource], stage: AlertStage, progress: ProgressLine?, summary: inout ReplaySummary,
                             onProblem: (InputProblem) -> Void) {
        var normalizer = EventNormalizer()
        let matcher = EnvelopeMatcher(rules.patterns)
        for source in files {
            let outcome = Self.read(source, options: options, normalizer: &normalizer, matcher: matcher, progress: progress) {
                match, ruleIndices, summary in stage.handle(match, ruleIndices: ruleIndices, summary: &summary)
            }
            for problem in outcome.problems { onProblem(problem) }
            summary.merge(outcome.summary)
            progress?.fileDone(decodedBytes: outcome.decodedBytes)
            if router.failure != nil { break }
        }
    }

    /// `jobs` threads read and match files, at most two runs of files each ahead of the alert
    /// stage; this thread alerts on their matches in file order.
    ///
    /// Small files go to the threads in runs of consecutive files (up to 1 MB stored or 256
    /// files): handing over each file of a tree of 10,000 small ones costs more in thread
    /// wake-ups than reading it.
    private func readInParallel(_ files: [LogSource], jobs: Int, stage: AlertStage, progress: ProgressLine?,
                                summary: inout ReplaySummary, onProblem: (InputProblem) -> Void) {
        let runs = Self.runs(of: files)
        let results = runs.map { _ in FileResults() }
        let slots = DispatchSemaphore(value: jobs * 2)
        let nextFile = FileCounter()
        let cancellation = ReadCancellation()
        let readersDone = DispatchGroup()
        let options = options
        let patterns = rules.patterns
        for reader in 0..<jobs {
            readersDone.enter()
            let thread = Thread {
                defer { readersDone.leave() }
                var normalizer = EventNormalizer()
                let matcher = EnvelopeMatcher(patterns)
                while true {
                    slots.wait()
                    let index = nextFile.take()
                    guard index < runs.count else {
                        slots.signal()
                        return
                    }
                    let batcher = MatchBatcher(into: results[index])
                    var outcome = FileOutcome()
                    for file in runs[index] {
                        let read = Self.read(files[file], options: options, normalizer: &normalizer, matcher: matcher,
                                             cancellation: cancellation) { match, ruleIndices, _ in
                            batcher.add(FoundMatch(match: match, ruleIndices: ruleIndices))
                            return 0
                        }
                        outcome.add(read)
                    }
                    batcher.flush()
                    results[index].finish(outcome)
                }
            }
            thread.name = "vigil reader \(reader)"
            thread.start()
        }
        for (index, result) in results.enumerated() {
            var alerting = ReplaySummary()
            while let batch = result.next() {
                guard router.failure == nil else { continue }
                for found in batch {
                    stage.handle(found.match, ruleIndices: found.ruleIndices, summary: &alerting)
                }
            }
            let outcome = result.takeOutcome()
            for problem in outcome.problems { onProblem(problem) }
            summary.merge(outcome.summary)
            summary.merge(alerting)
            progress?.filesDone(runs[index].count, decodedBytes: outcome.decodedBytes, alerts: alerting.alerts)
            slots.signal()
            if router.failure != nil && !cancellation.isCancelled {
                // A sink failed: the run ends. Readers stop at their next refill and drop the rest.
                cancellation.cancel()
                for later in results[(index + 1)...] { later.abandon() }
            }
        }
        readersDone.wait()
    }

    /// `files` cut into runs of consecutive files: each run holds files until they add up to 1 MB
    /// stored, or 256 files, so a large file is a run of its own.
    static func runs(of files: [LogSource]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        var stored = 0
        for (index, source) in files.enumerated() {
            stored += source.storedSize ?? 0
            if stored >= 1 << 20 || index + 1 - start >= 256 {
                runs.append(start..<(index + 1))
                start = index + 1
                stored = 0
            }
        }
        if start < files.count { runs.append(start..<files.count) }
        return runs
    }

    /// Reads one file or object, handing its matches to `handleMatch`; what else it found is returned.
    static func read(_ source: LogSource, options: Options, normalizer: inout EventNormalizer, matcher: EnvelopeMatcher,
                             progress: ProgressLine? = nil, cancellation: ReadCancellation? = nil,
                             handleMatch: @escaping FileProcessor.MatchHandler) -> FileOutcome {
        var outcome = FileOutcome()
        let context = LogFileContext(path: source.name)
        if let reason = options.filter.reasonToSkip(context) {
            outcome.summary.filesSkipped[reason, default: 0] += 1
            return outcome
        }
        let input: DecodedInput
        do {
            input = try source.open(s3: options.s3, isCancelled: { cancellation?.isCancelled ?? false })
        } catch {
            outcome.summary.problems[error.kind, default: 0] += 1
            outcome.problems = [error]
            return outcome
        }
        return read(input, context: context, options: options, normalizer: &normalizer, matcher: matcher,
                    progress: progress, cancellation: cancellation, handleMatch: handleMatch)
    }

    /// Reads an input already opened (a tail's object from the queue, downloaded first).
    static func read(_ input: DecodedInput, context: LogFileContext, options: Options, normalizer: inout EventNormalizer,
                     matcher: EnvelopeMatcher, progress: ProgressLine? = nil, cancellation: ReadCancellation? = nil,
                     handleMatch: @escaping FileProcessor.MatchHandler) -> FileOutcome {
        var outcome = FileOutcome()
        var processor = FileProcessor(context: context, filter: options.filter, normalizer: normalizer, matcher: matcher,
                                      progress: progress, handleMatch: handleMatch)
        // A large file is decoded on a thread of its own while this one matches, when there is a
        // second core for it. Inside one file's read, so the order of records, matches and files is
        // unchanged. Measured (release, 2 cores, ISA-L, CloudTrail JSON gzipped about 6:1, medians of
        // alternating runs): a 200 MB file 0.62 s → 0.45 s (zlib 0.73 s → 0.46 s; the same file not
        // gzipped takes 0.47 s), a 4 MiB one 0.102 s → 0.082 s, a 1 MiB one 0.044 s → 0.041 s; but
        // with --jobs 2 over files that already keep both cores busy it costs a little: 24 files of
        // 1 MiB 0.268 s → 0.280 s, 8 of 4 MiB 0.354 s → 0.358 s. Hence from 4 MiB stored.
        let decodeAheadThreshold = 4 << 20
        let decodeAhead = options.jobs > 1 && (input.storedSize ?? 0) >= decodeAheadThreshold
        let reader = LogFileReader(input: input, limits: options.limits, cancellation: cancellation, decodeAhead: decodeAhead)
        reader.read(into: &processor)
        outcome.wasCancelled = reader.wasCancelled
        normalizer = processor.normalizer
        outcome.summary = processor.summary
        outcome.summary.filesRead = 1
        outcome.summary.decodedBytes = input.decodedOffset
        outcome.problems = processor.problems
        outcome.decodedBytes = input.decodedOffset
        return outcome
    }
}

/// Hands out file indices to the reading threads, each once.
private final class FileCounter: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int {
        next.add(1, ordering: .relaxed).oldValue
    }
}

/// Gathers one file's matches into batches for its `FileResults`, so that the alerting thread
/// is woken per batch rather than per match. Used by one reading thread.
private final class MatchBatcher {
    private let results: FileResults
    private var batch: [FoundMatch] = []
    private static let batchSize = 256

    init(into results: FileResults) {
        self.results = results
    }

    func add(_ match: FoundMatch) {
        batch.append(match)
        if batch.count >= Self.batchSize { flush() }
    }

    func flush() {
        guard !batch.isEmpty else { return }
        results.push(batch)
        batch = []
    }
}

/// Seconds from a monotonic clock, for durations that wall-clock changes cannot distort.
enum MonotonicClock {
    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }

    static func seconds(since start: Double) -> Double { now() - start }
}

/// A progress line on stderr, redrawn at most five times a second, erased at the end.
final class ProgressLine {
    private let totalFiles: Int
    private var filesDone = 0
    private var records = 0
    private var alerts = 0
    private var decodedBytes = 0
    private var sinceCheck = 0
    private var lastDrawn = 0.0
    private var drawn = false

    init?(totalFiles: Int) {
        guard StandardError.isTerminal else { return nil }
        self.totalFiles = totalFiles
    }

    /// Counts records of the file being read, so that one large file shows progress too.
    func recordRead(alerts newAlerts: Int) {
        records += 1
        alerts += newAlerts
        sinceCheck += 1
        if sinceCheck >= 4096 {
            sinceCheck = 0
            drawIfDue()
        }
    }

    func fileDone(decodedBytes bytes: Int) {
        filesDone(1, decodedBytes: bytes)
    }

    func filesDone(_ count: Int, decodedBytes bytes: Int, alerts newAlerts: Int = 0) {
        filesDone += count
        decodedBytes += bytes
        alerts += newAlerts
        drawIfDue()
    }

    private func drawIfDue() {
        let now = MonotonicClock.now()
        guard now - lastDrawn >= 0.2 else { return }
        lastDrawn = now
        StandardError.write("\r\u{1B}[K\(filesDone)/\(totalFiles) files, \(records) records, "
            + "\(ReplaySummary.megabytes(decodedBytes)), \(alerts) alerts")
        drawn = true
    }

    func finish() {
        if drawn { StandardError.write("\r\u{1B}[K") }
    }
}

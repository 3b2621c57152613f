import Foundation
import Synchronization
import VigilAWS
import VigilAlerts
import VigilIngest
import VigilPattern

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
        /// Which events to keep, and the reader's limits.
        public var reading = EventReader.Settings()
        /// Vigil's state directory: never read as input, wherever it lies.
        public var stateDirectory: String?
        /// Show a progress line on stderr (when it is a terminal).
        public var showsProgress = false
        /// Files read at once (each on its own thread); 1 reads them one after the other.
        public var jobs = 1
        /// Objects to read from S3 (a backfill), after the files; `s3` reads them.
        public var objects: [S3ObjectReference] = []
        public var s3: S3Client?
        /// Objects the listing passed over as logs of services Vigil does not read, by service
        /// (counted in the summary as files are).
        public var objectsOfOtherServices: [String: Int] = [:]
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
    public func run(onProblem: (InputProblem) -> Void) -> RunSummary {
        let started = MonotonicClock.now()
        let listing = InputFileList(paths: options.paths, skipping: options.stateDirectory.map { [$0] } ?? [])
        var summary = listing.summary(reportingTo: onProblem)
        for (service, count) in options.objectsOfOtherServices {
            summary.filesSkipped[InputFileList.otherServiceLabel(service), default: 0] += count
        }
        let files = listing.files.map(LogSource.file) + options.objects.map(LogSource.object)
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
    private func readInOrder(_ files: [LogSource], stage: AlertStage, progress: ProgressLine?, summary: inout RunSummary,
                             onProblem: (InputProblem) -> Void) {
        var reader = EventReader(settings: readerSettings)
        var visitor = MatchingVisitor(matcher: EnvelopeMatcher(rules.patterns), stage: stage, progress: progress)
        for source in files {
            let outcome = reader.read(source, s3: options.s3, progress: progress, into: &visitor)
            for problem in outcome.problems { onProblem(problem) }
            summary.merge(outcome.summary)
            progress?.filesDone(1, decodedBytes: outcome.decodedBytes)
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
                                summary: inout RunSummary, onProblem: (InputProblem) -> Void) {
        let runs = Self.runs(of: files)
        let results = runs.map { _ in FileResults() }
        let slots = DispatchSemaphore(value: jobs * 2)
        let nextFile = FileCounter()
        let cancellation = ReadCancellation()
        let readersDone = DispatchGroup()
        let settings = readerSettings
        let s3 = options.s3
        let patterns = rules.patterns
        for number in 0..<jobs {
            readersDone.enter()
            let thread = Thread {
                defer { readersDone.leave() }
                var reader = EventReader(settings: settings)
                let matcher = EnvelopeMatcher(patterns)
                while true {
                    slots.wait()
                    let index = nextFile.take()
                    guard index < runs.count else {
                        slots.signal()
                        return
                    }
                    let batcher = MatchBatcher(into: results[index])
                    // Config items are diffed and matched by the alerting thread, in file order.
                    let configItems = ConfigItemOrder.handedOn { batcher.add(.configItem($0)) }
                    var visitor = MatchingVisitor(matcher: matcher, configItems: configItems) { match, ruleIndices, _ in
                        batcher.add(.match(FoundMatch(match: match, ruleIndices: ruleIndices)))
                        return 0
                    }
                    var outcome = InputOutcome()
                    for file in runs[index] {
                        outcome.add(reader.read(files[file], s3: s3, cancellation: cancellation, into: &visitor))
                    }
                    batcher.flush()
                    results[index].finish(outcome)
                }
            }
            thread.name = "vigil reader \(number)"
            thread.start()
        }
        // The Config items of every file pass through one memory here, in file order, as in a
        // replay on one thread: their diffs, and so their matches, do not depend on the threads.
        var configVisitor = MatchingVisitor(matcher: EnvelopeMatcher(patterns), stage: stage)
        for (index, result) in results.enumerated() {
            var alerting = RunSummary()
            var configProblems: [InputProblem] = []
            while let batch = result.next() {
                guard router.failure == nil else { continue }
                for found in batch {
                    switch found {
                    case .match(let found):
                        stage.handle(found.match, ruleIndices: found.ruleIndices, summary: &alerting)
                    case .configItem(let item):
                        do throws(InputProblem) {
                            try configVisitor.visit(item, summary: &alerting)
                        } catch {
                            configProblems.append(error)
                        }
                    }
                }
            }
            var outcome = result.takeOutcome()
            outcome.addMatchingProblems(configProblems)
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

    /// The reader settings of this run: a large file may be decoded ahead when there is a core to spare.
    private var readerSettings: EventReader.Settings {
        var settings = options.reading
        settings.decodesAhead = options.jobs > 1
        return settings
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
    private var batch: [FoundEvent] = []
    private static let batchSize = 256

    init(into results: FileResults) {
        self.results = results
    }

    func add(_ match: FoundEvent) {
        batch.append(match)
        if batch.count >= Self.batchSize { flush() }
    }

    func flush() {
        guard !batch.isEmpty else { return }
        results.push(batch)
        batch = []
    }
}

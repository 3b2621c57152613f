import Foundation
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

    /// `jobs` threads read and match files (`OrderedParallelRead`); this thread alerts on their
    /// matches in file order.
    private func readInParallel(_ files: [LogSource], jobs: Int, stage: AlertStage, progress: ProgressLine?,
                                summary: inout RunSummary, onProblem: (InputProblem) -> Void) {
        var alerting = RunSummary()
        let read = OrderedParallelRead(files: files, jobs: jobs, settings: readerSettings, s3: options.s3,
                                       patterns: rules.patterns)
        // A sink failed: the run ends. Readers stop at their next refill and drop the rest.
        read.run(handle: { found in
            stage.handle(found.match, ruleIndices: found.ruleIndices, summary: &alerting)
        }, runFinished: { outcome, fileCount in
            for problem in outcome.problems { onProblem(problem) }
            summary.merge(outcome.summary)
            summary.merge(alerting)
            progress?.filesDone(fileCount, decodedBytes: outcome.decodedBytes, alerts: alerting.alerts)
            alerting = RunSummary()
        }, shouldStop: { router.failure != nil })
    }

    /// The reader settings of this run: with cores to spare, a large file may be decoded ahead,
    /// and spread over them when no other file keeps them busy.
    private var readerSettings: EventReader.Settings {
        var settings = options.reading
        settings.decodesAhead = options.jobs > 1
        if options.jobs > 1 { settings.spread = SpreadSettings(helpers: options.jobs) }
        return settings
    }
}

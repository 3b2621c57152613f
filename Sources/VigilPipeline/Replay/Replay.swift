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
public final class Replay {
    public struct Options: Sendable {
        public var paths: [String]
        public var filter = EventFilter()
        public var limits = ReaderLimits()
        /// Show a progress line on stderr (when it is a terminal).
        public var showsProgress = false

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
        let files = listing.files
        if listing.documentation > 0 { summary.filesSkipped["documentation", default: 0] += listing.documentation }
        for problem in listing.problems {
            summary.problems[problem.kind, default: 0] += 1
            onProblem(problem)
        }
        let progress = options.showsProgress ? ProgressLine(totalFiles: files.count) : nil
        var normalizer = EventNormalizer()
        let matcher = EnvelopeMatcher(rules.patterns)
        let alerter = Alerter(rules: rules.rules) { seconds in
            var text: [UInt8] = []
            Timestamps.appendISO8601(Int64(seconds.rounded(.down)), to: &text)
            return text
        }
        for path in files {
            let context = LogFileContext(path: path)
            if let reason = options.filter.reasonToSkip(context) {
                summary.filesSkipped[reason, default: 0] += 1
                progress?.fileDone(decodedBytes: 0)
                continue
            }
            let input: DecodedInput
            do {
                input = try DecodedInput(path: path)
            } catch {
                summary.problems[error.kind, default: 0] += 1
                onProblem(error)
                continue
            }
            var processor = FileProcessor(context: context, filter: options.filter, rules: rules, router: router, alerter: alerter,
                                          normalizer: normalizer, matcher: matcher, progress: progress)
            LogFileReader(input: input, limits: options.limits).read(into: &processor)
            processor.summary.filesRead = 1
            processor.summary.decodedBytes = input.decodedOffset
            for problem in processor.problems { onProblem(problem) }
            summary.merge(processor.summary)
            normalizer = processor.normalizer
            progress?.fileDone(decodedBytes: input.decodedOffset)
            if router.failure != nil { break }
        }
        // Replay ends only when every alert is delivered or dead-lettered (or a sink failed).
        router.finish()
        summary.deliveries = router.deliveryReports
        progress?.finish()
        summary.seconds = MonotonicClock.seconds(since: started)
        return summary
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
        filesDone += 1
        decodedBytes += bytes
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

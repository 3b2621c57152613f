import VigilAlerts
import VigilIngest

/// `vigil hunt`: reads log files, directories and S3 objects once, as a replay does, and hands on
/// every event that matches the query, in file and record order.
///
/// It is the replay's reading with another end: the same `EventReader`, the same
/// `MatchingVisitor` (requiring every pattern of the query), on several threads through
/// `OrderedParallelRead`, and, where a replay alerts, the match is handed to the caller (which
/// formats it, `HuntFormat`). A record AWS delivered twice (the same event identity, as alert ids
/// are made from) is handed on once. With a limit, the reading stops once that many were handed
/// on: readers are cancelled at their next refill, so the files after the last match, and the
/// rest of its own, are not read.
public final class Hunt {
    private let query: HuntQuery
    private let options: Replay.Options
    private let limit: Int?

    /// What a hunt found, besides the matches handed on.
    public struct Outcome: Sendable {
        public var summary = RunSummary()
        /// Matching events handed on.
        public var matches = 0
        /// Matching events not handed on again: the same event identity as one before (a record
        /// delivered twice).
        public var repeats = 0
        /// The limit was reached: what came after the last match handed on was not read.
        public var reachedLimit = false
    }

    /// `options` are a replay's (paths, objects, filter, jobs, progress); `limit` stops the hunt
    /// after that many matches.
    public init(query: HuntQuery, options: Replay.Options, limit: Int? = nil) {
        self.query = query
        self.options = options
        self.limit = limit
    }

    /// Runs the hunt: `onMatch` gets each matching event (valid during the call), `onProblem` each
    /// problem, both in input order, on this thread.
    public func run(onMatch: @escaping (Alerter.Match) -> Void, onProblem: (InputProblem) -> Void) -> Outcome {
        let started = MonotonicClock.now()
        let listing = InputFileList(paths: options.paths, skipping: options.stateDirectory.map { [$0] } ?? [])
        var outcome = Outcome()
        outcome.summary = listing.summary(reportingTo: onProblem)
        for (service, count) in options.objectsOfOtherServices {
            outcome.summary.filesSkipped[InputFileList.otherServiceLabel(service), default: 0] += count
        }
        let files = listing.files.map(LogSource.file) + options.objects.map(LogSource.object)
        let progress = options.showsProgress ? ProgressLine(totalFiles: files.count) : nil
        var shown = SentAlertIDs()
        let cancellation = ReadCancellation()
        let limit = limit ?? .max
        func take(_ match: Alerter.Match) {
            guard outcome.matches < limit else { return }
            let id = match.identity.withUnsafeBytes { AlertWriter.alertID(rule: "hunt", eventIdentity: $0) }
            guard shown.insert(String(decoding: id, as: UTF8.self)) else {
                outcome.repeats += 1
                return
            }
            onMatch(match)
            outcome.matches += 1
            if outcome.matches == limit {
                outcome.reachedLimit = true
                cancellation.cancel()
            }
        }
        let required = query.parts.count
        let jobs = options.objects.isEmpty ? options.jobs : max(options.jobs, options.downloads)
        var settings = options.reading
        settings.decodesAhead = options.jobs > 1
        // With cores to spare, a large file is spread over them when no other file keeps them busy.
        if options.jobs > 1 { settings.spread = SpreadSettings(helpers: options.jobs) }
        if jobs > 1 && files.count > 1 {
            var read = OrderedParallelRead(files: files, jobs: min(jobs, files.count), settings: settings, s3: options.s3,
                                           patterns: query.patterns, minimumMatches: required)
            if limit < read.batchSize { read.batchSize = limit }
            read.run(handle: { take($0.match) }, runFinished: { result, fileCount in
                for problem in result.problems { onProblem(problem) }
                outcome.summary.merge(result.summary)
                progress?.filesDone(fileCount, decodedBytes: result.decodedBytes)
            }, shouldStop: { outcome.reachedLimit })
        } else {
            var reader = EventReader(settings: settings)
            var visitor = MatchingVisitor(matcher: EnvelopeMatcher(query.patterns), progress: progress,
                                          minimumMatches: required) { match, _, _ in
                take(match)
                return 0
            }
            for source in files {
                let result = reader.read(source, s3: options.s3, cancellation: cancellation, progress: progress, into: &visitor)
                for problem in result.problems { onProblem(problem) }
                outcome.summary.merge(result.summary)
                progress?.filesDone(1, decodedBytes: result.decodedBytes)
                if outcome.reachedLimit { break }
            }
        }
        progress?.finish()
        outcome.summary.seconds = MonotonicClock.seconds(since: started)
        return outcome
    }
}

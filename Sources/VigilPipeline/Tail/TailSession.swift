import Foundation
import VigilAWS
import VigilAlerts
import VigilIngest
import VigilPattern

/// The pipeline of a running tail between two failures or reloads: the rules, matcher, alerter
/// and sinks, and the progress of every file, all as of the last commit plus what has been read
/// since.
///
/// A session starts from the state database (`TailState.Snapshot`) and moves it on by commits:
/// it reads files, sends alerts, and every `batchRecords` records or `batchSeconds` (and whenever
/// it runs out of work) flushes the sinks and then saves the progress, the windows, the sent ids
/// and the sinks' checkpoints in one transaction. Should anything fail, the session is dropped
/// whole and a new one starts again from the last commit, so the state in memory never runs
/// ahead of what a crash would leave.
final class TailSession {
    let setup: TailSetup
    private let options: Tail.Options
    private let state: TailState
    private let stage: AlertStage
    private var router: AlertRouter { stage.router }
    private var alerter: Alerter { stage.alerter }
    private let matcher: EnvelopeMatcher
    /// Reads every file and object of the session, its matches going straight to the alert stage.
    private var reader: EventReader
    private var visitor: MatchingVisitor
    /// The last Config item of each resource seen (see `ConfigItemDiffer`).
    private let configItems: ConfigItemMemory
    /// Set by SIGINT or SIGTERM: ends the read in progress.
    let cancellation: ReadCancellation
    private let output: TailOutput
    private let clock: TailClock

    private(set) var files: TrackedFiles
    private var watches = FileWatches()
    private var recordsSinceCommit = 0
    private var batchStarted: Double?
    /// The failure met inside a read, thrown once the reader returns.
    private var failure: TailFailure?
    /// Counters since the tail started, carried from session to session.
    var counters: TailCounters
    /// `--from-now` on a state that knows no file yet: the first start. Later starts read what
    /// arrived while the tail was stopped, whatever the option says.
    private let fromNowApplies: Bool

    /// A session from the last commit in `state`. `clock` is the seam for tests: what the session
    /// decides from time (when a file has settled, when a batch is due) follows it.
    init(setup: TailSetup, options: Tail.Options, state: TailState, cancellation: ReadCancellation,
         counters: TailCounters, output: TailOutput, clock: TailClock = .system) throws(TailFailure) {
        self.setup = setup
        self.options = options
        self.state = state
        self.cancellation = cancellation
        self.counters = counters
        self.output = output
        self.clock = clock
        let snapshot: TailState.Snapshot
        do {
            snapshot = try state.load()
        } catch {
            throw TailFailure(description: error.description)
        }
        do {
            stage = AlertStage(rules: setup.rules, router: try setup.makeRouter(snapshot.checkpoints, snapshot.sentAlerts))
        } catch {
            throw TailFailure(description: error.description)
        }
        matcher = EnvelopeMatcher(setup.rules.patterns)
        reader = EventReader(settings: options.reading)
        // Config items are diffed against the last item of their resource this tail has seen,
        // kept across restarts in the state database.
        configItems = ConfigItemMemory(notesChanges: true)
        for (key, item) in snapshot.configItems { configItems.remember(item, of: key) }
        _ = configItems.takeChanges()
        visitor = MatchingVisitor(matcher: matcher, stage: stage, configItems: .inOrder(configItems))
        fromNowApplies = options.fromNow && snapshot.files.isEmpty
        files = TrackedFiles(committed: snapshot.files)
        stage.alerter.restoreWindows(snapshot.windows)
        // Every file sink's position is saved before anything is read: a sink new to this state
        // (or given a new path) then has a checkpoint from its first alert on, and one resumed
        // after a crash keeps, in its checkpoint, the repeats it still expects.
        router.flush()
        if let failure = router.failure { throw TailFailure(description: failure.description) }
        do {
            try state.commit(TailState.Commit(checkpoints: router.checkpoints))
        } catch {
            throw TailFailure(description: error.description)
        }
    }

    // MARK: - Looking at files

    /// Looks at `path` and reads what is new in it. `firstLook`: the tail's first scan, where
    /// `--from-now` applies to files it has never seen.
    func examine(_ path: String, firstLook: Bool = false) throws(TailFailure) {
        let now = clock.monotonic()
        // Most files of a scan were read to the end and have not changed: `stat` says so without
        // opening them (a poll of 10,000 files then costs 10,000 stats and nothing more).
        if let glance = FileObservation.glance(path), files.identity(at: path) == glance.identity,
           let known = files[glance.identity], known.path == path, known.isComplete,
           known.isUnchanged(size: glance.size, modified: glance.modified) {
            return
        }
        switch FileObservation.observe(path) {
        case .missing:
            files.setIdentity(nil, at: path)
            watches[path] = nil
        case .notRegularFile:
            return
        case .unreadable(let reason):
            reportOnce(InputProblem(.unreadable, path: path, reason: reason), for: path)
        case .file(let observation):
            try examine(path, observation, now: now, firstLook: firstLook)
        }
        if let failure { throw failure }
    }

    private func examine(_ path: String, _ observation: FileObservation, now: Double, firstLook: Bool) throws(TailFailure) {
        let identity = observation.identity
        var watch = watches[path] ?? FileWatch()
        if watch.observedSize != observation.size || watch.observedModified != observation.modified {
            watch.observedSize = observation.size
            watch.observedModified = observation.modified
            watch.lastChange = now
            watch.reportedProblem = nil
        }
        defer { watches[path] = watch }

        var file: TrackedFile
        if let known = files[identity], observation.continues(fingerprint: known.fingerprint), observation.size >= known.size {
            file = known
            if known.path != path {
                // Renamed (a sync tool's temporary name, moved into place): the same file, read once.
                if files.identity(at: known.path) == identity { files.setIdentity(nil, at: known.path) }
                file.path = path
                store(file)
            }
            files.setIdentity(identity, at: path)
            if file.isComplete && file.isUnchanged(size: observation.size, modified: observation.modified) {
                watch.recheckAt = nil
                return
            }
        } else {
            if let known = files[identity] {
                output.notice("\(path): replaced or truncated since it was read (was \(known.size) bytes, now \(observation.size)); reading it from the start")
                forget(identity)
            }
            if let previous = files.identity(at: path), previous != identity, files[previous]?.path == path {
                // Another file took this name (replaced by rename): the old one is gone.
                forget(previous)
            }
            file = TrackedFile(observation: observation, path: path)
            files.setIdentity(identity, at: path)
            if fromNowApplies && firstLook {
                // Already there when `--from-now` started: not to alert on, unless it grows.
                file.size = observation.size
                file.modified = observation.modified
                file.isComplete = true
                file.baselineSize = observation.size
                store(file)
                return
            }
        }
        if now < watch.notBefore {
            watch.recheckAt = watch.notBefore
            return
        }
        let unchangedFor = max(now - watch.lastChange, clock.wall() - observation.modified)
        let settled = unchangedFor >= options.settleTime
        let started = clock.monotonic()
        let endedEarly = try read(&file, observation, provisional: !settled, watch: &watch)
        if endedEarly {
            let elapsed = clock.monotonic() - started
            watch.notBefore = now + min(options.settleTime, max(0.25, 2 * elapsed))
            watch.recheckAt = max(watch.lastChange + options.settleTime, watch.notBefore)
        } else {
            watch.notBefore = 0
            watch.recheckAt = nil
        }
    }

    /// Reads `file` from its resume point. Returns whether its end is unfinished (provisional
    /// reading held the last record back, or the read was cancelled).
    private func read(_ file: inout TrackedFile, _ observation: FileObservation, provisional: Bool,
                      watch: inout FileWatch) throws(TailFailure) -> Bool {
        let context = LogFileContext(path: file.path)
        if reader.reasonToSkip(context) != nil {
            // Outside --from/--to, --account or --region by its S3 key: nothing to read in it.
            file.size = observation.size
            file.modified = observation.modified
            file.fingerprint = observation.fingerprint
            file.isComplete = true
            store(file)
            return false
        }
        if let baseline = file.baselineSize {
            guard let count = countRecords(file.path, storedLimit: baseline, watch: &watch) else { return false }
            file.records = count
            file.baselineSize = nil
        }
        let input: DecodedInput
        do {
            input = try DecodedInput(path: file.path)
        } catch {
            // Renamed or deleted since it was looked at: it is seen again under its new name.
            if case .missing = FileObservation.observe(file.path) { return false }
            reportOnce(error, for: file.path, watch: &watch)
            return false
        }
        var continuation = EventReader.Continuation()
        continuation.firstOrdinal = file.records
        continuation.endIsProvisional = provisional
        let identity = file.identity
        var progress = file
        continuation.afterRecord = { [unowned self] next in
            progress.records = next
            return self.recordHandled(progress)
        }
        let outcome = reader.read(input, context: context, continuation: continuation, cancellation: cancellation,
                                  into: &visitor)
        counters.add(outcome.summary)
        options.metrics?.read(outcome.summary, source: "file")
        for problem in outcome.problems { output.problem(problem) }
        if let failure { throw failure }
        // What a mid-file commit stored is the base; the reader's count covers the records
        // after the last one handled (bad records, skipped ones) as well.
        file = files[identity] ?? file
        file.records = outcome.wasCancelled ? max(file.records, outcome.nextOrdinal) : max(file.records, outcome.recordsRead)
        file.decodedOffset = input.decodedOffset
        // What was read is what counts: a file that grew between the look and the read was read
        // further than the look saw, and its size and first bytes must say so, or a later
        // rewrite to a size in between would pass for growth and its records be skipped.
        file.size = input.fileOffset
        file.modified = observation.modified
        file.fingerprint = observation.fingerprint
        if file.fingerprint.count < min(FileIdentity.fingerprintLength, file.size),
           case .file(let again) = FileObservation.observe(file.path), again.identity == file.identity {
            file.fingerprint = Array(again.fingerprint.prefix(file.size))
        }
        file.isComplete = !outcome.endedEarly && !outcome.wasCancelled
        store(file)
        return !file.isComplete
    }

    /// With `--from-now`: how many records the first `storedLimit` bytes of `path` hold, the
    /// ones that were there when the tail started. nil when the file cannot be read now.
    private func countRecords(_ path: String, storedLimit: Int, watch: inout FileWatch) -> Int? {
        let input: DecodedInput
        do {
            input = try DecodedInput(path: path, storedLimit: storedLimit)
        } catch {
            reportOnce(error, for: path, watch: &watch)
            return nil
        }
        let reader = LogFileReader(input: input, limits: options.reading.limits, endIsProvisional: true)
        var counter = RecordCounter()
        reader.read(into: &counter)
        return reader.recordsRead
    }

    /// After each record: counts it towards the batch, and commits when the batch is due.
    /// Returns false when the rest of the file must be left (a stop, or a failed commit).
    private func recordHandled(_ progress: TrackedFile) -> Bool {
        recordsSinceCommit += 1
        if batchStarted == nil { batchStarted = clock.monotonic() }
        guard recordsSinceCommit >= options.batchRecords || recordsSinceCommit % 1024 == 0 && isBatchDue else {
            return failure == nil
        }
        var file = progress
        file.isComplete = false
        store(file)
        do {
            try commit()
        } catch {
            failure = error
            return false
        }
        output.tick(self)
        return true
    }

    private var isBatchDue: Bool {
        guard let batchStarted else { return false }
        return clock.monotonic() - batchStarted >= options.batchSeconds
    }

    // MARK: - Objects announced on an SQS queue

    /// Reads an object a queue message announced, holding its matches instead of alerting: a
    /// message's alerts are sent only once all its objects are read (see `QueueMessageReading`).
    func readHeld(_ input: DecodedInput, context: LogFileContext) -> (matches: [FoundMatch], outcome: InputOutcome) {
        var held: [FoundMatch] = []
        var holding = MatchingVisitor(matcher: matcher, configItems: .inOrder(configItems)) { match, ruleIndices, _ in
            held.append(FoundMatch(match: match, ruleIndices: ruleIndices))
            return 0
        }
        let outcome = reader.read(input, context: context, cancellation: cancellation, into: &holding)
        return (held, outcome)
    }

    /// Why an object need not be read at all (outside the filter by its key), or nil.
    func reasonToSkip(_ context: LogFileContext) -> String? { reader.reasonToSkip(context) }

    /// Sends the alerts of matches held while a message was read, and counts what reading it came to.
    func alert(_ held: [FoundMatch], of outcome: InputOutcome, source: String) {
        var alerting = outcome.summary
        for found in held {
            stage.handle(found.match, ruleIndices: found.ruleIndices, summary: &alerting)
        }
        counters.add(alerting)
        options.metrics?.read(alerting, source: source)
        for problem in outcome.problems { output.problem(problem) }
        recordsSinceCommit += 1
    }

    // MARK: - Bookkeeping

    private func store(_ file: TrackedFile) { files.store(file) }

    private func forget(_ identity: FileIdentity) { files.forget(identity) }

    /// Forgets the files not seen in a full scan of the directories in `present` (files under a
    /// directory that is missing for now are kept: it may come back, and its files with it).
    func forgetFiles(notIn seen: Set<FileIdentity>, under present: [String]) {
        for (identity, file) in files.byIdentity where !seen.contains(identity) {
            guard present.contains(where: { DirectoryPaths.path(file.path, isUnder: $0) }) else { continue }
            watches[file.path] = nil
            forget(identity)
        }
    }

    /// The identity last seen at `path`.
    func identity(at path: String) -> FileIdentity? { files.identity(at: path) }

    private func reportOnce(_ problem: InputProblem, for path: String) {
        var watch = watches[path] ?? FileWatch()
        reportOnce(problem, for: path, watch: &watch)
        watches[path] = watch
    }

    private func reportOnce(_ problem: InputProblem, for path: String, watch: inout FileWatch) {
        guard watch.reportOnce(problem) else { return }
        counters.problems += 1
        output.problem(problem)
    }

    // MARK: - Timers and status

    /// The earliest time (monotonic) a file must be looked at again without being told.
    var nextRecheck: Double? { watches.nextRecheck }

    /// Paths whose recheck time has come.
    func pathsDue(at now: Double) -> [String] { watches.pathsDue(at: now) }

    /// Files whose last record is still being written.
    var filesWaiting: Int { watches.filesWaiting }

    /// Seconds since the oldest change not yet read completely (0 when caught up).
    func lag(at now: Double) -> Double { watches.lag(at: now) }

    /// Prometheus metrics, with `--metrics-listen`.
    var metrics: PipelineMetrics? { options.metrics }

    /// What each webhook sink has done in this session.
    var deliveryReports: [DeliveryReport] { router.deliveryReports }

    /// Webhook alerts waiting in the spool.
    var spoolDepth: Int { state.spoolDepth() }

    // MARK: - Committing

    /// Flushes the sinks, then saves everything changed since the last commit in one
    /// transaction, with `status` when given.
    func commit(status: TailStatus? = nil) throws(TailFailure) {
        router.flush()
        if let failure = router.failure { throw TailFailure(description: failure.description) }
        var commit = TailState.Commit()
        (commit.files, commit.forgotten) = files.changes
        commit.windows = alerter.takeWindowChanges()
        commit.sentAlerts = router.takeNewlySent()
        commit.checkpoints = router.checkpoints
        commit.status = status
        commit.configItems = configItems.takeChanges()
        recordsSinceCommit = 0
        batchStarted = nil
        guard !commit.isEmpty else { return }
        do {
            try state.commit(commit)
        } catch {
            throw TailFailure(description: error.description)
        }
        files.markCommitted()
    }

    /// Whether anything awaits a commit.
    var hasUncommittedWork: Bool { files.hasChanges || recordsSinceCommit > 0 }
}

/// Counts the records of a file without looking at them (`--from-now`'s baseline).
private struct RecordCounter: RecordVisitor {
    mutating func visit(_ record: LogRecord) {}
    mutating func report(_ problem: InputProblem) {}
    mutating func skip(_ reason: SkipReason) {}
}

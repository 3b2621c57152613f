import Foundation
import VigilAWS
import VigilAlerts
import VigilIngest
import VigilPattern

/// Why a session cannot go on: a sink failed, or the state database could not be written.
struct TailFailure: Error, CustomStringConvertible {
    let description: String
}

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
    /// What the tail keeps per file while it runs, beside the durable `TrackedFile`.
    private struct Watch {
        /// Size and modification time at the last look, and when (monotonic) they last changed.
        var observedSize = -1
        var observedModified = -1.0
        var lastChange = 0.0
        /// Not to be read again before this (monotonic): a file being written slowly is read at
        /// most about twice as often as reading it takes.
        var notBefore = 0.0
        /// When to look again without being told (monotonic): the end of the settle time of a
        /// file whose last record is unfinished, or the end of `notBefore`.
        var recheckAt: Double?
        /// The last problem reported for the file as it stood, so a file that cannot be opened is
        /// not reported again until it changes.
        var reportedProblem: String?
    }

    let setup: TailSetup
    private let options: Tail.Options
    private let state: TailState
    private let stage: AlertStage
    private var router: AlertRouter { stage.router }
    private var alerter: Alerter { stage.alerter }
    private let matcher: EnvelopeMatcher
    private var normalizer = EventNormalizer()
    private let cancellation: ReadCancellation
    private let output: TailOutput

    private(set) var files: [FileIdentity: TrackedFile] = [:]
    private var identityByPath: [String: FileIdentity] = [:]
    private var watches: [String: Watch] = [:]
    /// Files changed since the last commit, and files forgotten.
    private var changed: Set<FileIdentity> = []
    private var forgotten: Set<FileIdentity> = []
    private var recordsSinceCommit = 0
    private var batchStarted: Double?
    /// The failure met inside a read, thrown once the reader returns.
    private var failure: TailFailure?
    /// Counters since the tail started, carried from session to session.
    var counters: TailCounters
    /// `--from-now` on a state that knows no file yet: the first start. Later starts read what
    /// arrived while the tail was stopped, whatever the option says.
    private let fromNowApplies: Bool

    init(setup: TailSetup, options: Tail.Options, state: TailState, cancellation: ReadCancellation,
         counters: TailCounters, output: TailOutput) throws(TailFailure) {
        self.setup = setup
        self.options = options
        self.state = state
        self.cancellation = cancellation
        self.counters = counters
        self.output = output
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
        fromNowApplies = options.fromNow && snapshot.files.isEmpty
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
        for file in snapshot.files {
            files[file.identity] = file
            identityByPath[file.path] = file.identity
        }
    }

    // MARK: - Looking at files

    /// Looks at `path` and reads what is new in it. `firstLook`: the tail's first scan, where
    /// `--from-now` applies to files it has never seen.
    func examine(_ path: String, firstLook: Bool = false) throws(TailFailure) {
        let now = MonotonicClock.now()
        // Most files of a scan were read to the end and have not changed: `stat` says so without
        // opening them (a poll of 10,000 files then costs 10,000 stats and nothing more).
        if let glance = FileObservation.glance(path), identityByPath[path] == glance.identity,
           let known = files[glance.identity], known.path == path, known.isComplete,
           known.isUnchanged(size: glance.size, modified: glance.modified) {
            return
        }
        switch FileObservation.observe(path) {
        case .missing:
            identityByPath[path] = nil
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
        var watch = watches[path] ?? Watch()
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
                if identityByPath[known.path] == identity { identityByPath[known.path] = nil }
                file.path = path
                store(file)
            }
            identityByPath[path] = identity
            if file.isComplete && file.isUnchanged(size: observation.size, modified: observation.modified) {
                watch.recheckAt = nil
                return
            }
        } else {
            if let known = files[identity] {
                output.notice("\(path): replaced or truncated since it was read (was \(known.size) bytes, now \(observation.size)); reading it from the start")
                forget(identity)
            }
            if let previous = identityByPath[path], previous != identity, files[previous]?.path == path {
                // Another file took this name (replaced by rename): the old one is gone.
                forget(previous)
            }
            file = TrackedFile(observation: observation, path: path)
            identityByPath[path] = identity
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
        let unchangedFor = max(now - watch.lastChange, Date().timeIntervalSince1970 - observation.modified)
        let settled = unchangedFor >= options.settleTime
        let started = MonotonicClock.now()
        let endedEarly = try read(&file, observation, provisional: !settled, watch: &watch)
        if endedEarly {
            let elapsed = MonotonicClock.now() - started
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
                      watch: inout Watch) throws(TailFailure) -> Bool {
        let context = LogFileContext(path: file.path)
        if options.filter.reasonToSkip(context) != nil {
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
        let reader = LogFileReader(input: input, limits: options.limits, endIsProvisional: provisional,
                                   cancellation: cancellation)
        let stage = stage
        var processor = FileProcessor(context: context, filter: options.filter, normalizer: normalizer, matcher: matcher) {
            match, ruleIndices, summary in stage.handle(match, ruleIndices: ruleIndices, summary: &summary)
        }
        processor.resumeOrdinal = file.records
        let identity = file.identity
        var progress = file
        processor.afterRecord = { [unowned self] next in
            progress.records = next
            return self.recordHandled(progress)
        }
        reader.read(into: &processor)
        normalizer = processor.normalizer
        counters.add(processor.summary)
        options.metrics?.read(processor.summary, source: "file")
        for problem in processor.problems { output.problem(problem) }
        if let failure { throw failure }
        // What a mid-file commit stored is the base; the reader's count covers the records
        // after the last one handled (bad records, skipped ones) as well.
        file = files[identity] ?? file
        file.records = reader.wasCancelled ? max(file.records, processor.nextOrdinal) : max(file.records, reader.recordsRead)
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
        file.isComplete = !reader.endedEarly && !reader.wasCancelled
        store(file)
        return !file.isComplete
    }

    /// With `--from-now`: how many records the first `storedLimit` bytes of `path` hold, the
    /// ones that were there when the tail started. nil when the file cannot be read now.
    private func countRecords(_ path: String, storedLimit: Int, watch: inout Watch) -> Int? {
        let input: DecodedInput
        do {
            input = try DecodedInput(path: path, storedLimit: storedLimit)
        } catch {
            reportOnce(error, for: path, watch: &watch)
            return nil
        }
        let reader = LogFileReader(input: input, limits: options.limits, endIsProvisional: true)
        var counter = RecordCounter()
        reader.read(into: &counter)
        return reader.recordsRead
    }

    /// After each record: counts it towards the batch, and commits when the batch is due.
    /// Returns false when the rest of the file must be left (a stop, or a failed commit).
    private func recordHandled(_ progress: TrackedFile) -> Bool {
        recordsSinceCommit += 1
        if batchStarted == nil { batchStarted = MonotonicClock.now() }
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
        return MonotonicClock.now() - batchStarted >= options.batchSeconds
    }

    // MARK: - Objects announced on an SQS queue

    /// Reads the objects a queue message announces, sends their alerts, commits, and only then
    /// deletes the message: a crash at any point before leaves the message in the queue, to be
    /// received again (by this instance or another) once its visibility timeout runs out.
    ///
    /// An object's matches are held until the whole message has been read, so a process killed
    /// while reading a large object has sent none of its alerts, and the consumer that reads it
    /// again sends each once. A message whose object cannot be downloaded is released, with the
    /// error and how often the queue has handed it out, and comes back after its visibility
    /// timeout; the queue's redrive policy ends one that keeps failing. Test events and
    /// notifications of other changes are deleted.
    func process(_ message: SQSMessage, from consumer: SQSConsumer, s3: S3Client) throws(TailFailure) {
        let objects: [S3ObjectReference]
        switch S3EventNotification.parse(message.body) {
        case .testEvent, .ignored:
            deleteMessage(message, from: consumer)
            return
        case .notAnS3Notification(let reason):
            output.notice("SQS message \(message.messageID) (received \(message.receiveCount) times) is not an S3 notification: "
                + "\(reason); it is left to the queue's redrive policy")
            consumer.release(message)
            return
        case .objects(let announced):
            objects = announced
        }
        var found: [FoundMatch] = []
        var outcome = FileOutcome()
        var readOptions = Replay.Options(paths: [])
        readOptions.filter = options.filter
        readOptions.limits = options.limits
        for object in objects {
            let context = LogFileContext(path: object.url)
            if let reason = readOptions.filter.reasonToSkip(context) {
                outcome.summary.filesSkipped[reason, default: 0] += 1
                continue
            }
            let bytes: S3ObjectBytes
            do {
                bytes = try S3ObjectBytes(downloading: object, from: s3, isCancelled: { [cancellation] in cancellation.isCancelled })
            } catch {
                options.metrics?.metrics.s3Object(.failed)
                if !cancellation.isCancelled {
                    output.notice("SQS message \(message.messageID) (received \(message.receiveCount) times): \(error.message); "
                        + "it is read again after the queue's visibility timeout")
                }
                consumer.release(message)
                return
            }
            outcome.add(Replay.read(bytes.decodedInput(), context: context, options: readOptions, normalizer: &normalizer, matcher: matcher,
                                    cancellation: cancellation) { match, ruleIndices, _ in
                found.append(FoundMatch(match: match, ruleIndices: ruleIndices))
                return 0
            })
            if let failure = bytes.transferFailure, !cancellation.isCancelled {
                options.metrics?.metrics.s3Object(.failed)
                output.notice("SQS message \(message.messageID) (received \(message.receiveCount) times): the download of "
                    + "\(object.url) broke off (\(failure)); it is read again after the queue's visibility timeout")
                consumer.release(message)
                return
            }
            if outcome.wasCancelled || cancellation.isCancelled {
                // Stopping: back to the queue at once, for another instance.
                consumer.returnToQueue(message)
                return
            }
        }
        var alerting = outcome.summary
        for match in found {
            stage.handle(match.match, ruleIndices: match.ruleIndices, summary: &alerting)
        }
        counters.add(alerting)
        options.metrics?.read(alerting, source: "sqs")
        for _ in objects { options.metrics?.metrics.s3Object(.processed) }
        for problem in outcome.problems { output.problem(problem) }
        recordsSinceCommit += 1
        try commit()
        deleteMessage(message, from: consumer)
    }

    private func deleteMessage(_ message: SQSMessage, from consumer: SQSConsumer) {
        do {
            try consumer.delete(message)
        } catch {
            // It comes back; its alerts are remembered as sent, so this instance does not send them again.
            output.notice("SQS message \(message.messageID) could not be deleted: \(error.message)")
        }
    }

    // MARK: - Bookkeeping

    private func store(_ file: TrackedFile) {
        files[file.identity] = file
        changed.insert(file.identity)
        forgotten.remove(file.identity)
    }

    private func forget(_ identity: FileIdentity) {
        guard let file = files.removeValue(forKey: identity) else { return }
        if identityByPath[file.path] == identity { identityByPath[file.path] = nil }
        changed.remove(identity)
        forgotten.insert(identity)
    }

    /// Forgets the files not seen in a full scan of the directories in `present` (files under a
    /// directory that is missing for now are kept: it may come back, and its files with it).
    func forgetFiles(notIn seen: Set<FileIdentity>, under present: [String]) {
        for (identity, file) in files where !seen.contains(identity) {
            guard present.contains(where: { Tail.path(file.path, isUnder: $0) }) else { continue }
            watches[file.path] = nil
            forget(identity)
        }
    }

    /// The identity last seen at `path`.
    func identity(at path: String) -> FileIdentity? { identityByPath[path] }

    private func reportOnce(_ problem: InputProblem, for path: String) {
        var watch = watches[path] ?? Watch()
        reportOnce(problem, for: path, watch: &watch)
        watches[path] = watch
    }

    private func reportOnce(_ problem: InputProblem, for path: String, watch: inout Watch) {
        guard watch.reportedProblem != problem.reason else { return }
        watch.reportedProblem = problem.reason
        counters.problems += 1
        output.problem(problem)
    }

    // MARK: - Timers and status

    /// The earliest time (monotonic) a file must be looked at again without being told.
    var nextRecheck: Double? {
        watches.values.lazy.compactMap(\.recheckAt).min()
    }

    /// Paths whose recheck time has come.
    func pathsDue(at now: Double) -> [String] {
        watches.filter { ($0.value.recheckAt ?? .infinity) <= now }.map(\.key).sorted()
    }

    /// Files whose last record is still being written.
    var filesWaiting: Int {
        watches.values.filter { $0.recheckAt != nil }.count
    }

    /// Seconds since the oldest change not yet read completely (0 when caught up).
    func lag(at now: Double) -> Double {
        let oldest = watches.values.lazy.filter { $0.recheckAt != nil }.map(\.lastChange).min()
        return oldest.map { max(0, now - $0) } ?? 0
    }

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
        commit.files = changed.compactMap { files[$0] }
        commit.forgotten = Array(forgotten)
        commit.windows = alerter.takeWindowChanges()
        commit.sentAlerts = router.takeNewlySent()
        commit.checkpoints = router.checkpoints
        commit.status = status
        recordsSinceCommit = 0
        batchStarted = nil
        guard !commit.isEmpty else { return }
        do {
            try state.commit(commit)
        } catch {
            throw TailFailure(description: error.description)
        }
        changed.removeAll(keepingCapacity: true)
        forgotten.removeAll(keepingCapacity: true)
    }

    /// Whether anything awaits a commit.
    var hasUncommittedWork: Bool { !changed.isEmpty || !forgotten.isEmpty || recordsSinceCommit > 0 }
}

/// Counts the records of a file without looking at them (`--from-now`'s baseline).
private struct RecordCounter: RecordVisitor {
    mutating func visit(_ record: LogRecord) {}
    mutating func report(_ problem: InputProblem) {}
    mutating func skip(_ reason: SkipReason) {}
}

/// Counters of a tail since it started.
struct TailCounters {
    var records = 0
    var events = 0
    var alerts = 0
    var problems = 0

    mutating func add(_ summary: ReplaySummary) {
        records += summary.records
        events += summary.events
        alerts += summary.alerts
        problems += summary.problemCount
    }
}

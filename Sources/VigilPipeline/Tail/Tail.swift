import Foundation
import VigilAWS
import VigilAlerts
import VigilIngest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `vigil tail`: reads what is in the log directories, then follows them as a sync job fills
/// them, until SIGINT or SIGTERM.
///
/// One loop on one thread: it waits for inotify (or a poll interval), a signal, or a timer; looks
/// at the files that changed; reads what is new in them through a `TailSession`; and commits.
/// Everything that must survive a crash is in the state database and moves only after the sinks
/// have taken the alerts (see `TailSession`). A failure (a sink that cannot write, a full disk, a
/// state database that cannot be written) drops the session, is reported, and a new session
/// starts from the last commit after a delay that doubles up to a minute; the records of the
/// lost batch are read again, and their alerts are not written twice.
public final class Tail {
    public struct Options: Sendable {
        /// The directories to watch, recursively.
        public var directories: [String]
        /// Which files under them to read.
        public var pathFilter = PathFilter()
        /// Which events to match, and the reader's limits.
        public var reading = EventReader.Settings()
        /// Files there at the first start are not alerted on, only what is added to them and after.
        public var fromNow = false
        /// Look for changes every `pollInterval` instead of with inotify (network file systems).
        public var polls = false
        public var pollInterval = 2.0
        /// How long a file whose last record is unfinished must stay unchanged before it is read
        /// as it is, and what is wrong with it reported.
        public var settleTime = 10.0
        /// Seconds between health lines on stderr (0: none).
        public var healthInterval = 60.0
        /// With inotify: seconds between full scans that catch anything the events missed.
        public var rescanInterval = 300.0
        /// A commit after this many records, or this many seconds of reading, at the latest.
        public var batchRecords = 20_000
        public var batchSeconds = 1.0
        /// An SQS queue of S3 notifications to consume beside (or instead of) the directories.
        public var queue: QueueInput?
        /// Vigil's state directory: never read as input, wherever it lies.
        public var stateDirectory: String?
        /// Prometheus metrics and health, for `--metrics-listen`.
        public var metrics: PipelineMetrics?

        public init(directories: [String]) {
            self.directories = directories
        }
    }

    private let options: Options
    private let state: TailState
    private let load: () -> TailSetup?
    private let output: TailOutput
    private let health: (String) -> Void
    private let signals: TailSignals
    /// Made by `run()`.
    private var directories: WatchedDirectories!
    private var setup: TailSetup
    private var session: TailSession?
    private var counters = TailCounters()
    private var status = TailStatus()

    /// Consumes `options.queue`, when given; started by `run()`.
    private var feed: QueueFeed?
    private var rulesSignature: [String: String] = [:]

    private var retryAt = 0.0
    private var retryDelay = 1.0
    private var nextRulesCheck = 0.0
    private var nextHealth = 0.0
    private var lastHealth = 0.0
    private var recordsAtLastHealth = 0

    /// A tail with `options`, keeping its state in `database`. `setup` is the first rule set and
    /// sinks; `reload` makes them again (from SIGHUP or a changed rule or configuration file) and
    /// returns nil, having printed why, when the new ones are invalid. Problems with input go to
    /// `onProblem`, notices to `onNotice`, health lines to `onHealth`.
    public init(options: Options, database: StateDatabase, setup: TailSetup, signals: TailSignals,
                reload: @escaping () -> TailSetup?,
                onProblem: @escaping (InputProblem) -> Void, onNotice: @escaping (String) -> Void,
                onHealth: @escaping (String) -> Void) throws(StateError) {
        self.options = options
        self.signals = signals
        state = try TailState(database: database)
        self.setup = setup
        load = reload
        output = TailOutput(onProblem: onProblem, onNotice: onNotice)
        health = onHealth
        status.processID = getpid()
        status.startedAt = Date().timeIntervalSince1970
        status.directories = options.directories
    }

    /// Runs until SIGINT or SIGTERM; returns the exit status: 0 when everything read was
    /// committed, 1 when the last commit failed (what it held is read again next time).
    public func run() -> Int32 {
        directories = WatchedDirectories(options: options, output: output, now: MonotonicClock.now())
        output.onTick = { [unowned self] session in
            self.options.metrics?.health.progress()
            self.healthIfDue(session)
        }
        if let input = options.queue {
            let feed = QueueFeed(input)
            do {
                output.notice(try feed.start())
            } catch {
                output.notice("cannot consume \(input.queue.queueURL): \(error.message)")
                return 2
            }
            self.feed = feed
        }
        rulesSignature = FileSignature.of(setup.watchedFiles)
        let start = MonotonicClock.now()
        nextHealth = start + options.healthInterval
        lastHealth = start
        nextRulesCheck = start + 2

        while !signals.isStopping {
            step()
            waitForWork()
        }
        return stop()
    }

    // MARK: - One turn of the loop

    private func step() {
        let now = MonotonicClock.now()
        if session == nil && now >= retryAt { startSession() }
        if signals.takeReloadRequest() {
            reload(because: "SIGHUP")
        } else if now >= nextRulesCheck {
            nextRulesCheck = now + 2
            if FileSignature.of(setup.watchedFiles) != rulesSignature { reload(because: "a rule or configuration file changed") }
        }
        guard let session else { return }
        do throws(TailFailure) {
            try directories.readChanges(in: session, now: now, isStopping: { signals.isStopping }) { status.filesBacklog = $0 }
            try feed?.readReady(in: session, output: output, isStopping: { signals.isStopping })
            if session.hasUncommittedWork { try session.commit(status: currentStatus()) }
            retryDelay = 1
            status.lastError = nil
            status.state = .running
            options.metrics?.health.recovered(component: "pipeline")
        } catch {
            fail(error)
        }
        updateMetrics()
        healthIfDue(session)
    }

    /// Gauges and delivery counters, once per turn of the loop (at least every two seconds).
    private func updateMetrics() {
        guard let metrics = options.metrics else { return }
        metrics.health.progress()
        metrics.metrics.progressMade()
        if let session {
            let queueLag = feed?.consumer.lag() ?? 0
            metrics.metrics.setProcessingLag(seconds: max(session.lag(at: MonotonicClock.now()), queueLag))
            metrics.deliveries(session.deliveryReports)
        }
        metrics.metrics.setSpoolDepth(state.spoolDepth())
        if let feed { metrics.metrics.setSQSMessagesInFlight(feed.consumer.inFlight) }
    }

    private func startSession() {
        do throws(TailFailure) {
            session = try TailSession(setup: setup, options: options, state: state, cancellation: signals.stop,
                                      counters: counters, output: output)
            options.metrics?.rulesLoaded(setup.rules)
            feed?.resume()
            directories.sessionStarted()
        } catch {
            fail(error)
        }
    }

    /// Drops the session after a failure; a new one starts from the last commit after a delay.
    private func fail(_ failure: TailFailure) {
        if let session { counters = session.counters }
        session = nil
        // Messages are not held while this instance cannot read them: another instance may.
        feed?.pause()
        let delay = retryDelay
        retryDelay = min(retryDelay * 2, 60)
        retryAt = MonotonicClock.now() + delay
        status.state = .retrying
        status.lastError = failure.description
        options.metrics?.health.failing(component: "pipeline", reason: failure.description)
        output.notice("\(failure.description) Reading again from the last commit in \(Int(delay)) s.")
        // The status cannot go through the failed session; write it on its own if the database lets us.
        try? state.commit(TailState.Commit(status: currentStatus()))
    }

    private func reload(because reason: String) {
        let watched = setup.watchedFiles
        guard let newSetup = load() else {
            output.notice("\(reason): the new rules or configuration are refused (see above); \(setup.rules.rules.count) rules keep running")
            rulesSignature = FileSignature.of(watched)
            return
        }
        if let session {
            do throws(TailFailure) {
                try session.commit()
            } catch {
                fail(error)
            }
            counters = session.counters
        }
        // The old sinks close (flushing) before the new ones open the same files.
        session = nil
        setup = newSetup
        rulesSignature = FileSignature.of(newSetup.watchedFiles)
        output.notice("\(reason): reloaded, \(newSetup.rules.rules.count) rules")
        retryAt = 0
        startSession()
    }

    // MARK: - Waiting

    /// Waits for inotify, a signal, or the next timer.
    private func waitForWork() {
        guard !signals.isStopping else { return }
        let now = MonotonicClock.now()
        var deadline = nextRulesCheck
        if options.healthInterval > 0 { deadline = min(deadline, nextHealth) }
        if session == nil { deadline = min(deadline, retryAt) }
        deadline = min(deadline, directories.deadline(now: now, session: session))
        let timeout = Int32(max(0, min(deadline - now, 3600)) * 1000 + 0.5)
        var descriptors = [pollfd(fd: signals.wakeDescriptor, events: Int16(POLLIN), revents: 0)]
        if let watched = directories.descriptor { descriptors.append(pollfd(fd: watched, events: Int16(POLLIN), revents: 0)) }
        if let feed, session != nil {
            descriptors.append(pollfd(fd: feed.consumer.wakeDescriptor, events: Int16(POLLIN), revents: 0))
        }
        _ = poll(&descriptors, nfds_t(descriptors.count), timeout)
        signals.drainWakeups()
    }

    // MARK: - Health and status

    private func currentStatus() -> TailStatus {
        var current = status
        let now = MonotonicClock.now()
        current.updatedAt = Date().timeIntervalSince1970
        let counts = session?.counters ?? counters
        current.records = counts.records
        current.events = counts.events
        current.alerts = counts.alerts
        current.problems = counts.problems
        if let session {
            current.files = session.files.count
            current.filesWaiting = session.filesWaiting
            current.lagSeconds = session.lag(at: now)
        }
        current.spoolDepth = state.spoolDepth()
        return current
    }

    /// Prints the health line and saves the status when the interval has passed.
    private func healthIfDue(_ session: TailSession?) {
        guard options.healthInterval > 0 else { return }
        let now = MonotonicClock.now()
        guard now >= nextHealth else { return }
        nextHealth = now + options.healthInterval
        var current = currentStatus()
        current.recordsPerSecond = Double(current.records - recordsAtLastHealth) / max(now - lastHealth, 0.001)
        recordsAtLastHealth = current.records
        lastHealth = now
        status.recordsPerSecond = current.recordsPerSecond
        health(current.healthLine)
        if let session {
            do throws(TailFailure) { try session.commit(status: current) } catch { fail(error) }
        } else {
            try? state.commit(TailState.Commit(status: current))
        }
    }

    /// After SIGINT or SIGTERM: commits what was read and closes the sinks.
    private func stop() -> Int32 {
        status.state = .stopped
        // Messages not read go back to the queue at once, for the other instances.
        feed?.stop()
        var exitStatus: Int32 = 0
        if let session {
            do throws(TailFailure) {
                try session.commit(status: currentStatus())
            } catch {
                output.notice("\(error.description) What was read since the last commit is read again next time.")
                exitStatus = 1
            }
            counters = session.counters
        } else {
            try? state.commit(TailState.Commit(status: currentStatus()))
        }
        session = nil
        output.notice("stopped: \(counters.records) records, \(counters.alerts) alerts")
        return exitStatus
    }
}

import VigilIngest
import VigilLayout

/// The directories a tail follows, and how it learns what changed in them: inotify events (with
/// a full scan now and then to catch what events missed), or a poll every `pollInterval` where
/// inotify cannot be had. Each turn of the tail's loop hands what changed to the session.
///
/// A directory that goes away is waited for and read again when it comes back; the files under it
/// are remembered meanwhile. Vigil's own state directory is never walked into.
final class WatchedDirectories {
    private let options: Tail.Options
    private let output: TailOutput
    private var watcher: DirectoryWatcher?
    /// Paths to look at in the next turn (told by inotify, or due for a recheck).
    private var pathsToExamine = Set<String>()
    /// A full scan is due: at the start of a session, or after inotify lost events.
    private var needsFullScan = true
    /// The first full scan, where `--from-now` applies to files already there.
    private var firstLook = true
    /// Whether each directory given was there at the last look.
    private var rootsPresent: [String: Bool] = [:]
    private var reportedWalkProblems = Set<String>()
    /// Services whose files were passed over, each said once.
    private var servicesPassedOver = Set<String>()
    private var nextPoll = 0.0
    private var nextRescan = 0.0
    private var nextRootCheck = 0.0

    /// Starts watching with inotify unless `options.polls` says to poll, or inotify is not there.
    init(options: Tail.Options, output: TailOutput, now: Double) {
        self.options = options
        self.output = output
        nextRescan = now + options.rescanInterval
        if !options.polls {
            switch DirectoryWatcher.make() {
            case .success(let made): watcher = made
            case .failure(let error): output.notice("inotify is not available (\(error)); polling every \(options.pollInterval) s")
            }
        }
    }

    /// What the loop waits on beside its own wake-ups: inotify's descriptor, when watching.
    var descriptor: Int32? { watcher?.descriptor }

    /// A new session knows nothing of what changed while there was none: everything is looked at.
    func sessionStarted() {
        needsFullScan = true
    }

    /// Looks at what changed (or, when due, at everything) and has `session` read what is new.
    /// Stops between files when `isStopping` says so, keeping the rest for the next turn;
    /// `backlog` is told how many files are left to look at.
    func readChanges(in session: TailSession, now: Double, isStopping: () -> Bool,
                     backlog: (Int) -> Void) throws(TailFailure) {
        collectChanges(now: now)
        if needsFullScan || (watcher == nil && now >= nextPoll) || now >= nextRescan {
            try fullScan(session, now: now, isStopping: isStopping, backlog: backlog)
        }
        pathsToExamine.formUnion(session.pathsDue(at: now))
        let paths = pathsToExamine.sorted()
        pathsToExamine.removeAll()
        for (index, path) in paths.enumerated() {
            if isStopping() {
                pathsToExamine.formUnion(paths[index...])
                break
            }
            backlog(paths.count - index)
            try session.examine(path)
        }
        backlog(pathsToExamine.count)
    }

    /// When the loop must wake up for the directories at the latest (monotonic), with `session`
    /// running (nil: only the check for directories that went away).
    func deadline(now: Double, session: TailSession?) -> Double {
        var deadline = Double.infinity
        if let session {
            if let recheck = session.nextRecheck { deadline = min(deadline, recheck) }
            deadline = min(deadline, watcher == nil ? nextPoll : nextRescan)
            if !pathsToExamine.isEmpty || needsFullScan { deadline = now }
        }
        if rootsPresent.values.contains(false) { deadline = min(deadline, nextRootCheck) }
        return deadline
    }

    /// Takes in what inotify reported: changed paths to look at, new directories to watch and walk.
    private func collectChanges(now: Double) {
        guard let watcher else { return }
        let changes = watcher.readChanges()
        if changes.overflowed {
            output.notice("the inotify queue overflowed; scanning everything again")
            needsFullScan = true
        }
        for directory in changes.directoriesGone where options.directories.contains(directory) {
            if rootsPresent[directory] != false { output.notice("\(directory) is gone; waiting for it to come back") }
            rootsPresent[directory] = false
        }
        if !changes.directoriesGone.isEmpty { nextRescan = min(nextRescan, now + 5) }
        for directory in changes.directories.sorted() {
            guard let root = root(of: directory) else { continue }
            for path in walk(directory, root: root) { pathsToExamine.insert(path) }
        }
        for path in changes.paths {
            guard let root = root(of: path), admits(path, root: root) else { continue }
            pathsToExamine.insert(path)
        }
        if rootsPresent.values.contains(false) && now >= nextRootCheck {
            nextRootCheck = now + 2
            if rootsPresent.contains(where: { !$0.value && DirectoryPaths.isDirectory($0.key) }) { needsFullScan = true }
        }
    }

    /// Looks at every file under the directories, reads what is new, and forgets files that are gone.
    private func fullScan(_ session: TailSession, now: Double, isStopping: () -> Bool, backlog: (Int) -> Void) throws(TailFailure) {
        needsFullScan = false
        nextPoll = now + options.pollInterval
        nextRescan = now + options.rescanInterval
        var seen = Set<FileIdentity>()
        var present: [String] = []
        for root in options.directories {
            guard DirectoryPaths.isDirectory(root) else {
                if rootsPresent[root] != false { output.notice("\(root) is not there; waiting for it") }
                rootsPresent[root] = false
                continue
            }
            if rootsPresent[root] == false { output.notice("\(root) is back") }
            rootsPresent[root] = true
            present.append(root)
            let paths = walk(root, root: root)
            for (index, path) in paths.enumerated() {
                if isStopping() { return }
                backlog(paths.count - index)
                try session.examine(path, firstLook: firstLook)
                if let identity = session.identity(at: path) { seen.insert(identity) }
            }
        }
        session.forgetFiles(notIn: seen, under: present)
        firstLook = false
    }

    /// The files under `directory` that the filter admits, watching each directory on the way.
    private func walk(_ directory: String, root: String) -> [String] {
        let walked = LogTreeWalker(skipping: options.stateDirectory.map { [$0] } ?? []).files(under: [directory]) { [self] visited in
            guard let watcher, !watcher.isWatching(visited) else { return }
            if let error = watcher.watch(directory: visited) {
                output.notice("cannot watch \(visited): \(error); polling every \(options.pollInterval) s from now on")
                self.watcher = nil
            }
        }
        for problem in walked.problems where reportedWalkProblems.insert(problem.description).inserted {
            output.problem(problem)
        }
        return walked.files.filter { admits($0, root: root) }
    }

    /// Whether the tail reads the file at `path` under `root`: what `--include`/`--exclude` admit,
    /// less the logs of services Vigil does not read (said once per service, not per file).
    private func admits(_ path: String, root: String) -> Bool {
        guard options.pathFilter.admits(relativePath: DirectoryPaths.relative(path, to: root)) else { return false }
        guard let service = AWSLogsServices.unreadService(of: path) else { return true }
        if servicesPassedOver.insert(service).inserted {
            output.notice("not reading \(service) logs (\(path) and others like it): a service Vigil does not read")
        }
        return false
    }

    private func root(of path: String) -> String? {
        options.directories.first { DirectoryPaths.path(path, isUnder: $0) }
    }
}

import VigilIngest

/// What the tail keeps per path while it runs, beside the durable `TrackedFile`: when it last
/// changed, and when to look at it again.
struct FileWatch {
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

    /// Whether `problem` is new for the file as it stands (and so to be reported); notes it.
    mutating func reportOnce(_ problem: InputProblem) -> Bool {
        guard reportedProblem != problem.reason else { return false }
        reportedProblem = problem.reason
        return true
    }
}

/// The watches of every path, and the timers they add up to.
struct FileWatches {
    private var byPath: [String: FileWatch] = [:]

    subscript(path: String) -> FileWatch? {
        get { byPath[path] }
        set { byPath[path] = newValue }
    }

    /// The earliest time (monotonic) a file must be looked at again without being told.
    var nextRecheck: Double? {
        byPath.values.lazy.compactMap(\.recheckAt).min()
    }

    /// Paths whose recheck time has come.
    func pathsDue(at now: Double) -> [String] {
        byPath.filter { ($0.value.recheckAt ?? .infinity) <= now }.map(\.key).sorted()
    }

    /// Files whose last record is still being written.
    var filesWaiting: Int {
        byPath.values.filter { $0.recheckAt != nil }.count
    }

    /// Seconds since the oldest change not yet read completely (0 when caught up).
    func lag(at now: Double) -> Double {
        let oldest = byPath.values.lazy.filter { $0.recheckAt != nil }.map(\.lastChange).min()
        return oldest.map { max(0, now - $0) } ?? 0
    }
}

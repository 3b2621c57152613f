import VigilIngest

/// What the tail knows of one file: which file it is, and how far it has been read.
///
/// This is the row of `tail_files` that moves only after the sinks have taken the alerts of the
/// records before it (see `TailState`).
struct TrackedFile: Sendable {
    var identity: FileIdentity
    /// Where the file was last seen (a rename changes it; the identity stays).
    var path: String
    /// The first bytes as last read (see `FileIdentity`).
    var fingerprint: [UInt8]
    /// Size and modification time when last read.
    var size: Int
    var modified: Double
    /// Records handled: the next read resumes at this ordinal.
    var records: Int
    /// Decoded bytes up to the end of the last record handled, for status and lag.
    var decodedOffset: Int
    /// The file was read to its end as it stood at `size`; nothing to do until it changes.
    var isComplete: Bool
    /// With `--from-now`: the file's stored size when the tail first saw it. Those bytes are not
    /// to raise alerts; should the file grow, their records are counted first (`records` is not
    /// known until then).
    var baselineSize: Int?

    init(observation: FileObservation, path: String) {
        identity = observation.identity
        self.path = path
        fingerprint = observation.fingerprint
        size = 0
        modified = 0
        records = 0
        decodedOffset = 0
        isComplete = false
        baselineSize = nil
    }

    init(identity: FileIdentity, path: String, fingerprint: [UInt8], size: Int, modified: Double, records: Int,
         decodedOffset: Int, isComplete: Bool, baselineSize: Int?) {
        self.identity = identity
        self.path = path
        self.fingerprint = fingerprint
        self.size = size
        self.modified = modified
        self.records = records
        self.decodedOffset = decodedOffset
        self.isComplete = isComplete
        self.baselineSize = baselineSize
    }

    /// Whether a file of `size` bytes modified at `modified` is this one as it was when last read.
    func isUnchanged(size: Int, modified: Double) -> Bool {
        size == self.size && modified == self.modified
    }
}

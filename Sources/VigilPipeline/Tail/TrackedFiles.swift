import VigilIngest

/// The files a tail session knows, by identity and by the path last seen, as of the last commit
/// plus what has been read since; and which of them changed or were forgotten since that commit,
/// for the next one.
struct TrackedFiles {
    private(set) var byIdentity: [FileIdentity: TrackedFile] = [:]
    private var identityByPath: [String: FileIdentity] = [:]
    private var changed: Set<FileIdentity> = []
    private var forgotten: Set<FileIdentity> = []

    /// The files of the last commit.
    init(committed files: [TrackedFile]) {
        for file in files {
            byIdentity[file.identity] = file
            identityByPath[file.path] = file.identity
        }
    }

    var count: Int { byIdentity.count }

    subscript(identity: FileIdentity) -> TrackedFile? { byIdentity[identity] }

    /// The identity last seen at `path`.
    func identity(at path: String) -> FileIdentity? { identityByPath[path] }

    /// Notes (or clears) what is at `path` now.
    mutating func setIdentity(_ identity: FileIdentity?, at path: String) {
        identityByPath[path] = identity
    }

    /// Records `file` as it is now, to be saved by the next commit.
    mutating func store(_ file: TrackedFile) {
        byIdentity[file.identity] = file
        changed.insert(file.identity)
        forgotten.remove(file.identity)
    }

    /// Drops a file (gone, replaced or truncated); the next commit forgets it too. Returns it.
    @discardableResult
    mutating func forget(_ identity: FileIdentity) -> TrackedFile? {
        guard let file = byIdentity.removeValue(forKey: identity) else { return nil }
        if identityByPath[file.path] == identity { identityByPath[file.path] = nil }
        changed.remove(identity)
        forgotten.insert(identity)
        return file
    }

    /// Whether anything changed since the last commit.
    var hasChanges: Bool { !changed.isEmpty || !forgotten.isEmpty }

    /// What changed since the last commit, for the next one.
    var changes: (files: [TrackedFile], forgotten: [FileIdentity]) {
        (changed.compactMap { byIdentity[$0] }, Array(forgotten))
    }

    /// The changes were committed.
    mutating func markCommitted() {
        changed.removeAll(keepingCapacity: true)
        forgotten.removeAll(keepingCapacity: true)
    }
}

#if canImport(Glibc)
import Glibc

/// Watches directories with Linux inotify and tells which paths in them changed.
///
/// One watch per directory (not per file), so a tree of 10,000 files in a few hundred directories
/// costs a few hundred watches, and an idle tree costs nothing: the descriptor is only readable
/// when something happened. Watches are not recursive; the tail adds one for every directory it
/// walks, including directories that appear later (`directoryAppeared`), and walks each new
/// directory after watching it, so a file created in between is not missed.
///
/// Changes are hints, never the truth: the tail looks at each changed path itself (`stat`, the
/// first bytes) and decides. When the kernel's queue overflowed, `overflowed` says events were
/// lost and everything must be looked at again.
public final class DirectoryWatcher {
    /// What the events read so far say.
    public struct Changes {
        /// Paths of files (or of things not yet known to be files) that were created, written,
        /// closed after writing, moved in or out, deleted, or had their attributes changed.
        public var paths: Set<String> = []
        /// Directories that appeared (created or moved in): to watch and walk.
        public var directories: Set<String> = []
        /// Watched directories that went away (deleted, moved out).
        public var directoriesGone: Set<String> = []
        /// The kernel dropped events: look at everything again.
        public var overflowed = false

        public var isEmpty: Bool { paths.isEmpty && directories.isEmpty && directoriesGone.isEmpty && !overflowed }
    }

    /// The inotify descriptor, to wait on with `poll` beside other descriptors.
    public let descriptor: Int32
    private var pathsByWatch: [Int32: String] = [:]
    private var watchesByPath: [String: Int32] = [:]
    private let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)

    private static let fileEvents = UInt32(IN_CREATE | IN_MODIFY | IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM
        | IN_DELETE | IN_ATTRIB)
    private static let selfEvents = UInt32(IN_DELETE_SELF | IN_MOVE_SELF)

    /// A new inotify instance; nil with the system's reason when there is none to have (the
    /// per-user instance limit, or no inotify at all): the tail then polls.
    public static func make() -> Result<DirectoryWatcher, WatchError> {
        let descriptor = inotify_init1(Int32(IN_NONBLOCK | IN_CLOEXEC))
        guard descriptor >= 0 else { return .failure(WatchError(reason: String(cString: strerror(errno)))) }
        return .success(DirectoryWatcher(descriptor: descriptor))
    }

    private init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        close(descriptor)
        buffer.deallocate()
    }

    /// How many directories are watched.
    public var watchCount: Int { pathsByWatch.count }

    /// Watches `directory` (again: a directory moved within the tree keeps its watch, which then
    /// takes the new path). Fails with the system's reason, e.g. when the user's limit of watches
    /// (`/proc/sys/fs/inotify/max_user_watches`) is reached.
    public func watch(directory: String) -> WatchError? {
        let watch = inotify_add_watch(descriptor, directory, Self.fileEvents | Self.selfEvents | UInt32(IN_ONLYDIR))
        guard watch >= 0 else {
            var reason = String(cString: strerror(errno))
            if errno == ENOSPC { reason += " (the inotify watch limit, fs.inotify.max_user_watches, is reached)" }
            return WatchError(reason: reason)
        }
        if let old = pathsByWatch[watch], old != directory { watchesByPath[old] = nil }
        pathsByWatch[watch] = directory
        watchesByPath[directory] = watch
        return nil
    }

    /// Whether `directory` is watched.
    public func isWatching(_ directory: String) -> Bool { watchesByPath[directory] != nil }

    /// Reads the events queued now, without waiting.
    public func readChanges() -> Changes {
        var changes = Changes()
        while true {
            let count = read(descriptor, buffer.baseAddress!, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            var offset = 0
            let headerSize = MemoryLayout<inotify_event>.size
            while offset + headerSize <= count {
                let base = buffer.baseAddress! + offset
                let watch = base.loadUnaligned(fromByteOffset: 0, as: Int32.self)
                let mask = base.loadUnaligned(fromByteOffset: 4, as: UInt32.self)
                let nameLength = Int(base.loadUnaligned(fromByteOffset: 12, as: UInt32.self))
                let name = nameLength == 0 ? "" : String(
                    decoding: UnsafeRawBufferPointer(start: base + headerSize, count: nameLength).prefix { $0 != 0 },
                    as: UTF8.self)
                offset += headerSize + nameLength
                handle(watch: watch, mask: mask, name: name, into: &changes)
            }
        }
        return changes
    }

    private func handle(watch: Int32, mask: UInt32, name: String, into changes: inout Changes) {
        if mask & UInt32(IN_Q_OVERFLOW) != 0 {
            changes.overflowed = true
            return
        }
        if mask & UInt32(IN_IGNORED) != 0 {
            // The watch is gone (its directory was deleted, or it was removed).
            if let path = pathsByWatch.removeValue(forKey: watch) {
                if watchesByPath[path] == watch { watchesByPath[path] = nil }
                changes.directoriesGone.insert(path)
            }
            return
        }
        guard let directory = pathsByWatch[watch] else { return }
        if mask & Self.selfEvents != 0 {
            changes.directoriesGone.insert(directory)
            if mask & UInt32(IN_MOVE_SELF) != 0 {
                // Moved away: its new path is unknown here; forget it (a move within the tree
                // shows up as a directory appearing, which watches it again under its new path).
                inotify_rm_watch(descriptor, watch)
            }
            return
        }
        guard !name.isEmpty else { return }
        let path = directory.hasSuffix("/") ? directory + name : directory + "/" + name
        if mask & UInt32(IN_ISDIR) != 0 {
            if mask & UInt32(IN_CREATE | IN_MOVED_TO) != 0 {
                changes.directories.insert(path)
            } else if mask & UInt32(IN_DELETE | IN_MOVED_FROM) != 0 {
                changes.directoriesGone.insert(path)
            }
            return
        }
        changes.paths.insert(path)
    }
}
#endif

/// Why a directory cannot be watched.
public struct WatchError: Error, Sendable, CustomStringConvertible {
    public let reason: String

    public init(reason: String) {
        self.reason = reason
    }

    public var description: String { reason }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What makes a file the same file over time, for a tail that must read each file once.
///
/// A path is not enough (a sync tool writes `x.gz.tmp` and renames it to `x.gz`; a file is
/// replaced by another under the same name), and neither is an inode (a deleted file's inode is
/// soon given to a new one). So a file is its device and inode *and* a fingerprint of its first
/// stored bytes: an inode reused by a new file shows a different beginning, while a file that
/// only grew keeps its beginning and extends its fingerprint.
public struct FileIdentity: Sendable, Hashable {
    /// How many leading bytes the fingerprint holds at most.
    public static let fingerprintLength = 1024

    public let device: UInt64
    public let inode: UInt64

    public init(device: UInt64, inode: UInt64) {
        self.device = device
        self.inode = inode
    }
}

/// One look at a file: its identity, size, modification time and first bytes.
public struct FileObservation: Sendable {
    public let identity: FileIdentity
    public let size: Int
    /// Modification time, seconds since 1970 (as the file system says; a clock jump can put it in the future).
    public let modified: Double
    /// The first `min(size, FileIdentity.fingerprintLength)` bytes.
    public let fingerprint: [UInt8]

    public init(identity: FileIdentity, size: Int, modified: Double, fingerprint: [UInt8]) {
        self.identity = identity
        self.size = size
        self.modified = modified
        self.fingerprint = fingerprint
    }

    /// Whether the file whose first bytes were `earlier` can be this one grown: one fingerprint
    /// is a prefix of the other.
    public func continues(fingerprint earlier: [UInt8]) -> Bool {
        let common = min(earlier.count, fingerprint.count)
        return earlier.prefix(common) == fingerprint.prefix(common)
    }

    /// Where a file stands, as `observe` found it.
    public enum Outcome: Sendable {
        case file(FileObservation)
        /// Not a regular file (a directory, a FIFO); a tail leaves it alone.
        case notRegularFile
        /// No longer there.
        case missing
        /// There, but it cannot be looked at; the system's reason.
        case unreadable(String)
    }

    /// A regular file's identity, size and modification time from `stat` alone (no open, no
    /// read): enough to tell that a file already read has not changed, which is most files of
    /// most scans. nil when `path` is not (or no longer) a regular file.
    public static func glance(_ path: String) -> (identity: FileIdentity, size: Int, modified: Double)? {
        var info = stat()
        guard stat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else { return nil }
        return (FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)), Int(info.st_size), modifiedTime(info))
    }

    private static func modifiedTime(_ info: stat) -> Double {
        #if canImport(Glibc)
        Double(info.st_mtim.tv_sec) + Double(info.st_mtim.tv_nsec) / 1e9
        #else
        Double(info.st_mtimespec.tv_sec) + Double(info.st_mtimespec.tv_nsec) / 1e9
        #endif
    }

    /// Looks at `path`: stat, and the first bytes read without moving any file offset.
    public static func observe(_ path: String) -> Outcome {
        var info = stat()
        guard stat(path, &info) == 0 else {
            return errno == ENOENT || errno == ENOTDIR ? .missing : .unreadable(String(cString: strerror(errno)))
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else { return .notRegularFile }
        var descriptor: Int32
        repeat {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
        } while descriptor < 0 && errno == EINTR
        guard descriptor >= 0 else {
            return errno == ENOENT ? .missing : .unreadable(String(cString: strerror(errno)))
        }
        defer { close(descriptor) }
        // The stat of the open file: the path may have been replaced since the first stat.
        guard fstat(descriptor, &info) == 0 else { return .unreadable(String(cString: strerror(errno))) }
        let wanted = min(Int(info.st_size), FileIdentity.fingerprintLength)
        var fingerprint = [UInt8](repeating: 0, count: wanted)
        var filled = 0
        while filled < wanted {
            let count = fingerprint.withUnsafeMutableBytes { buffer in
                pread(descriptor, buffer.baseAddress! + filled, wanted - filled, off_t(filled))
            }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { break }
            filled += count
        }
        fingerprint.removeLast(wanted - filled)
        return .file(FileObservation(identity: FileIdentity(device: UInt64(info.st_dev), inode: UInt64(info.st_ino)),
                                     size: Int(info.st_size), modified: modifiedTime(info), fingerprint: fingerprint))
    }
}

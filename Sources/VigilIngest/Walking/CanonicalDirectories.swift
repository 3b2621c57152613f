#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Canonical paths of files (`CanonicalPath.of`), each folder resolved once.
///
/// `realpath` reads every link along a path, a `readlink` per component, for every file; a replay
/// of 100,000 small files in 200 folders outside the `AWSLogs/` layout spent 13 % of its time
/// there (perf). The canonical path of a file that is not itself a link is its folder's, resolved
/// once, and its name; a link, a name such as `..`, or a file that is gone is resolved as before.
///
/// A folder resolved once stays resolved, so one of these belongs to one run's reader (a replay, a
/// hunt); a long-lived process whose folders may be relinked (a tail) resolves each file afresh.
/// Used by one thread.
public final class CanonicalDirectories {
    private var resolved: [Substring: String] = [:]

    public init() {}

    /// What `CanonicalPath.of(path)` gives.
    public func canonicalPath(of path: String) -> String {
        guard let slash = path.utf8.lastIndex(of: UInt8(ascii: "/")) else { return CanonicalPath.of(path) }
        let directory = path[..<slash]
        let name = path[path.utf8.index(after: slash)...]
        guard !directory.isEmpty, !name.isEmpty, name != ".", name != ".." else { return CanonicalPath.of(path) }
        var status = stat()
        guard lstat(path, &status) == 0, status.st_mode & S_IFMT != S_IFLNK else { return CanonicalPath.of(path) }
        let base: String
        if let known = resolved[directory] {
            base = known
        } else {
            guard let folder = realpath(String(directory), nil) else { return CanonicalPath.of(path) }
            base = String(cString: folder)
            free(folder)
            resolved[directory] = base
        }
        return base == "/" ? "/" + name : base + "/" + name
    }
}

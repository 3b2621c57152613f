#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Paths under the tail's directories, compared as text: the tail names every file by the
/// directory it was given plus the path below it, so no path needs resolving.
enum DirectoryPaths {
    /// Whether `path` is `directory` or lies below it.
    static func path(_ path: String, isUnder directory: String) -> Bool {
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        return path.hasPrefix(prefix) || path == directory
    }

    /// `path` below `root`, without the root (what `--include` and `--exclude` globs see).
    static func relative(_ path: String, to root: String) -> String {
        let prefix = root.hasSuffix("/") ? root : root + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func isDirectory(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFDIR
    }
}

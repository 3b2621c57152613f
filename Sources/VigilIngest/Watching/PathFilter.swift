#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which files under a watched directory a tail reads: `--include` and `--exclude` globs.
///
/// A glob without `/` is matched against the file's name (`*.json.gz`); a glob with `/` against
/// the path below the watched directory, where `*` also crosses `/` (`*/CloudTrail/*`). A file is
/// read when it matches some include (or there are none) and no exclude. Documentation that log
/// archives carry (`README…`, `*.md`) is never read, as in replay; hidden files (`.name`, a sync
/// tool's partial downloads) are never even listed.
public struct PathFilter: Sendable {
    public let include: [String]
    public let exclude: [String]

    public init(include: [String] = [], exclude: [String] = []) {
        self.include = include
        self.exclude = exclude
    }

    /// Whether the file at `relativePath` (below its watched directory) is read.
    public func admits(relativePath: String) -> Bool {
        // Hidden files and directories are never read (the walker does not list them; inotify
        // reports them, and a sync tool's partial download is one until it is renamed).
        if relativePath.hasPrefix(".") || relativePath.contains("/.") { return false }
        let name = String(LogFileContext.fileName(of: relativePath))
        if Self.isArchiveDocumentation(name: name) { return false }
        if !include.isEmpty && !include.contains(where: { Self.matches($0, name: name, relativePath: relativePath) }) {
            return false
        }
        return !exclude.contains { Self.matches($0, name: name, relativePath: relativePath) }
    }

    /// Whether a file of this name is documentation that log archives carry beside their logs
    /// (`README…`, `*.md`), which replay and tail pass over rather than report as unknown input.
    public static func isArchiveDocumentation(name: String) -> Bool {
        name.hasPrefix("README") || name.hasSuffix(".md")
    }

    private static func matches(_ glob: String, name: String, relativePath: String) -> Bool {
        fnmatch(glob, glob.contains("/") ? relativePath : name, 0) == 0
    }
}

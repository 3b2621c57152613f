#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one spelling of a local file's path — absolute, with symbolic links, `.` and `..` resolved —
/// so that `a.log`, `./a.log`, `$PWD/a.log` and a link to it all name the same file alike.
enum CanonicalPath {
    /// `path` as `realpath` resolves it; for a path it cannot resolve (the file is gone), `path`
    /// made absolute against the working directory, with `.`, `..` and repeated `/` removed.
    static func of(_ path: String) -> String {
        if let resolved = realpath(path, nil) {
            defer { free(resolved) }
            return String(cString: resolved)
        }
        var absolute = path
        if !path.hasPrefix("/"), let directory = getcwd(nil, 0) {
            absolute = String(cString: directory) + "/" + path
            free(directory)
        }
        var parts: [Substring] = []
        for part in absolute.split(separator: "/") where part != "." {
            if part == ".." {
                _ = parts.popLast()
            } else {
                parts.append(part)
            }
        }
        return "/" + parts.joined(separator: "/")
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Expands the paths a user gives into the log files under them, in a stable order.
///
/// Directories are walked recursively (an `AWSLogs/` tree is many levels deep); names are sorted
/// so that files of one day come in delivery order and runs are reproducible; hidden entries
/// (`.name`, such as a sync tool's partial downloads) are skipped; symbolic links are followed,
/// with each directory visited once so that a link loop cannot recurse forever. What cannot be
/// read is reported and the walk goes on.
public struct LogTreeWalker {
    /// Directories never walked into: Vigil's own state directory, whose database files are no logs.
    private let skipped: Set<DirectoryIdentity>

    /// A walker that passes over `skipping` (and everything under it) wherever it meets it, however
    /// it is reached: directories are told apart by device and inode, not by how the path is spelled.
    public init(skipping directories: [String] = []) {
        var skipped = Set<DirectoryIdentity>()
        for directory in directories {
            var info = stat()
            if stat(directory, &info) == 0 && Self.isDirectory(info) { skipped.insert(DirectoryIdentity(info)) }
        }
        self.skipped = skipped
    }

    /// The regular files under `paths`, and the problems met. `visitingDirectory` is called with
    /// each directory before its entries are listed (a tail watches it then, so that a file
    /// created while the walk goes on is seen one way or the other).
    public func files(under paths: [String],
                      visitingDirectory: (String) -> Void = { _ in }) -> (files: [String], problems: [InputProblem]) {
        var files: [String] = []
        var problems: [InputProblem] = []
        // A skipped directory counts as visited already, so the walk passes it like a link loop.
        var visited = skipped
        for path in paths {
            var info = stat()
            guard stat(path, &info) == 0 else {
                problems.append(InputProblem(.unreadable, path: path, reason: Self.errorText()))
                continue
            }
            if Self.isDirectory(info) {
                walk(directory: path, identity: DirectoryIdentity(info), visited: &visited, files: &files, problems: &problems,
                     visitingDirectory: visitingDirectory)
            } else {
                files.append(path)
            }
        }
        return (files, problems)
    }

    private struct DirectoryIdentity: Hashable {
        let device: UInt64
        let inode: UInt64

        init(_ info: stat) {
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
        }
    }

    private func walk(directory: String, identity: DirectoryIdentity, visited: inout Set<DirectoryIdentity>,
                      files: inout [String], problems: inout [InputProblem], visitingDirectory: (String) -> Void) {
        guard visited.insert(identity).inserted else { return }
        visitingDirectory(directory)
        guard let handle = opendir(directory) else {
            if errno == ENOENT { return }  // removed since it was listed
            problems.append(InputProblem(.unreadable, path: directory, reason: Self.errorText()))
            return
        }
        var names: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name.hasPrefix(".") { continue }
            names.append(name)
        }
        closedir(handle)
        let prefix = directory.hasSuffix("/") ? directory : directory + "/"
        for name in names.sorted() {
            let path = prefix + name
            var info = stat()
            guard stat(path, &info) == 0 else {
                // Listed a moment ago and gone now (a sync tool's temporary file renamed away):
                // nothing to read, nothing wrong.
                if errno == ENOENT { continue }
                problems.append(InputProblem(.unreadable, path: path, reason: Self.errorText()))
                continue
            }
            if Self.isDirectory(info) {
                walk(directory: path, identity: DirectoryIdentity(info), visited: &visited, files: &files, problems: &problems,
                     visitingDirectory: visitingDirectory)
            } else if (info.st_mode & S_IFMT) == S_IFREG {
                files.append(path)
            }
        }
    }

    private static func isDirectory(_ info: stat) -> Bool {
        (info.st_mode & S_IFMT) == S_IFDIR
    }

    private static func errorText() -> String {
        String(cString: strerror(errno))
    }
}

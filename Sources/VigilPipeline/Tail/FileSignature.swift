import VigilIngest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What the rule and configuration files look like now, to notice an edit and reload.
enum FileSignature {
    /// Size, time and inode of each file in `paths` (directories walked); "missing" for one not there.
    static func of(_ paths: [String]) -> [String: String] {
        var signature: [String: String] = [:]
        func note(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else {
                signature[path] = "missing"
                return
            }
            signature[path] = "\(info.st_ino) \(info.st_size) \(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
        }
        for path in paths {
            note(path)
            if DirectoryPaths.isDirectory(path) {
                var directories: [String] = []
                let files = LogTreeWalker().files(under: [path]) { directories.append($0) }.files
                for file in files + directories { note(file) }
            }
        }
        return signature
    }
}

import Foundation

/// One file, reused for every input, for the APIs that read a path (rule files): in /dev/shm
/// when there is one, so an input costs a write to memory, not to disk.
public final class TemporaryFile: @unchecked Sendable {
    public let path: String

    /// `name` ends the file's name (`rules.json`: rule loading looks at the extension of files
    /// found in directories, not of a file named directly, but a realistic name costs nothing).
    public init(name: String) {
        let directory = FileManager.default.fileExists(atPath: "/dev/shm") ? "/dev/shm" : NSTemporaryDirectory()
        path = "\(directory)/vigil-fuzz-\(getpid())-\(name)"
    }

    /// Replaces the file's contents with `bytes`.
    public func write(_ bytes: [UInt8]) {
        let written = FileManager.default.createFile(atPath: path, contents: Data(bytes))
        precondition(written, "cannot write \(path)")
    }
}

import ArgumentParser
import Foundation

/// Reading command arguments that may name files, and writing errors.
enum CommandInput {
    /// The bytes of `argument`: the file it names after `@`, or the argument itself.
    static func text(_ argument: String) throws -> [UInt8] {
        guard argument.hasPrefix("@") else { return Array(argument.utf8) }
        let path = String(argument.dropFirst())
        guard let data = FileManager.default.contents(atPath: path) else {
            printError("cannot read \(path)")
            throw ExitCode(2)
        }
        return [UInt8](data)
    }

    static func printError(_ message: String) {
        FileHandle.standardError.write(Data("vigil: \(message)\n".utf8))
    }
}

/// Buffered writes to standard output, so that batch answers are not a system call each.
struct FileHandleOutput {
    static var standardOutput: FileHandleOutput { FileHandleOutput() }
    private var buffer: [UInt8] = []

    mutating func write(_ text: String) {
        buffer.append(contentsOf: text.utf8)
        if buffer.count >= 64 * 1024 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

/// Buffered writes of bytes to standard output.
struct StandardOutputBuffer {
    private var buffer: [UInt8] = []

    mutating func write(_ bytes: [UInt8]) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 256 * 1024 { flush() }
    }

    mutating func flush() {
        guard !buffer.isEmpty else { return }
        FileHandle.standardOutput.write(Data(buffer))
        buffer.removeAll(keepingCapacity: true)
    }
}

import Foundation

/// The lines of an alert file (JSON Lines), read a chunk at a time so that memory follows the
/// longest line, not the file: reading a 147 MB file of 100,000 alerts whole, then copying it to
/// bytes, held 309 MB at its peak.
public enum AlertLines {
    /// Calls `body` with each line's number (from 1) and bytes, without its newline; a last line
    /// without a newline is a line too.
    public static func forEach(in handle: FileHandle, chunkSize: Int = 1 << 20,
                               _ body: (Int, ArraySlice<UInt8>) throws -> Void) throws {
        var pending: [UInt8] = []
        var lineNumber = 0
        while true {
            let chunk = try handle.read(upToCount: chunkSize) ?? Data()
            if chunk.isEmpty { break }
            pending.append(contentsOf: chunk)
            var start = 0
            while let end = pending[start...].firstIndex(of: 0x0A) {
                lineNumber += 1
                try body(lineNumber, pending[start..<end])
                start = end + 1
            }
            pending.removeFirst(start)
        }
        if !pending.isEmpty {
            lineNumber += 1
            try body(lineNumber, pending[...])
        }
    }
}

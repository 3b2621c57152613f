import Foundation
import Testing
import VigilReport

@Suite struct AlertLinesTests {
    /// Lines longer than a chunk, lines cut at a chunk's edge, an empty line and a last line with
    /// no newline all come out whole, numbered as an editor numbers them.
    @Test(arguments: [1, 3, 7, 64, 1 << 20])
    func linesComeOutWholeWhateverTheChunkSize(chunkSize: Int) throws {
        let lines = ["{\"a\":1}", String(repeating: "x", count: 100), "", "\r", "last, no newline"]
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("alert-lines-\(UUID().uuidString).jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var seen: [(Int, String)] = []
        try AlertLines.forEach(in: try FileHandle(forReadingFrom: file), chunkSize: chunkSize) { number, line in
            seen.append((number, String(decoding: line, as: UTF8.self)))
        }
        #expect(seen.map(\.0) == Array(1...5))
        #expect(seen.map(\.1) == lines)
    }

    @Test func anEmptyFileHasNoLines() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("alert-lines-\(UUID().uuidString).jsonl")
        try Data().write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        var count = 0
        try AlertLines.forEach(in: try FileHandle(forReadingFrom: file)) { _, _ in count += 1 }
        #expect(count == 0)
    }
}

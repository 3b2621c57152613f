import Foundation
import Testing
import VigilAlerts
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A file sink that resumes after a crash (`kill -9` between its flush and the tail's commit)
/// writes each alert once: what it wrote after the last saved checkpoint is not written again,
/// and a torn last line is cut away and written whole.
@Suite struct FileSinkResumeTests {
    /// Alerts A, B, C, … as the tests name them.
    static let alerts = (0..<12).map { DeliveryFixtures.alert($0) }
    static func text(_ alert: Alert) -> String { String(decoding: alert.line.dropLast(), as: UTF8.self) }

    func lines(_ path: String) throws -> [String] {
        let contents = try String(contentsOfFile: path, encoding: .utf8)
        #expect(contents.isEmpty || contents.hasSuffix("\n"), "no torn last line in \(path)")
        return contents.split(separator: "\n").map(String.init)
    }

    /// The lines of `path` and its rotated files, oldest first.
    func allLines(_ path: String, keep: Int) throws -> [String] {
        var result: [String] = []
        for index in stride(from: keep, through: 1, by: -1) where FileManager.default.fileExists(atPath: "\(path).\(index)") {
            result += try lines("\(path).\(index)")
        }
        return result + (try lines(path))
    }

    /// Appends `bytes` to `path` behind the sink's back, as the process that crashed did.
    func append(_ bytes: [UInt8], to path: String) throws {
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(bytes))
        try handle.close()
    }

    func inode(_ path: String) -> UInt64 {
        var status = stat()
        stat(path, &status)
        return UInt64(status.st_ino)
    }

    func scratchFile() throws -> (ScratchDirectory, String) {
        let scratch = ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        return (scratch, scratch.appending("alerts.jsonl"))
    }

    @Test func resumingAfterACrashWritesEachAlertOnceWithoutATornLine() throws {
        let (scratch, path) = try scratchFile()
        defer { withExtendedLifetime(scratch) {} }
        let alerts = Self.alerts
        let checkpoint: SinkCheckpoint
        do {
            let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: path))
            #expect(sink.checkpoint == nil, "nothing flushed yet")
            for alert in alerts[0...4] { try sink.send(alert) }  // A…E
            try sink.flush()
            checkpoint = try #require(sink.checkpoint)
        }
        let committed = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int
        #expect(checkpoint.size == committed && checkpoint.inode == inode(path) && checkpoint.path == path)
        #expect(checkpoint.sink == "archive")
        // The crashed run wrote F and G after the checkpoint, and half of H.
        try append(alerts[5].line + alerts[6].line + alerts[7].line.prefix(20), to: path)

        let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: path), resumingAfter: checkpoint)
        for alert in alerts[5...8] { try sink.send(alert) }  // F, G, H, I: the batch processed again, and more
        try sink.flush()
        #expect(try lines(path) == alerts[0...8].map(Self.text), "A…I, each once, H whole")
        #expect(sink.droppedRepeats == 2)
        // Past the repeats, the same alert is written again if it comes again (the input had it twice).
        try sink.send(alerts[5])
        try sink.flush()
        #expect(try lines(path).count == 10)
    }

    @Test func anAlertWrittenTwiceAfterTheCheckpointIsDroppedTwice() throws {
        let (scratch, path) = try scratchFile()
        defer { withExtendedLifetime(scratch) {} }
        let alerts = Self.alerts
        let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: path))
        try sink.send(alerts[0])
        try sink.flush()
        let checkpoint = try #require(sink.checkpoint)
        try append(alerts[1].line + alerts[1].line, to: path)  // a duplicate record in the input
        let resumed = try FileSink(name: "archive", settings: FileSinkSettings(path: path), resumingAfter: checkpoint)
        for alert in [alerts[1], alerts[1], alerts[2]] { try resumed.send(alert) }
        try resumed.flush()
        #expect(try lines(path) == [0, 1, 1, 2].map { Self.text(alerts[$0]) })
        #expect(resumed.droppedRepeats == 2)
    }

    /// The file of the checkpoint was rotated away once (to PATH.1) or twice (to PATH.2) before
    /// the crash.
    @Test(arguments: [1, 2]) func resumingAfterRotationsSinceTheCheckpoint(rotations: Int) throws {
        let (scratch, path) = try scratchFile()
        defer { withExtendedLifetime(scratch) {} }
        let alerts = Self.alerts
        let lineLength = alerts[0].line.count
        // Two lines per file.
        let settings = FileSinkSettings(path: path, rotateBytes: 2 * lineLength + lineLength / 2, keep: 10)
        let checkpoint: SinkCheckpoint
        let crashedAfter = rotations == 1 ? 5 : 6  // F (.1: C D | E F) or G (.2: C D | .1: E F | G)
        do {
            let sink = try FileSink(name: "archive", settings: settings)
            for alert in alerts[0...2] { try sink.send(alert) }  // A B | C
            try sink.flush()
            checkpoint = try #require(sink.checkpoint)
            #expect(checkpoint.size == lineLength)
            for alert in alerts[3...crashedAfter] { try sink.send(alert) }
            try sink.flush()  // written and synced, but the tail did not commit
        }
        #expect(inode("\(path).\(rotations)") == checkpoint.inode)
        try append(Array(alerts[crashedAfter + 1].line.prefix(30)), to: path)

        let sink = try FileSink(name: "archive", settings: settings, resumingAfter: checkpoint)
        for alert in alerts[3...(crashedAfter + 2)] { try sink.send(alert) }
        try sink.flush()
        #expect(try allLines(path, keep: 10) == alerts[0...(crashedAfter + 2)].map(Self.text))
        #expect(sink.droppedRepeats == crashedAfter - 2)
    }

    @Test func whenNoFileHasTheCheckpointsInodeTheWholeCurrentFileIsExamined() throws {
        let (scratch, path) = try scratchFile()
        let alerts = Self.alerts
        let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: path))
        for alert in alerts[0...1] { try sink.send(alert) }
        try sink.flush()
        let checkpoint = try #require(sink.checkpoint)
        // Moved aside by someone else; the crashed run then wrote C and D to a new file.
        #expect(rename(path, scratch.appending("elsewhere.jsonl")) == 0)
        #expect(FileManager.default.createFile(atPath: path, contents: Data(alerts[2].line + alerts[3].line)))
        let resumed = try FileSink(name: "archive", settings: FileSinkSettings(path: path), resumingAfter: checkpoint)
        for alert in alerts[2...4] { try resumed.send(alert) }
        try resumed.flush()
        #expect(try lines(path) == alerts[2...4].map(Self.text))
        #expect(resumed.droppedRepeats == 2)
    }

    @Test func aFileTruncatedSinceTheCheckpointIsExaminedWhole() throws {
        let (scratch, path) = try scratchFile()
        defer { withExtendedLifetime(scratch) {} }
        let alerts = Self.alerts
        let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: path))
        for alert in alerts[0...3] { try sink.send(alert) }
        try sink.flush()
        let checkpoint = try #require(sink.checkpoint)
        // Emptied by someone (same inode, now shorter than the checkpoint); then E was written.
        #expect(truncate(path, 0) == 0)
        try append(alerts[4].line, to: path)
        let resumed = try FileSink(name: "archive", settings: FileSinkSettings(path: path), resumingAfter: checkpoint)
        for alert in alerts[4...5] { try resumed.send(alert) }
        try resumed.flush()
        #expect(try lines(path) == alerts[4...5].map(Self.text))
        #expect(resumed.droppedRepeats == 1)
    }

    @Test func aCheckpointOfAnotherPathIsIgnored() throws {
        let (scratch, path) = try scratchFile()
        let alerts = Self.alerts
        let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: path))
        try sink.send(alerts[0])
        try sink.flush()
        var checkpoint = try #require(sink.checkpoint)
        try append(alerts[1].line, to: path)
        checkpoint.path = scratch.appending("other.jsonl")
        let resumed = try FileSink(name: "archive", settings: FileSinkSettings(path: path), resumingAfter: checkpoint)
        try resumed.send(alerts[1])
        try resumed.flush()
        #expect(resumed.droppedRepeats == 0)
        #expect(try lines(path).count == 3)
    }

    @Test func theCheckpointEncodingRoundTrips() throws {
        let checkpoint = SinkCheckpoint(sink: "file:/var/log/vigil \"alerts\"/é.jsonl", path: "/var/log/vigil \"alerts\"/é.jsonl",
                                        device: UInt64.max, inode: UInt64.max - 1, size: Int.max)
        let encoded = checkpoint.encoded
        #expect(!encoded.contains("\n"))
        #expect(SinkCheckpoint(encoded: encoded) == checkpoint)
        let small = SinkCheckpoint(sink: "a", path: "/a", device: 2049, inode: 131_075, size: 0)
        #expect(small.encoded == #"{"device":2049,"inode":131075,"path":"/a","sink":"a","size":0}"#)
        #expect(SinkCheckpoint(encoded: small.encoded) == small)
        #expect(SinkCheckpoint(encoded: "") == nil)
        #expect(SinkCheckpoint(encoded: #"{"sink":"a","path":"/a"}"#) == nil)
        #expect(SinkCheckpoint(encoded: #"{"device":1,"inode":1,"path":"/a","sink":"a","size":-1}"#) == nil)
    }

    @Test func aSinkQueueReportsTheCheckpointOfTheLastFlush() throws {
        let (scratch, path) = try scratchFile()
        defer { withExtendedLifetime(scratch) {} }
        let queue = SinkQueue(try FileSink(name: "archive", settings: FileSinkSettings(path: path)), capacity: 100)
        #expect(queue.checkpoint == nil)
        for alert in Self.alerts[0...2] { try queue.send(alert) }
        try queue.flush()
        let first = try #require(queue.checkpoint)
        #expect(first.size == 3 * Self.alerts[0].line.count && first.inode == inode(path) && first.sink == "archive")
        try queue.send(Self.alerts[3])
        #expect(queue.checkpoint == first, "an alert sent but not flushed does not move it")
        try queue.finish()
        #expect(queue.checkpoint?.size == 4 * Self.alerts[0].line.count)

        let other = SinkQueue(RecordingSink(name: "memory", log: SinkLog()), capacity: 10)
        try other.flush()
        #expect(other.checkpoint == nil, "only file sinks have checkpoints")
    }

    @Test func theSinkFactoryHandsEachFileSinkItsCheckpoint() throws {
        let (scratch, path) = try scratchFile()
        let alerts = Self.alerts
        let settings = FileSinkSettings(path: path)
        let checkpoint: SinkCheckpoint
        do {
            let sink = try FileSink(name: "archive", settings: settings)
            try sink.send(alerts[0])
            try sink.flush()
            checkpoint = try #require(sink.checkpoint)
        }
        try append(alerts[1].line, to: path)
        let configuration = VigilConfiguration(sinks: ["archive": .file(settings)])
        let factory = SinkFactory(configuration: configuration, stateDirectory: scratch.appending("state"),
                                  fileSinkCheckpoints: ["archive": checkpoint])
        let sink = try #require(try factory.makeSink(named: "archive") as? FileSink)
        for alert in alerts[1...2] { try sink.send(alert) }
        try sink.flush()
        #expect(sink.droppedRepeats == 1)
        #expect(try lines(path) == alerts[0...2].map(Self.text))
    }
}

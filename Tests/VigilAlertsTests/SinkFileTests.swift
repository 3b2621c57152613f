import Foundation
import Testing
import VigilAlerts
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@Suite struct SinkFileTests {
    func mode(_ path: String) -> mode_t {
        var status = stat()
        stat(path, &status)
        return status.st_mode & 0o777
    }

    func lines(_ path: String) throws -> [String] {
        try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
            .dropLast().map(String.init)
    }

    @Test func appendsJSONLinesToANewFileOnlyItsOwnerCanRead() throws {
        let scratch = ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let path = scratch.appending("alerts.jsonl")
        let alerts = (0..<3).map { DeliveryFixtures.alert($0) }
        do {
            let sink = try FileSink(name: "file:alerts", settings: FileSinkSettings(path: path))
            #expect(sink.warning == nil)
            for alert in alerts { try sink.send(alert) }
            try sink.flush()
            #expect(try lines(path) == alerts.map { String(decoding: $0.line.dropLast(), as: UTF8.self) })
        }
        #expect(mode(path) == 0o600)
        // A second sink appends after what is there.
        do {
            let sink = try FileSink(name: "file:alerts", settings: FileSinkSettings(path: path))
            try sink.send(DeliveryFixtures.alert(3))
            try sink.flush()
        }
        #expect(try lines(path).count == 4)
    }

    @Test func anExistingFileOthersCanReadKeepsItsModeAndIsWarnedAbout() throws {
        let scratch = ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let path = scratch.appending("shared.jsonl")
        #expect(FileManager.default.createFile(atPath: path, contents: nil))
        chmod(path, 0o644)
        let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: path))
        let warning = try #require(sink.warning)
        #expect(warning.contains("mode 644") && warning.contains("chmod 600"))
        try sink.send(DeliveryFixtures.alert(1))
        try sink.flush()
        #expect(mode(path) == 0o644, "the user's file keeps the mode they gave it")
    }

    @Test func rotatesBySizeWithoutSplittingLinesAndKeepsTheNewestFiles() throws {
        let scratch = ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let path = scratch.appending("alerts.jsonl")
        let alerts = (0..<40).map { DeliveryFixtures.alert($0) }
        // Lines differ by a byte at most (one- or two-digit record numbers), so 3.5 lines hold three.
        let lineLength = alerts[0].line.count
        let settings = FileSinkSettings(path: path, rotateBytes: 3 * lineLength + lineLength / 2, keep: 4)
        do {
            let sink = try FileSink(name: "archive", settings: settings)
            for (index, alert) in alerts.enumerated() {
                try sink.send(alert)
                if index % 7 == 0 { try sink.flush() }  // rotation works across flushes and buffers alike
            }
            try sink.flush()
        }
        // Three lines fit under the limit, so 40 alerts make 14 files; the newest 5 remain.
        let files = [path + ".4", path + ".3", path + ".2", path + ".1", path]
        #expect(!FileManager.default.fileExists(atPath: path + ".5"))
        var kept: [String] = []
        for file in files {
            let contents = try lines(file)
            #expect(!contents.isEmpty && contents.count <= 3, "\(file)")
            #expect(contents.allSatisfy { $0.hasPrefix("{") && $0.hasSuffix("}") }, "whole lines only")
            #expect(mode(file) == 0o600)
            kept += contents
        }
        let expected = alerts.suffix(kept.count).map { String(decoding: $0.line.dropLast(), as: UTF8.self) }
        #expect(kept == Array(expected), "the newest alerts, in order, oldest file first")
        #expect(kept.count == 13)  // 40 = 13 × 3 + 1: four full rotated files and the current one with 1
    }

    @Test("output past the writeback chunk (8 MB), rotated midway, is all there in order")
    func largeOutputAcrossWritebackChunksAndRotation() throws {
        let scratch = ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let path = scratch.appending("alerts.jsonl")
        let alerts = (0..<2_000).map { AWSSinkFixtures.alert($0, padding: 10_000) }  // 21 MB
        do {
            let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: path, rotateBytes: 12 << 20, keep: 2))
            for alert in alerts { try sink.send(alert) }
            try sink.flush()
        }
        let written = try lines(path + ".1") + lines(path)
        #expect(written == alerts.map { String(decoding: $0.line.dropLast(), as: UTF8.self) })
    }

    @Test func aLineLongerThanTheLimitGoesWholeIntoAFileOfItsOwn() throws {
        let scratch = ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let path = scratch.appending("alerts.jsonl")
        let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: path, rotateBytes: 10, keep: 2))
        try sink.send(DeliveryFixtures.alert(1))
        try sink.send(DeliveryFixtures.alert(2))
        try sink.flush()
        #expect(try lines(path + ".1").count == 1)
        #expect(try lines(path).count == 1)
    }

    @Test func aDeviceIsWrittenToWithoutSyncOrRotation() throws {
        let sink = try FileSink(name: "file:/dev/null", settings: FileSinkSettings(path: "/dev/null", rotateBytes: 10))
        for index in 0..<5 { try sink.send(DeliveryFixtures.alert(index)) }
        try sink.flush()  // fsync of a character device would fail with EINVAL
        #expect(sink.warning == nil)
        #expect(!FileManager.default.fileExists(atPath: "/dev/null.1"))
    }

    @Test func aFileThatCannotBeOpenedIsRefusedWithTheReason() {
        do {
            _ = try FileSink(name: "archive", settings: FileSinkSettings(path: "/nonexistent-directory/alerts.jsonl"))
            Issue.record("no such directory")
        } catch {
            #expect(error.description == "sink archive: Cannot open /nonexistent-directory/alerts.jsonl: No such file or directory.")
        }
    }

    @Test func aSymbolicLinkToAFileIsRefusedAndTheFileLeftAlone() throws {
        let scratch = ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let target = scratch.appending("profile")
        try Data("export PATH=/usr/bin\n".utf8).write(to: URL(fileURLWithPath: target))
        let link = scratch.appending("alerts.jsonl")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        do {
            let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: link))
            try sink.send(DeliveryFixtures.alert(1))
            try sink.flush()
            Issue.record("a planted link redirected the alerts")
        } catch {
            #expect(error.description == "sink archive: Refusing \(link): it is a symbolic link to \(target), "
                    + "and alerts are not written through links to files; name the file itself.")
        }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "export PATH=/usr/bin\n")
    }

    @Test func aDanglingSymbolicLinkIsRefusedAndNothingIsCreated() throws {
        let scratch = ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let target = scratch.appending("elsewhere.jsonl")
        let link = scratch.appending("alerts.jsonl")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: target)
        do {
            _ = try FileSink(name: "archive", settings: FileSinkSettings(path: link))
            Issue.record("a dangling link was accepted")
        } catch {
            #expect(error.description == "sink archive: Refusing \(link): it is a symbolic link to \(target), which does not exist. "
                    + "Alerts are not written through links; name the file itself.")
        }
        #expect(!FileManager.default.fileExists(atPath: target))
    }

    @Test func aSymbolicLinkToADeviceIsAStreamTheUserNamed() throws {
        let scratch = ScratchDirectory()
        try FileManager.default.createDirectory(atPath: scratch.path, withIntermediateDirectories: true)
        let link = scratch.appending("alerts.jsonl")
        try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/null")
        let sink = try FileSink(name: "archive", settings: FileSinkSettings(path: link))
        try sink.send(DeliveryFixtures.alert(1))
        try sink.flush()
        #expect(sink.warning == nil)
    }
}

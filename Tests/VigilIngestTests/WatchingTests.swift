import Foundation
import Testing
@testable import VigilIngest
#if canImport(Glibc)
import Glibc
#endif

/// File identity, path filters and the inotify watcher that `vigil tail` builds on.
@Suite struct WatchingTests {
    private static func scratch() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    private static func observation(_ path: String) throws -> FileObservation {
        guard case .file(let observation) = FileObservation.observe(path) else {
            throw CocoaError(.fileReadUnknown)
        }
        return observation
    }

    @Test func aGrowingFileKeepsItsIdentityAndAReplacedOneDoesNot() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("log.jsonl").path
        try Data("first line\n".utf8).write(to: URL(fileURLWithPath: path))
        let first = try Self.observation(path)
        #expect(first.fingerprint == Array("first line\n".utf8))

        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(String(repeating: "more\n", count: 400).utf8))
        try handle.close()
        let grown = try Self.observation(path)
        #expect(grown.identity == first.identity)
        #expect(grown.fingerprint.count == FileIdentity.fingerprintLength, "the fingerprint is capped")
        #expect(grown.continues(fingerprint: first.fingerprint))

        // Replaced by rename: another inode; rewritten in place: another beginning.
        let other = directory.appendingPathComponent("other").path
        try Data("other content\n".utf8).write(to: URL(fileURLWithPath: other))
        #expect(rename(other, path) == 0)
        let replaced = try Self.observation(path)
        #expect(replaced.identity != first.identity)
        #expect(!replaced.continues(fingerprint: first.fingerprint))
    }

    @Test func observingSaysWhatIsNotAFile() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        guard case .missing = FileObservation.observe(directory.appendingPathComponent("nothing").path) else {
            Issue.record("a missing path is missing")
            return
        }
        guard case .notRegularFile = FileObservation.observe(directory.path) else {
            Issue.record("a directory is not a regular file")
            return
        }
    }

    @Test func pathFiltersMatchNamesOrPathsBelowTheDirectory() {
        let gzOnly = PathFilter(include: ["*.json.gz"])
        #expect(gzOnly.admits(relativePath: "AWSLogs/1/CloudTrail/us-east-1/2026/11/20/x.json.gz"))
        #expect(!gzOnly.admits(relativePath: "AWSLogs/1/CloudTrail/us-east-1/2026/11/20/x.json"))
        let cloudTrail = PathFilter(include: ["AWSLogs/*/CloudTrail/*"], exclude: ["*-Digest*", "*.tmp"])
        #expect(cloudTrail.admits(relativePath: "AWSLogs/1/CloudTrail/us-east-1/2026/11/20/x.json.gz"))
        #expect(!cloudTrail.admits(relativePath: "AWSLogs/1/vpcflowlogs/us-east-1/2026/11/20/x.log.gz"))
        #expect(!cloudTrail.admits(relativePath: "AWSLogs/1/CloudTrail-Digest/us-east-1/2026/11/20/x.json.gz"))
        #expect(!cloudTrail.admits(relativePath: "AWSLogs/1/CloudTrail/us-east-1/x.json.gz.tmp"))
        #expect(PathFilter().admits(relativePath: "a/b.log"))
        #expect(!PathFilter().admits(relativePath: "a/README.md"), "documentation is never read")
        #expect(!PathFilter().admits(relativePath: "a/.b.json.gz.part"), "hidden files are never read")
        #expect(!PathFilter().admits(relativePath: ".partial/b.json.gz"))
    }

    @Test func theWatcherReportsFilesAndNewDirectories() throws {
        let directory = try Self.scratch()
        defer { try? FileManager.default.removeItem(at: directory) }
        let watcher = try DirectoryWatcher.make().get()
        #expect(watcher.watch(directory: directory.path) == nil)
        #expect(watcher.readChanges().isEmpty, "nothing happened yet")

        try Data("x\n".utf8).write(to: directory.appendingPathComponent("a.json"))
        try FileManager.default.createDirectory(at: directory.appendingPathComponent("day"), withIntermediateDirectories: false)
        var changes = DirectoryWatcher.Changes()
        for _ in 0..<100 where !changes.paths.contains(directory.path + "/a.json") || changes.directories.isEmpty {
            let more = watcher.readChanges()
            changes.paths.formUnion(more.paths)
            changes.directories.formUnion(more.directories)
            usleep(10_000)
        }
        #expect(changes.paths.contains(directory.path + "/a.json"))
        #expect(changes.directories == [directory.path + "/day"])

        // Watching the new directory reports what happens in it.
        #expect(watcher.watch(directory: directory.path + "/day") == nil)
        #expect(rename(directory.path + "/a.json", directory.path + "/day/b.json") == 0)
        var moved = Set<String>()
        for _ in 0..<100 where !moved.contains(directory.path + "/day/b.json") {
            moved.formUnion(watcher.readChanges().paths)
            usleep(10_000)
        }
        #expect(moved.contains(directory.path + "/a.json"), "moved out")
        #expect(moved.contains(directory.path + "/day/b.json"), "moved in")

        // The watched directory itself going away is reported too.
        try FileManager.default.removeItem(at: directory.appendingPathComponent("day"))
        var gone = Set<String>()
        for _ in 0..<100 where !gone.contains(directory.path + "/day") {
            gone.formUnion(watcher.readChanges().directoriesGone)
            usleep(10_000)
        }
        #expect(gone.contains(directory.path + "/day"))
    }
}

import Foundation
import Testing
@testable import VigilAlerts
@testable import VigilIngest
@testable import VigilPipeline

/// The tail's durable state and the memory of sent alerts.
@Suite struct TailStateTests {
    @Test func aCommitIsReadBackWhole() throws {
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let database = try StateDatabase(directory: scratch.path)
        let state = try TailState(database: database)
        let identity = FileIdentity(device: 2049, inode: UInt64.max - 5)
        var file = TrackedFile(identity: identity, path: "/logs/a.json.gz", fingerprint: [0x1f, 0x8b, 8], size: 300,
                               modified: 1_763_000_000.25, records: 7, decodedOffset: 4096, isComplete: false, baselineSize: nil)
        var commit = TailState.Commit()
        commit.files = [file]
        commit.sentAlerts = ["a1", "a2"]
        commit.checkpoints = [SinkCheckpoint(sink: "archive", path: "/alerts.jsonl", device: 1, inode: 2, size: 1234)]
        var status = TailStatus()
        status.records = 7
        commit.status = status
        try state.commit(commit)

        var snapshot = try TailState(database: StateDatabase(directory: scratch.path)).load()
        #expect(snapshot.files.count == 1)
        let loaded = try #require(snapshot.files.first)
        #expect(loaded.identity == identity, "inodes above Int64.max survive")
        #expect(loaded.path == file.path && loaded.fingerprint == file.fingerprint && loaded.records == 7)
        #expect(loaded.modified == file.modified && !loaded.isComplete && loaded.baselineSize == nil)
        #expect(Set(snapshot.sentAlerts) == ["a1", "a2"])
        #expect(snapshot.checkpoints["archive"]?.size == 1234)
        #expect(try TailStatusReport.read(stateDirectory: scratch.path).status?.records == 7)

        // A later commit moves the file on and forgets it.
        file.records = 9
        file.isComplete = true
        try state.commit(TailState.Commit(files: [file]))
        snapshot = try state.load()
        #expect(snapshot.files.first?.records == 9 && snapshot.files.first?.isComplete == true)
        try state.commit(TailState.Commit(forgotten: [identity]))
        #expect(try state.load().files.isEmpty)
    }

    @Test func sentIDsAreRememberedBoundedAndHandedOutOnce() {
        var ids = SentAlertIDs(generationSize: 3, recordsAdded: true)
        ids.remember(["old"])
        var inserted = ids.insert("old")
        #expect(!inserted, "an id an earlier process sent is not sent again")
        inserted = ids.insert("a") && ids.insert("b")
        #expect(inserted)
        inserted = ids.insert("a")
        #expect(!inserted)
        var added = ids.takeAdded()
        #expect(added == ["a", "b"])
        added = ids.takeAdded()
        #expect(added.isEmpty)
        for index in 0..<10 { _ = ids.insert("n\(index)") }
        inserted = ids.insert("a")
        #expect(inserted, "ids from two generations back are forgotten: memory stays bounded")
        inserted = ids.insert("n9")
        #expect(!inserted)

        // Alert ids are kept as their 128 bits: ids one digit apart stay apart.
        var hex = SentAlertIDs(generationSize: 10)
        inserted = hex.insert("0123456789abcdef0123456789abcdef") && hex.insert("0123456789abcdef0123456789abcdee")
        #expect(inserted)
        inserted = hex.insert("0123456789abcdef0123456789abcdef")
        #expect(!inserted)

        var unbounded = SentAlertIDs()
        var all = true
        for index in 0..<1000 { all = unbounded.insert("x\(index)") && all }
        #expect(all)
        inserted = unbounded.insert("x0")
        #expect(!inserted)
        added = unbounded.takeAdded()
        #expect(added.isEmpty, "replay does not record what it adds")
    }
}

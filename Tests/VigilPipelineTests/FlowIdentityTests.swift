import Foundation
import Testing
import VigilAlerts
import VigilIngest
import VigilPipeline

/// A flow record's identity is its file and line: the event ids `normalize` prints and the alert
/// ids `replay` sends must be the same however the file's path is typed, so that a receiver can
/// recognize an alert sent again.
@Suite("Flow record ids do not depend on how the path is spelled")
struct FlowIdentityTests {
    static let flowLog = """
        version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
        2 111122223333 eni-0a1b2c3d 198.51.100.7 10.0.1.20 51234 5432 6 3 180 1795683900 1795683960 REJECT OK
        2 111122223333 eni-0a1b2c3d 10.0.1.20 10.0.2.9 443 51000 6 10 4200 1795683900 1795683960 ACCEPT OK
        2 111122223333 eni-0a1b2c3d 203.0.113.50 10.0.1.20 40000 5432 6 2 120 1795683960 1795684020 REJECT OK

        """

    static let rule = """
        {"name": "flow-rejected-postgres", "severity": "low",
         "eventPattern": {"source": ["aws.vpcflowlogs"], "detail": {"action": ["REJECT"], "dstport": [5432]}}}
        """

    /// A folder holding `a.log`, a link `link.log` to it, a link `linked/` to the folder itself, and the rule.
    struct Files {
        let directory: URL
        var file: String { directory.appendingPathComponent("a.log").path }
        var rules: String { directory.appendingPathComponent("rules").path }

        init() throws {
            directory = try PipelineFixtures.temporaryDirectory()
            try Data(FlowIdentityTests.flowLog.utf8).write(to: directory.appendingPathComponent("a.log"))
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("link.log").path,
                                                       withDestinationPath: file)
            try FileManager.default.createSymbolicLink(atPath: directory.appendingPathComponent("linked").path,
                                                       withDestinationPath: directory.path)
            try FileManager.default.createDirectory(atPath: rules, withIntermediateDirectories: true)
            try Data(FlowIdentityTests.rule.utf8).write(to: URL(fileURLWithPath: rules).appendingPathComponent("rule.json"))
        }

        /// The same file: absolute, relative to the working directory, relative with `./`, through a
        /// link to the file, through a link to its folder, and with `..` in it.
        var spellings: [String] {
            let working = FileManager.default.currentDirectoryPath.split(separator: "/").count
            let relative = String(repeating: "../", count: working) + file.dropFirst()
            return [file, relative, "./" + relative, directory.appendingPathComponent("link.log").path,
                    directory.appendingPathComponent("linked/a.log").path,
                    directory.appendingPathComponent("rules/../a.log").path]
        }

        func remove() {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    @Test func normalizedEventIDsAreTheSameForEverySpelling() throws {
        let files = try Files()
        defer { files.remove() }
        var idsBySpelling: [String: [String]] = [:]
        for path in files.spellings {
            #expect(FileManager.default.fileExists(atPath: path), "\(path)")
            var ids: [String] = []
            _ = Normalization(paths: [path]).run(onEvent: { line in
                let event = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any]
                ids.append(event?["id"] as? String ?? "?")
            }, onProblem: { Issue.record("\($0)") })
            #expect(ids.count == 3, "\(path)")
            idsBySpelling[path] = ids
        }
        let reference = try #require(idsBySpelling[files.file])
        #expect(Set(reference).count == 3, "each line has its own id")
        for (path, ids) in idsBySpelling {
            #expect(ids == reference, "\(path) gives other event ids than \(files.file)")
        }
    }

    @Test func alertIDsAreTheSameForEverySpellingAndTheAlertShowsThePathAsTyped() throws {
        let files = try Files()
        defer { files.remove() }
        var idsBySpelling: [String: [String]] = [:]
        for path in files.spellings {
            let outcome = try PipelineFixtures.replay([path], rules: [files.rules])
            #expect(outcome.problems.isEmpty, "\(outcome.problems)")
            #expect(outcome.alerts.count == 2, "\(path)")
            for alert in outcome.alerts {
                let source = alert["source"] as? [String: Any]
                #expect(source?["file"] as? String == path, "source.file is the path as typed")
            }
            idsBySpelling[path] = outcome.alerts.map { $0["id"] as? String ?? "?" }
        }
        let reference = try #require(idsBySpelling[files.file])
        for (path, ids) in idsBySpelling {
            #expect(ids == reference, "\(path) gives other alert ids than \(files.file)")
        }
    }
}

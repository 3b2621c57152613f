import Foundation
import VigilAlerts
import VigilIngest
import VigilPipeline

/// Paths of the shipped sample data and rules, and helpers that run a replay in-process.
enum PipelineFixtures {
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let sampleLogs = repository.appendingPathComponent("SampleLogs").path
    static let rules = repository.appendingPathComponent("Rules").path

    /// A temporary directory, removed by `remove`.
    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-pipeline-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    struct Outcome {
        var summary: RunSummary
        var alerts: [[String: Any]]
        var lines: [String]
        /// The alert file as written.
        var text: String
        var problems: [InputProblem]
    }

    /// Replays `paths` with the rules under `rulePaths`, alerts going to a file sink.
    static func replay(_ paths: [String], rules rulePaths: [String] = [rules], filter: EventFilter = EventFilter(),
                       limits: ReaderLimits = ReaderLimits(), jobs: Int = 1) throws -> Outcome {
        let loaded = RuleLoader.load(paths: rulePaths)
        precondition(loaded.problems.isEmpty, "rule problems: \(loaded.problems)")
        let directory = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let alertFile = directory.appendingPathComponent("alerts.jsonl").path
        let sink = SinkQueue(try FileSink(name: "file:test", settings: FileSinkSettings(path: alertFile)), capacity: 1_000)
        let router = AlertRouter(defaultSinks: [sink], namedSinks: [])
        var options = Replay.Options(paths: paths)
        options.reading = EventReader.Settings(filter: filter, limits: limits)
        options.jobs = jobs
        var problems: [InputProblem] = []
        let summary = Replay(rules: RuleSet(loaded.rules), router: router, options: options).run { problems.append($0) }
        let text = (try? String(contentsOfFile: alertFile, encoding: .utf8)) ?? ""
        let lines = text.split(separator: "\n").map(String.init)
        let alerts = try lines.map { line in
            try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
        }
        return Outcome(summary: summary, alerts: alerts, lines: lines, text: text, problems: problems)
    }
}

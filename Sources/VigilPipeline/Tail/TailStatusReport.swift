import Foundation
import GRDB
import VigilAlerts

/// What `vigil status` shows: the last status a tail saved in a state directory, whether a tail
/// holds the directory now, its files' progress, and the webhook spool and dead letters.
public struct TailStatusReport: Sendable {
    /// The status the tail saved last (nil when no tail ever ran on the directory).
    public var status: TailStatus?
    /// The process holding the directory's lock, when a tail is running.
    public var runningProcess: Int32?
    public var filesComplete = 0
    public var filesIncomplete = 0
    /// Alerts waiting in the webhook spool, by sink.
    public var spoolBySink: [String: Int] = [:]
    public var deadLetters = 0

    /// Reads the report from `directory` without changing anything there. Throws when there is
    /// no state database to read.
    public static func read(stateDirectory directory: String) throws(StateError) -> TailStatusReport {
        let path = directory.hasSuffix("/") ? directory + StateDatabase.fileName : directory + "/" + StateDatabase.fileName
        guard FileManager.default.fileExists(atPath: path) else {
            throw StateError("No state database in \(directory): no tail or webhook sink has used it.")
        }
        var report = TailStatusReport()
        report.runningProcess = StateDirectoryLock.holder(of: directory)
        var configuration = Configuration()
        configuration.readonly = true
        do {
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            try queue.read { db in
                if try db.tableExists("tail_status"),
                   let text = try String.fetchOne(db, sql: "SELECT status FROM tail_status WHERE id = 1") {
                    report.status = TailStatus(encoded: text)
                }
                if try db.tableExists("tail_files") {
                    report.filesComplete = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tail_files WHERE complete") ?? 0
                    report.filesIncomplete = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tail_files WHERE NOT complete") ?? 0
                }
                if try db.tableExists("delivery_spool") {
                    for row in try Row.fetchAll(db, sql: "SELECT sink, COUNT(*) AS depth FROM delivery_spool GROUP BY sink") {
                        report.spoolBySink[row["sink"]] = row["depth"]
                    }
                }
            }
        } catch {
            throw StateError("Cannot read the state database \(path): \(error).")
        }
        report.deadLetters = (try? DeadLetterFile(stateDirectory: directory).readLines().count) ?? 0
        return report
    }

    /// The report as lines for a person.
    public func render(now: Date = Date()) -> String {
        var lines: [String] = []
        if let runningProcess {
            lines.append("tail: running (pid \(runningProcess))")
        } else {
            lines.append("tail: not running" + (status.map { " (last state: \($0.state.rawValue))" } ?? ""))
        }
        if let status {
            let age = now.timeIntervalSince1970 - status.updatedAt
            lines.append("updated: \(Self.format(status.updatedAt)) (\(Int(age.rounded())) s ago); started \(Self.format(status.startedAt))")
            if !status.directories.isEmpty { lines.append("directories: \(status.directories.joined(separator: ", "))") }
            lines.append("health: \(status.healthLine)")
        }
        lines.append("files: \(filesComplete + filesIncomplete) tracked, \(filesIncomplete) not read to the end")
        let spool = spoolBySink.values.reduce(0, +)
        var spoolLine = "webhook spool: \(spool) waiting"
        if !spoolBySink.isEmpty {
            spoolLine += " (" + spoolBySink.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
        }
        lines.append(spoolLine)
        lines.append("dead letters: \(deadLetters)")
        return lines.joined(separator: "\n")
    }

    private static func format(_ seconds: Double) -> String {
        let formatter = ISO8601DateFormatter()
        return formatter.string(from: Date(timeIntervalSince1970: seconds))
    }
}

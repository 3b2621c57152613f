import Foundation
import Testing

/// Headless Chromium for the browser tests, through `cdp_check.py` (a DevTools-protocol client on
/// Python's standard library).
///
/// Outside CI a machine without Chromium skips these tests with a message; in CI (`CI` set, as
/// `.ci/run` does, which also installs Debian's `chromium`) a missing browser fails them.
enum Chromium {
    static let path: String? = {
        let environment = ProcessInfo.processInfo.environment
        let candidates = [environment["VIGIL_CHROMIUM"]].compactMap { $0 }
            + ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }()

    static var inCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty } ?? false }

    /// Whether the browser tests run: a browser is there, or this is CI (where its absence fails).
    static var runs: Bool { path != nil || inCI }

    static let skipMessage: Comment = "chromium is not installed (Debian: apt-get install chromium; or set VIGIL_CHROMIUM): the report's browser tests are skipped; CI installs it and never skips them"

    /// What loading `file` did, and `expression`'s value (JSON text, as the page's
    /// `JSON.stringify` gave it).
    struct Outcome: Decodable {
        let requests: [String]
        let console: [String]
        let exceptions: [String]
        let result: String?
        let load_ms: Int
    }

    static func load(_ file: URL, evaluating expression: String) throws -> Outcome {
        guard let path else {
            Issue.record("CI has no chromium: .ci/run installs Debian's chromium, and the report's browser tests need it")
            throw CocoaError(.fileNoSuchFile)
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("cdp_check.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path, path, file.path, expression]
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        let errorText = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            Issue.record("cdp_check.py failed (\(process.terminationStatus)): \(errorText)")
            throw CocoaError(.executableLoad)
        }
        return try JSONDecoder().decode(Outcome.self, from: data)
    }
}

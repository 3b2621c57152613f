import Foundation

/// Locations of test inputs, found from this file's place in the repository.
enum TestPaths {
    /// The repository root (the directory holding Package.swift).
    static let repository: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the repository, where the corpus and conformance cases live.
    static let shared: URL = repository.deletingLastPathComponent().appendingPathComponent("shared")

    static let conformanceCases = shared.appendingPathComponent("conformance/pattern-cases.jsonl")
    static let corpus = shared.appendingPathComponent("corpus")

    static func exists(_ url: URL) -> Bool {
        FileManager.default.fileExists(atPath: url.path)
    }
}

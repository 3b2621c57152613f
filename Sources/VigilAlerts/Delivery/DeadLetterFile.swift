import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The dead-letter file, `<state dir>/dead-letters.jsonl`: one `DeadLetter` per line, mode 0600
/// (the bodies are security findings).
///
/// An append is synced before it returns, so a sink deletes a spool row only once its dead letter
/// is on disk: an alert is in the spool, delivered, or here, never nowhere. A crash between the
/// two leaves it in both places, and it is tried again; a repeat is better than a loss.
///
/// Appends and rewrites hold an exclusive lock on `<path>.lock`, so that a redrive rewriting the
/// file in one process cannot drop a line another process appends meanwhile.
public struct DeadLetterFile: Sendable {
    public static let fileName = "dead-letters.jsonl"

    /// `<state dir>/dead-letters.jsonl`.
    public let path: String
    private let directory: String
    private var lockPath: String { path + ".lock" }

    public init(stateDirectory: String) {
        directory = stateDirectory
        path = stateDirectory.hasSuffix("/") ? stateDirectory + Self.fileName : stateDirectory + "/" + Self.fileName
    }

    /// One line of the file: the dead letter, or why the line could not be read (a line is never
    /// dropped for being unreadable; rewrites keep it as it is).
    public struct Line: Sendable {
        /// 1-based, for messages.
        public let number: Int
        public let text: [UInt8]
        public let letter: Result<DeadLetter, DeadLetterError>
    }

    /// Appends `letter` and syncs the file.
    public func append(_ letter: DeadLetter) throws(DeadLetterError) {
        try locked { () throws(DeadLetterError) in
            let existed = access(path, F_OK) == 0
            let descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o600)
            guard descriptor >= 0 else {
                throw DeadLetterError("Cannot open the dead-letter file \(path): \(DurableFiles.lastError()).")
            }
            defer { close(descriptor) }
            if let problem = DurableFiles.writeAll(letter.jsonLine(), to: descriptor) {
                throw DeadLetterError("Cannot write to the dead-letter file \(path): \(problem).")
            }
            guard fsync(descriptor) == 0 else {
                throw DeadLetterError("Cannot sync the dead-letter file \(path): \(DurableFiles.lastError()).")
            }
            if !existed, let problem = DurableFiles.syncDirectory(directory) {
                throw DeadLetterError("Cannot sync the state directory \(directory): \(problem).")
            }
        }
    }

    /// Every line of the file, in order; none when the file does not exist.
    public func readLines() throws(DeadLetterError) -> [Line] {
        guard exists else { return [] }
        return try locked { () throws(DeadLetterError) in try readUnlocked() }
    }

    /// Whether the file exists; when it does not, there is nothing to read or remove, and the
    /// state directory (where the lock file goes) may not exist either.
    private var exists: Bool {
        access(path, F_OK) == 0
    }

    /// Rewrites the file without the lines for which `remove` returns true, durably: the rest goes
    /// to a temporary file that is synced and renamed over the original, so a crash leaves the old
    /// file or the new one, never a half-written one. `body` runs first, under the same lock, with
    /// the lines that will be removed; if it throws, the file is left unchanged. Returns those lines.
    @discardableResult
    public func remove(
        where remove: (Line) -> Bool,
        after body: ([Line]) throws(DeadLetterError) -> Void = { _ throws(DeadLetterError) in }
    ) throws(DeadLetterError) -> [Line] {
        guard exists else { return [] }
        return try locked { () throws(DeadLetterError) in
            let lines = try readUnlocked()
            let removed = lines.filter(remove)
            guard !removed.isEmpty else { return [] }
            try body(removed)
            let removedNumbers = Set(removed.map(\.number))
            var kept: [UInt8] = []
            for line in lines where !removedNumbers.contains(line.number) {
                kept.append(contentsOf: line.text)
                kept.append(0x0A)
            }
            try replaceContents(with: kept)
            return removed
        }
    }

    private func locked<Result>(_ body: () throws(DeadLetterError) -> Result) throws(DeadLetterError) -> Result {
        try DurableFiles.withExclusiveLock(lockPath, failure: { DeadLetterError("Cannot lock the dead-letter file: \($0).") }, body)
    }

    private func readUnlocked() throws(DeadLetterError) -> [Line] {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 {
            if errno == ENOENT { return [] }
            throw DeadLetterError("Cannot open the dead-letter file \(path): \(DurableFiles.lastError()).")
        }
        defer { close(descriptor) }
        let contents: [UInt8]
        switch DurableFiles.readAll(descriptor) {
        case .contents(let bytes): contents = bytes
        case .failed(let reason): throw DeadLetterError("Cannot read the dead-letter file \(path): \(reason).")
        case .tooLarge: throw DeadLetterError("The dead-letter file \(path) is too large to read.")  // no limit given
        }
        var lines: [Line] = []
        var number = 0
        for text in contents.split(separator: 0x0A, omittingEmptySubsequences: false) {
            number += 1
            guard !text.allSatisfy({ $0 == 0x20 || $0 == 0x0D || $0 == 0x09 }) else { continue }
            let bytes = Array(text)
            let letter: Result<DeadLetter, DeadLetterError>
            do {
                letter = .success(try DeadLetter(jsonLine: bytes))
            } catch {
                letter = .failure(DeadLetterError("Line \(number) of \(path): \(error.description)"))
            }
            lines.append(Line(number: number, text: bytes, letter: letter))
        }
        return lines
    }

    private func replaceContents(with contents: [UInt8]) throws(DeadLetterError) {
        let temporaryPath = path + ".tmp-\(getpid())"
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw DeadLetterError("Cannot create \(temporaryPath): \(DurableFiles.lastError()).")
        }
        var problem = DurableFiles.writeAll(contents, to: descriptor)
        if problem == nil, fsync(descriptor) != 0 { problem = DurableFiles.lastError() }
        close(descriptor)
        if let problem {
            unlink(temporaryPath)
            throw DeadLetterError("Cannot write \(temporaryPath): \(problem).")
        }
        guard rename(temporaryPath, path) == 0 else {
            let reason = DurableFiles.lastError()
            unlink(temporaryPath)
            throw DeadLetterError("Cannot replace the dead-letter file \(path): \(reason).")
        }
        if let problem = DurableFiles.syncDirectory(directory) {
            throw DeadLetterError("Cannot sync the state directory \(directory): \(problem).")
        }
    }
}

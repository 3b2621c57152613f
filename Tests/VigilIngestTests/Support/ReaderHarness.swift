import CZlib
import Foundation
import Testing
@testable import VigilIngest
import VigilJSON

// What the reader tests share: a visitor that keeps what a reader hands it, ways to run a reader
// over bytes or files, normalization of what was kept, and fixture helpers (temporary directories,
// gzip, base64 CloudWatch Logs payloads). Nothing reads the network.

/// A record as a visitor saw it, with its bytes copied (a `LogRecord`'s bytes live only during
/// the `visit` call).
struct KeptRecord {
    var kind: LogRecord.Kind
    var bytes: [UInt8]
    var ordinal: Int
    var decodedOffset: Int
    var flowFormat: FlowLogFormat?
    var ownerAccount: String?

    var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The record's JSON as a Foundation dictionary (nil for flow lines or bytes that do not parse).
    var object: [String: Any]? {
        (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any]
    }

    /// Calls `body` with a `LogRecord` over the kept bytes.
    func withLogRecord<Result>(_ body: (LogRecord) throws -> Result) rethrows -> Result {
        try bytes.withUnsafeBytes { buffer in
            try body(LogRecord(kind: kind, bytes: buffer, ordinal: ordinal, decodedOffset: decodedOffset,
                               flowFormat: flowFormat, ownerAccount: ownerAccount))
        }
    }
}

/// Keeps every record (copied), problem and skip, in the order the reader hands them on.
struct Collector: RecordVisitor {
    enum Event: Equatable {
        case record(Int)
        case problem(InputProblem.Kind)
        case skip(SkipReason)
    }

    var records: [KeptRecord] = []
    var problems: [InputProblem] = []
    var skips: [SkipReason] = []
    /// Everything, interleaved, for order checks: records by ordinal.
    var events: [Event] = []
    /// False to count records without copying them (for large inputs).
    var keepsBytes = true
    var recordCount = 0
    /// Called on every record, for probes such as the reader's memory.
    var onVisit: ((LogRecord) -> Void)?

    mutating func visit(_ record: LogRecord) {
        recordCount += 1
        events.append(.record(record.ordinal))
        onVisit?(record)
        guard keepsBytes else { return }
        records.append(KeptRecord(kind: record.kind, bytes: Array(record.bytes), ordinal: record.ordinal,
                                  decodedOffset: record.decodedOffset, flowFormat: record.flowFormat,
                                  ownerAccount: record.ownerAccount))
    }

    mutating func report(_ problem: InputProblem) {
        problems.append(problem)
        events.append(.problem(problem.kind))
    }

    mutating func skip(_ reason: SkipReason) {
        skips.append(reason)
        events.append(.skip(reason))
    }

    func records(of kind: LogRecord.Kind) -> [KeptRecord] { records.filter { $0.kind == kind } }
    func problems(of kind: InputProblem.Kind) -> [InputProblem] { problems.filter { $0.kind == kind } }
    var kinds: [LogRecord.Kind] { records.map(\.kind) }

    /// The records' texts, in order.
    var texts: [String] { records.map(\.text) }
}

/// An envelope as written by `EnvelopeWriter`, validated, and parsed back for field checks.
struct WrittenEnvelope {
    var json: [UInt8]
    var object: [String: Any]
    /// The envelope's `eventTime` (seconds since 1970), as the normalizer parsed it.
    var eventTime: Int64?
    var identity: String

    var text: String { String(decoding: json, as: UTF8.self) }
    subscript(_ key: String) -> String? { object[key] as? String }
    var detail: [String: Any]? { object["detail"] as? [String: Any] }
}

enum Harness {
    /// Reads `bytes` (plain or gzip) named `name` with `limits`.
    static func read(_ bytes: [UInt8], name: String = "input", limits: ReaderLimits = ReaderLimits()) -> Collector {
        var collector = Collector()
        LogFileReader(input: DecodedInput(bytes: bytes, name: name), limits: limits).read(into: &collector)
        return collector
    }

    static func read(_ text: String, name: String = "input", limits: ReaderLimits = ReaderLimits()) -> Collector {
        read(Array(text.utf8), name: name, limits: limits)
    }

    /// Reads the file at `path` with `limits`.
    static func read(path: String, limits: ReaderLimits = ReaderLimits()) throws -> Collector {
        var collector = Collector()
        LogFileReader(input: try DecodedInput(path: path), limits: limits).read(into: &collector)
        return collector
    }

    /// Normalizes every kept record with a fresh normalizer as for a file at `path`, writes each
    /// envelope, and checks the output is valid JSON. Records the normalizer refuses come back as
    /// problems, in order.
    static func normalize(_ records: [KeptRecord], path: String,
                          sourceLocation: SourceLocation = #_sourceLocation) -> (envelopes: [WrittenEnvelope], refused: [(ordinal: Int, problem: InputProblem)]) {
        var normalizer = EventNormalizer()
        let context = LogFileContext(path: path)
        var envelopes: [WrittenEnvelope] = []
        var refused: [(Int, InputProblem)] = []
        for record in records {
            record.withLogRecord { logRecord in
                do throws(InputProblem) {
                    let envelope = try normalizer.normalize(logRecord, context: context)
                    var json: [UInt8] = []
                    EnvelopeWriter.append(envelope, to: &json)
                    do {
                        try JSONValidator.validate(json)
                    } catch {
                        Issue.record("invalid envelope JSON (\(error)): \(String(decoding: json, as: UTF8.self))",
                                     sourceLocation: sourceLocation)
                        return
                    }
                    // Written compact: a detail copied as known compact (`detailIsKnownCompact`) must be.
                    var compacted: [UInt8] = []
                    json.withUnsafeBytes { JSONText.appendCompacted($0, to: &compacted) }
                    #expect(compacted == json, "envelope JSON not compact: \(String(decoding: json, as: UTF8.self))",
                            sourceLocation: sourceLocation)
                    guard let object = (try? JSONSerialization.jsonObject(with: Data(json))) as? [String: Any] else {
                        Issue.record("envelope is not an object: \(String(decoding: json, as: UTF8.self))",
                                     sourceLocation: sourceLocation)
                        return
                    }
                    envelopes.append(WrittenEnvelope(json: json, object: object, eventTime: envelope.eventTime,
                                                     identity: String(decoding: envelope.identity, as: UTF8.self)))
                } catch {
                    refused.append((record.ordinal, error))
                }
            }
        }
        return (envelopes, refused)
    }

    /// Normalizes one record given as JSON text or a flow line.
    static func envelope(_ kind: LogRecord.Kind, _ text: String, path: String = "input",
                         flowFormat: FlowLogFormat? = nil, ownerAccount: String? = nil,
                         sourceLocation: SourceLocation = #_sourceLocation) throws -> WrittenEnvelope {
        let record = KeptRecord(kind: kind, bytes: Array(text.utf8), ordinal: 0, decodedOffset: 0,
                                flowFormat: flowFormat, ownerAccount: ownerAccount)
        let result = normalize([record], path: path, sourceLocation: sourceLocation)
        if let refused = result.refused.first { throw refused.problem }
        return try #require(result.envelopes.first, sourceLocation: sourceLocation)
    }

    // MARK: Fixtures

    /// Runs `body` with a fresh temporary directory, removed afterwards.
    /// Reads everything `reader` gives, without keeping the bytes, and returns what was collected
    /// and the largest capacity its window reached on the way (for the memory-bound tests).
    static func readNotingLargestWindow(_ reader: LogFileReader) -> (collector: Collector, largestWindow: Int) {
        let window = reader.window
        var largest = window.capacity
        var collector = Collector()
        collector.keepsBytes = false
        collector.onVisit = { _ in largest = max(largest, window.capacity) }
        reader.read(into: &collector)
        return (collector, max(largest, window.largestCapacity))
    }

    static func withDirectory<Result>(_ body: (URL) throws -> Result) throws -> Result {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-reader-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        return try body(directory)
    }

    @discardableResult
    static func write(_ bytes: [UInt8], to directory: URL, name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url.path
    }

    /// One gzip member holding `bytes`, made by zlib's deflate (what gzip(1) uses).
    static func gzip(_ bytes: [UInt8], level: CInt = 6) -> [UInt8] {
        // On the heap: zlib refuses a z_stream whose address changed since init.
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        defer { stream.deallocate() }
        // deflateInit2 is a C macro; windowBits 15 + 16 asks for a gzip header and trailer.
        let status = deflateInit2_(stream, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY,
                                   zlibVersion(), CInt(MemoryLayout<z_stream>.size))
        precondition(status == Z_OK)
        defer { deflateEnd(stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(stream, uLong(bytes.count))))
        var input = bytes
        let produced = input.withUnsafeMutableBufferPointer { inputBuffer in
            output.withUnsafeMutableBufferPointer { outputBuffer in
                stream.pointee.next_in = inputBuffer.baseAddress
                stream.pointee.avail_in = uInt(inputBuffer.count)
                stream.pointee.next_out = outputBuffer.baseAddress
                stream.pointee.avail_out = uInt(outputBuffer.count)
                precondition(deflate(stream, Z_FINISH) == Z_STREAM_END)
                return outputBuffer.count - Int(stream.pointee.avail_out)
            }
        }
        return Array(output[..<produced])
    }

    /// A CloudWatch Logs subscription payload: `{"messageType":…,"owner":…,"logEvents":[…]}`.
    static func subscriptionPayload(messages: [String], owner: String = "444455556666",
                                    messageType: String = "DATA_MESSAGE") -> String {
        let events = messages.enumerated().map { index, message in
            #"{"id":"\#(index)","timestamp":1763629200000,"message":\#(JSONText.quoted(message))}"#
        }
        return #"{"messageType":"\#(messageType)","owner":"\#(owner)","logGroup":"group","logStream":"stream","#
            + #""subscriptionFilters":["f"],"logEvents":[\#(events.joined(separator: ","))]}"#
    }

    /// base64(gzip(text)), as CloudWatch Logs delivers a payload.
    static func base64Gzip(_ text: String) -> String {
        Data(gzip(Array(text.utf8))).base64EncodedString()
    }

    /// The elements of a JSON array file, by Foundation, independently of the reader.
    static func arrayCount(of url: URL) throws -> Int {
        let value = try JSONSerialization.jsonObject(with: Data(contentsOf: url))
        return try #require(value as? [Any]).count
    }
}

/// The shared corpus beside the package (`../shared/corpus`), found from this file's place.
enum Corpus {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // VigilIngestTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root
        .appendingPathComponent("../shared/corpus")
        .standardizedFileURL

    static var isPresent: Bool { FileManager.default.fileExists(atPath: root.appendingPathComponent("SOURCES.md").path) }

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }

    /// The files of a corpus folder, sorted by name.
    static func files(in folder: String, ext: String) throws -> [URL] {
        try FileManager.default.contentsOfDirectory(at: url(folder), includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == ext }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
    }
}

/// The fixtures checked in under `Tests/Fixtures` (their origins in its SOURCES.md).
enum FixtureFiles {
    static let root: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // VigilIngestTests
        .deletingLastPathComponent()  // Tests
        .appendingPathComponent("Fixtures")

    static func url(_ relative: String) -> URL { root.appendingPathComponent(relative) }
}

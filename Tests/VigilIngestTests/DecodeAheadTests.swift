import Foundation
import Testing
@testable import VigilIngest

// Decode-ahead must be invisible in what a reader hands on: every test reads the same input inline
// and ahead (in rings small enough that records cross buffers and outgrow the headroom, and in the
// standard ring) and expects the same records, offsets, bytes, problems and skips. Fixtures are
// made at test time, gzip by zlib's deflate.

@Suite("Decode-ahead: decoding on a thread of its own reads what decoding inline reads")
struct DecodeAheadTests {
    /// Records cross buffers all the time, and many outgrow the headroom.
    static let small = DecodeAhead.Layout(buffers: 2, bufferSize: 4096, headroom: 1024)
    /// No headroom: every kept byte goes through the combined buffer.
    static let noHeadroom = DecodeAhead.Layout(buffers: 3, bufferSize: 1000, headroom: 0)
    static let layouts: [DecodeAhead.Layout] = [small, noHeadroom, .standard]

    /// A record as seen, for comparing whole reads.
    struct Seen: Equatable, CustomStringConvertible {
        var kind: LogRecord.Kind
        var ordinal: Int
        var decodedOffset: Int
        var bytes: [UInt8]

        var description: String { "#\(ordinal) \(kind) @\(decodedOffset) (\(bytes.count) bytes)" }
    }

    /// Everything a read came to.
    struct Outcome: Equatable {
        var records: [Seen] = []
        var problems: [InputProblem] = []
        var skips: [SkipReason] = []
        var events: [Collector.Event] = []
        /// The input's offsets once the read is over.
        var decodedBytes = 0
        var storedBytes = 0
    }

    // MARK: Same records

    @Test("A multi-member gzip of many records, members cut mid-record, reads the same", arguments: layouts)
    func multiMember(layout: DecodeAhead.Layout) throws {
        let lines = (0..<1500).map { Fixture.cloudTrail($0) + "\n" }.joined()
        let compressed = Self.members(Array(lines.utf8), cuts: 5)
        let inline = try Self.expectSame(layout, { DecodedInput(bytes: compressed, name: "lines.gz") })
        #expect(inline.records.count == 1500)
        #expect(inline.problems.isEmpty)
        #expect(inline.decodedBytes == lines.utf8.count)

        let container = #"{"Records":["# + (0..<1000).map { Fixture.cloudTrail($0) }.joined(separator: ",") + "]}"
        let containerGzip = Self.members(Array(container.utf8), cuts: 3)
        let array = try Self.expectSame(layout, { DecodedInput(bytes: containerGzip, name: "trail.json.gz") })
        #expect(array.records.count == 1000)
        #expect(array.problems.isEmpty)
    }

    @Test("Records longer than the headroom, the buffer and the limit read the same, and the memory goes back",
          arguments: layouts)
    func largeRecords(layout: DecodeAhead.Layout) throws {
        var records: [String] = []
        for index in 0..<300 {
            // Now and then one longer than a small ring's buffers, and one over the limit.
            let padding = index % 50 == 10 ? 60_000 : index % 100 == 70 ? 300_000 : 0
            records.append(Fixture.cloudTrail(index, padding: padding))
        }
        let text = #"{"Records":["# + records.joined(separator: ",") + "]}"
        let compressed = Harness.gzip(Array(text.utf8))
        let limits = ReaderLimits(maximumRecordSize: 100_000)
        let inline = try Self.expectSame(layout, { DecodedInput(bytes: compressed, name: "large.gz") }, limits: limits)
        #expect(inline.records.count == 297)
        #expect(inline.problems.map(\.kind) == [.oversizedRecord, .oversizedRecord, .oversizedRecord])
        #expect(inline.records.contains { $0.bytes.count > 60_000 })

        // The combined buffer a long record needed is freed once records fit the headroom again.
        guard layout.headroom > 0 else { return }
        let reader = LogFileReader(input: DecodedInput(bytes: compressed, name: "large.gz"), limits: limits,
                                   aheadLayout: layout)
        var collector = Collector()
        collector.keepsBytes = false
        reader.read(into: &collector)
        let ring = try #require(reader.window.decoder).capacity
        #expect(reader.window.capacity == ring)
    }

    @Test("A truncated gzip file delivers the same records, then the same problem", arguments: layouts)
    func truncated(layout: DecodeAhead.Layout) throws {
        let lines = (0..<800).map { Fixture.cloudTrail($0) + "\n" }.joined()
        let compressed = Self.members(Array(lines.utf8), cuts: 2)
        let n = compressed.count
        for cut in [5, 11, n / 3, n / 2, n - 9, n - 1] {
            let part = Array(compressed[..<cut])
            let inline = try Self.expectSame(layout, { DecodedInput(bytes: part, name: "cut.gz") })
            #expect(inline.problems.map(\.kind) == [.corruptCompression], "cut \(cut)")
            #expect(inline.problems.first?.offset == cut, "cut \(cut)")
        }
    }

    @Test("A truncated gzip file delivers every byte before the cut, whatever the destination size",
          arguments: GzipEngine.available)
    func truncatedWhateverTheDestination(engine: GzipEngine) {
        // The decode-ahead thread fills the last bytes of a buffer through small destinations; a
        // decoder holding output it had no room for must still deliver it before the cut is reported.
        let text = Array((0..<800).map { Fixture.cloudTrail($0) + "\n" }.joined().utf8)
        let compressed = Self.members(text, cuts: 2)
        for cut in [compressed.count / 2, compressed.count - 9, compressed.count - 1] {
            let part = Array(compressed[..<cut])
            let large = DecodingTests.readAll(DecodedInput(bytes: part, name: "cut.gz", engine: engine), bufferSize: 1 << 20)
            for bufferSize in [1, 4096, 65_536] {
                let small = DecodingTests.readAll(DecodedInput(bytes: part, name: "cut.gz", engine: engine), bufferSize: bufferSize)
                #expect(small.bytes.count == large.bytes.count, "cut \(cut), destination \(bufferSize)")
                #expect(small.bytes == large.bytes)
                #expect(small.problem == large.problem)
            }
            #expect(text.starts(with: large.bytes))
            #expect(large.problem?.reason == "gzip stream ends early (file truncated?)")
        }
        // Cut only in the last trailer: every byte of content is there.
        let trailerCut = DecodingTests.readAll(DecodedInput(bytes: Array(compressed.dropLast(1)), name: "cut.gz",
                                                            engine: engine), bufferSize: 4096)
        #expect(trailerCut.bytes == text)
    }

    @Test("A gzip file corrupt in the middle delivers every record before the damage, then the same problem",
          arguments: layouts)
    func corruptInTheMiddle(layout: DecodeAhead.Layout) throws {
        let lines = (0..<1200).map { Fixture.cloudTrail($0) + "\n" }.joined()
        let first = Harness.gzip(Array(lines.utf8.prefix(300_000)))
        var second = Harness.gzip(Array(lines.utf8.dropFirst(300_000)))
        for offset in stride(from: second.count / 2, to: second.count / 2 + 40, by: 1) { second[offset] ^= 0x5A }
        let compressed = first + second
        let inline = try Self.expectSame(layout, { DecodedInput(bytes: compressed, name: "corrupt.gz") })
        #expect(inline.problems.last?.kind == .corruptCompression)
        // The whole first member, and some of the second, came before the damage.
        #expect(inline.records.count > 300_000 / Fixture.cloudTrail(0).utf8.count)
        #expect(inline.records.count < 1200)
    }

    @Test("Plain (not gzip) files read the same: JSON Lines and flow logs", arguments: layouts)
    func plain(layout: DecodeAhead.Layout) throws {
        let lines = (0..<700).map { Fixture.cloudTrail($0) + "\n" }.joined()
        let flow = (0..<2000).map { Fixture.flowLine($0) + "\n" }.joined()
        try Harness.withDirectory { directory in
            let linesPath = try Harness.write(Array(lines.utf8), to: directory, name: "lines.json")
            let flowPath = try Harness.write(Array(flow.utf8), to: directory, name: "flow.log")
            let json = try Self.expectSame(layout, { try DecodedInput(path: linesPath) })
            #expect(json.records.count == 700)
            #expect(json.storedBytes == lines.utf8.count)
            let flowLogs = try Self.expectSame(layout, { try DecodedInput(path: flowPath) })
            #expect(flowLogs.records.count == 2000)
            #expect(flowLogs.records.allSatisfy { $0.kind == .flowLog })
        }
    }

    @Test("Empty files read the same: no bytes, an empty gzip member, whitespace", arguments: layouts)
    func empty(layout: DecodeAhead.Layout) throws {
        try Harness.withDirectory { directory in
            let path = try Harness.write([], to: directory, name: "empty.json")
            let none = try Self.expectSame(layout, { try DecodedInput(path: path) })
            #expect(none.skips == [.emptyFile])
            #expect(none.records.isEmpty && none.problems.isEmpty)
        }
        let emptyGzip = Harness.gzip([])
        #expect(try Self.expectSame(layout, { DecodedInput(bytes: emptyGzip, name: "empty.gz") }).skips == [.emptyFile])
        let blank = Harness.gzip(Array(String(repeating: " \n", count: 5000).utf8))
        #expect(try Self.expectSame(layout, { DecodedInput(bytes: blank, name: "blank.gz") }).skips == [.emptyFile])
    }

    @Test("The window delivers every decoded byte once and keeps what it is told to, whatever is kept",
          arguments: layouts)
    func keptBytes(layout: DecodeAhead.Layout) {
        let bytes = Array((0..<700).map { Fixture.cloudTrail($0) + "\n" }.joined().utf8)
        let window = DecodedWindow(input: DecodedInput(bytes: Harness.gzip(bytes), name: "lines.gz"), ahead: layout)
        var delivered: [UInt8] = []
        var seen = 0  // window offset of the first byte not yet in `delivered`
        var step = 0
        while true {
            step += 1
            delivered += window.bytes[seen..<window.end]
            let oldEnd = window.end
            // Nothing kept, a little, or more than a small ring's headroom and buffer.
            let keep = step % 3 == 0 ? oldEnd : max(0, oldEnd - step * 37 % 6000)
            let kept = Array(window.bytes[keep..<oldEnd])
            let baseBefore = window.base
            guard let shift = window.refill(keepingFrom: keep) else { break }
            #expect(shift == keep)
            #expect(window.base == baseBefore + keep)
            #expect(Array(window.bytes[0..<kept.count]) == kept, "step \(step)")
            seen = oldEnd - shift
        }
        #expect(delivered.count == bytes.count)
        #expect(delivered == bytes)
    }

    // MARK: The thread

    @Test("A cancelled read stops the decoding thread, long before the end of the input")
    func cancelled() throws {
        let lines = (0..<3000).map { Fixture.cloudTrail($0) + "\n" }.joined()
        let input = DecodedInput(bytes: Harness.gzip(Array(lines.utf8)), name: "big.gz")
        let cancellation = ReadCancellation()
        let reader = LogFileReader(input: input, cancellation: cancellation, aheadLayout: Self.small)
        var collector = Collector()
        collector.onVisit = { record in
            if record.ordinal == 20 { cancellation.cancel() }
        }
        reader.read(into: &collector)
        #expect(reader.wasCancelled)
        #expect(collector.recordCount < 100)
        #expect(collector.problems.isEmpty)
        let decoder = try #require(reader.window.decoder)
        #expect(!decoder.isRunning)
        // The thread stopped within a few buffers of the reader, not at the end of the input.
        #expect(input.decodedOffset < lines.utf8.count / 4)
    }

    @Test("A reader that never reads starts no thread")
    func neverRead() throws {
        let input = DecodedInput(bytes: Harness.gzip(Array(Fixture.cloudTrail(0).utf8)), name: "one.gz")
        let reader = LogFileReader(input: input, aheadLayout: Self.small)
        #expect(try #require(reader.window.decoder).isRunning == false)
    }

    @Test("A reader dropped midway stops its thread and frees its buffers", .timeLimit(.minutes(1)))
    func droppedMidway() async throws {
        let lines = (0..<3000).map { Fixture.cloudTrail($0) + "\n" }.joined()
        let compressed = Harness.gzip(Array(lines.utf8))
        weak var weakDecoder: DecodeAhead?
        do {
            let reader = LogFileReader(input: DecodedInput(bytes: compressed, name: "big.gz"), aheadLayout: Self.small)
            // Read part: two buffers' worth, then the reader is let go with most of the input to come.
            _ = reader.window.refill(keepingFrom: 0)
            _ = reader.window.refill(keepingFrom: reader.window.end)
            #expect(reader.window.end > 0)
            let decoder = try #require(reader.window.decoder)
            weakDecoder = decoder
            // The thread has filled the ring and waits for a buffer back.
            #expect(decoder.isRunning)
        }
        // The window waited for the thread to end; the thread then lets go of the decoder, whose
        // buffers go with it.
        let deadline = Date().addingTimeInterval(10)
        while weakDecoder != nil && Date() < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(weakDecoder == nil)
    }

    @Test("Reading ~12 MB of records with a 1 MiB limit keeps the memory to the ring and a few MB")
    func boundedMemory() throws {
        let (body, records, bigRecords) = Fixture.largeCloudTrailFile(atLeast: 12 << 20, bigEvery: 2000)
        let reader = LogFileReader(input: DecodedInput(bytes: Harness.gzip(body), name: "big.gz"),
                                   limits: ReaderLimits(maximumRecordSize: 1 << 20), aheadLayout: .standard)
        let window = reader.window
        let ring = try #require(window.decoder).capacity
        let (collector, largest) = Harness.readNotingLargestWindow(reader)
        #expect(collector.problems.isEmpty)
        #expect(collector.recordCount == records)
        #expect(bigRecords >= 4)
        #expect(largest > ring, "the large records went through the combined buffer")
        #expect(largest <= ring + (4 << 20), "window grew to \(largest) bytes")
        #expect(window.capacity == ring, "window ended at \(window.capacity) bytes")
    }

    // MARK: Helpers

    /// Reads what `makeInput` makes, inline and then ahead with `layout`, expects the same outcome,
    /// and returns it.
    @discardableResult
    static func expectSame(_ layout: DecodeAhead.Layout, _ makeInput: () throws -> DecodedInput,
                           limits: ReaderLimits = ReaderLimits(),
                           sourceLocation: SourceLocation = #_sourceLocation) throws -> Outcome {
        let inline = try read(makeInput(), ahead: nil, limits: limits)
        let ahead = try read(makeInput(), ahead: layout, limits: limits)
        #expect(ahead.records.count == inline.records.count, sourceLocation: sourceLocation)
        if let first = zip(ahead.records, inline.records).first(where: { $0.0 != $0.1 }) {
            Issue.record("first record that differs: \(first.0) ahead, \(first.1) inline", sourceLocation: sourceLocation)
        }
        #expect(ahead.problems == inline.problems, sourceLocation: sourceLocation)
        #expect(ahead.skips == inline.skips, sourceLocation: sourceLocation)
        #expect(ahead.events == inline.events, sourceLocation: sourceLocation)
        #expect(ahead.decodedBytes == inline.decodedBytes, sourceLocation: sourceLocation)
        #expect(ahead.storedBytes == inline.storedBytes, sourceLocation: sourceLocation)
        return inline
    }

    static func read(_ input: DecodedInput, ahead: DecodeAhead.Layout?, limits: ReaderLimits) -> Outcome {
        let reader = LogFileReader(input: input, limits: limits, aheadLayout: ahead)
        var collector = Collector()
        var records: [Seen] = []
        collector.keepsBytes = false
        collector.onVisit = { record in
            records.append(Seen(kind: record.kind, ordinal: record.ordinal, decodedOffset: record.decodedOffset,
                                bytes: Array(record.bytes)))
        }
        reader.read(into: &collector)
        if let decoder = reader.window.decoder { #expect(!decoder.isRunning, "the thread ended with the read") }
        // After `read` returns, the input is this thread's again.
        return Outcome(records: records, problems: collector.problems, skips: collector.skips, events: collector.events,
                       decodedBytes: input.decodedOffset, storedBytes: input.fileOffset)
    }

    /// `bytes` gzipped as `cuts` + 1 members, cut at arbitrary places (mid-record), concatenated.
    static func members(_ bytes: [UInt8], cuts: Int) -> [UInt8] {
        var compressed: [UInt8] = []
        var start = 0
        for part in 1...(cuts + 1) {
            let end = part == cuts + 1 ? bytes.count : bytes.count * part / (cuts + 1) + 17 * part
            compressed += Harness.gzip(Array(bytes[start..<end]))
            start = end
        }
        return compressed
    }
}


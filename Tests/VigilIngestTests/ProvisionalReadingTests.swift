import Foundation
import Testing
import VigilIngest

/// Reading a file that is still being written (`vigil tail`): records are handed out as far as
/// they are complete, the unfinished end is held back without a word, and a later read of the
/// grown file gives every record the same ordinal as before.
@Suite struct ProvisionalReadingTests {
    /// Reads `bytes` as a file, provisionally or not; returns what was seen and the reader.
    private static func read(_ bytes: [UInt8], provisional: Bool, storedLimit: Int? = nil,
                             cancellation: ReadCancellation? = nil) throws -> (Collector, LogFileReader) {
        try Harness.withDirectory { directory in
            let path = try Harness.write(bytes, to: directory, name: "log")
            let reader = LogFileReader(input: try DecodedInput(path: path, storedLimit: storedLimit),
                                       endIsProvisional: provisional, cancellation: cancellation)
            var collector = Collector()
            reader.read(into: &collector)
            return (collector, reader)
        }
    }

    private static func lines(_ range: Range<Int>) -> String {
        range.map { Fixture.cloudTrail($0) + "\n" }.joined()
    }

    @Test func jsonLinesWithAPartialLastLineHoldItBack() throws {
        let whole = Array(Self.lines(0..<3).utf8)
        let cut = Array(whole.prefix(whole.count - 20))
        let (early, reader) = try Self.read(cut, provisional: true)
        #expect(early.records.map(\.ordinal) == [0, 1])
        #expect(early.problems.isEmpty)
        #expect(reader.endedEarly && reader.recordsRead == 2)

        let (later, complete) = try Self.read(whole, provisional: true)
        #expect(later.records.map(\.ordinal) == [0, 1, 2])
        #expect(later.records.prefix(2).map(\.bytes) == early.records.map(\.bytes), "the same records under the same ordinals")
        #expect(!complete.endedEarly)

        // Not provisional: a last line without its newline is a record (here a broken one).
        let (final, _) = try Self.read(cut, provisional: false)
        #expect(final.problems.count == 1)
        let (unterminated, _) = try Self.read(Array(whole.dropLast()), provisional: false)
        #expect(unterminated.records.count == 3)
        let (held, heldReader) = try Self.read(Array(whole.dropLast()), provisional: true)
        #expect(held.records.count == 2 && heldReader.endedEarly, "without its newline the last line may still grow")
    }

    @Test func flowLogsHoldBackAnUnfinishedLineAndAnUnfinishedHeader() throws {
        let text = Fixture.v5Header + "\n" + Fixture.v5Line(0) + "\n" + Fixture.v5Line(1)
        let (partial, reader) = try Self.read(Array(text.dropLast(3).utf8), provisional: true)
        #expect(partial.records.count == 1 && partial.problems.isEmpty && reader.endedEarly)
        let (header, headerReader) = try Self.read(Array(Fixture.v5Header.prefix(30).utf8), provisional: true)
        #expect(header.records.isEmpty && header.problems.isEmpty && headerReader.endedEarly)
    }

    @Test func aCloudTrailFileCutAnywhereGivesItsWholeRecordsAndNoProblem() throws {
        let records = (0..<3).map { Fixture.cloudTrail($0) }
        let file = Array(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8)
        for cut in stride(from: 1, to: file.count, by: 7) {
            let (seen, reader) = try Self.read(Array(file.prefix(cut)), provisional: true)
            #expect(seen.problems.isEmpty, "cut at \(cut)")
            #expect(reader.endedEarly, "cut at \(cut)")
            #expect(seen.records.count == reader.recordsRead)
        }
        let (afterArray, reader) = try Self.read(Array(file.dropLast()), provisional: true)
        #expect(afterArray.records.count == 3 && afterArray.problems.isEmpty && reader.endedEarly)
        let (reported, _) = try Self.read(Array(file.dropLast()), provisional: false)
        #expect(reported.problems.count == 1, "read as final, the unclosed object is reported")
    }

    @Test func aTruncatedGzipIsAwaitedButCorruptionIsReported() throws {
        let plain = Array(Self.lines(0..<200).utf8)
        let gzip = Harness.gzip(plain)
        for cut in [1, 5, 11, gzip.count / 3, gzip.count / 2, gzip.count - 4, gzip.count - 1] {
            let (seen, reader) = try Self.read(Array(gzip.prefix(cut)), provisional: true)
            #expect(seen.problems.isEmpty, "cut at \(cut): \(seen.problems)")
            #expect(reader.endedEarly, "cut at \(cut)")
            let (final, _) = try Self.read(Array(gzip.prefix(cut)), provisional: false)
            #expect(!final.problems.isEmpty, "read as final, the truncation at \(cut) is reported")
        }
        var corrupt = gzip
        corrupt[gzip.count / 2] ^= 0xFF
        corrupt[gzip.count / 2 + 1] ^= 0xFF
        let (damaged, _) = try Self.read(corrupt, provisional: true)
        #expect(!damaged.problems.isEmpty, "damage in the middle is not an unfinished end")

        // A whole gzip member is complete even without a last newline.
        let (whole, wholeReader) = try Self.read(Harness.gzip(Array(plain.dropLast())), provisional: true)
        #expect(whole.records.count == 200 && !wholeReader.endedEarly)
    }

    @Test func prettyPrintedJSONCutInsideTheFirstValueWaits() throws {
        let pretty = Array(Fixture.pretty(Fixture.cloudTrail(0)).utf8)
        let (seen, reader) = try Self.read(Array(pretty.prefix(pretty.count / 2)), provisional: true)
        #expect(seen.records.isEmpty && seen.problems.isEmpty && reader.endedEarly)
    }

    @Test func aCancelledReadStopsWithoutAProblem() throws {
        let cancellation = ReadCancellation()
        cancellation.cancel()
        let (seen, reader) = try Self.read(Array(Self.lines(0..<20_000).utf8), provisional: false, cancellation: cancellation)
        #expect(reader.wasCancelled)
        #expect(seen.problems.isEmpty)
        #expect(seen.records.count < 20_000)
    }

    @Test func aStoredLimitReadsOnlyTheFirstBytes() throws {
        let first = Harness.gzip(Array(Self.lines(0..<5).utf8))
        let second = Harness.gzip(Array(Self.lines(5..<9).utf8))
        let (members, reader) = try Self.read(first + second, provisional: true, storedLimit: first.count)
        #expect(members.records.count == 5 && members.problems.isEmpty && !reader.endedEarly)
        let plain = Array(Self.lines(0..<4).utf8)
        let (prefix, plainReader) = try Self.read(plain, provisional: true, storedLimit: plain.count - 10)
        #expect(prefix.records.count == 3 && plainReader.endedEarly)
    }
}

import Foundation
import Testing
import VigilIngest

/// Reading a file that is still being written (`vigil tail`): records are handed out as far as
/// they are complete, the unfinished end is held back without a word, and a later read of the
/// grown file gives every record the same ordinal as before.
@Suite struct ProvisionalReadingTests {
    /// Reads `bytes` as a file, provisionally or not; returns what was seen and the reader.
    private static func read(_ bytes: [UInt8], provisional: Bool, storedLimit: Int? = nil,
                             limits: ReaderLimits = ReaderLimits(), cancellation: ReadCancellation? = nil,
                             onVisit: ((LogRecord) -> Void)? = nil) throws -> (Collector, LogFileReader) {
        try Harness.withDirectory { directory in
            let path = try Harness.write(bytes, to: directory, name: "log")
            let reader = LogFileReader(input: try DecodedInput(path: path, storedLimit: storedLimit), limits: limits,
                                       endIsProvisional: provisional, cancellation: cancellation)
            var collector = Collector()
            collector.onVisit = onVisit
            reader.read(into: &collector)
            return (collector, reader)
        }
    }

    private static func lines(_ range: Range<Int>) -> String {
        range.map { Fixture.cloudTrail($0) + "\n" }.joined()
    }

    /// `later` starts with every record of `earlier`, under the same ordinals.
    private static func extends(_ later: Collector, _ earlier: Collector) -> Bool {
        later.records.count >= earlier.records.count
            && zip(later.records, earlier.records).allSatisfy { $0.ordinal == $1.ordinal && $0.bytes == $1.bytes }
    }

    // MARK: Lines

    @Test func jsonLinesWithAPartialLastLineHoldItBack() throws {
        let whole = Array(Self.lines(0..<3).utf8)
        let cut = Array(whole.prefix(whole.count - 20))
        let (early, reader) = try Self.read(cut, provisional: true)
        #expect(early.records.map(\.ordinal) == [0, 1])
        #expect(early.problems.isEmpty && early.skips.isEmpty)
        #expect(reader.endedEarly && reader.recordsRead == 2, "the held line takes no ordinal")

        let (later, complete) = try Self.read(whole, provisional: true)
        #expect(later.records.map(\.ordinal) == [0, 1, 2])
        #expect(Self.extends(later, early), "the same records under the same ordinals")
        #expect(later.records.last?.text == Fixture.cloudTrail(2))
        #expect(!complete.endedEarly)

        // Not provisional: a last line without its newline is a record (here a broken one).
        let (final, finalReader) = try Self.read(cut, provisional: false)
        #expect(final.records.count == 2 && final.problems.count == 1 && !finalReader.endedEarly)
        let (unterminated, _) = try Self.read(Array(whole.dropLast()), provisional: false)
        #expect(unterminated.records.count == 3)
        let (held, heldReader) = try Self.read(Array(whole.dropLast()), provisional: true)
        #expect(held.records.count == 2 && heldReader.endedEarly, "without its newline the last line may still grow")
    }

    @Test func anOversizedLastLineIsReportedOnceUnderItsOrdinal() throws {
        let limits = ReaderLimits(maximumRecordSize: 2048)
        let text = Self.lines(0..<2) + Fixture.cloudTrail(2, padding: 4000)
        let (early, reader) = try Self.read(Array(text.utf8), provisional: true, limits: limits)
        #expect(early.records.map(\.ordinal) == [0, 1] && early.problems.map(\.record) == [2])
        #expect(reader.endedEarly && reader.recordsRead == 3)
        let (later, laterReader) = try Self.read(Array((text + "\n" + Self.lines(3..<4)).utf8), provisional: true,
                                                 limits: limits)
        #expect(later.records.map(\.ordinal) == [0, 1, 3] && later.problems.map(\.record) == [2])
        #expect(!laterReader.endedEarly)
    }

    @Test func flowLogsHoldBackAnUnfinishedLineAndAnUnfinishedHeader() throws {
        let text = Fixture.v5Header + "\n" + Fixture.v5Line(0) + "\n" + Fixture.v5Line(1)
        // Cut inside the last field: "egr" would pass for a field value.
        let (partial, reader) = try Self.read(Array(text.dropLast(3).utf8), provisional: true)
        #expect(partial.records.map(\.ordinal) == [0] && partial.problems.isEmpty && reader.endedEarly)
        let (grown, grownReader) = try Self.read(Array((text + "\n").utf8), provisional: true)
        #expect(grown.records.map(\.ordinal) == [0, 1] && Self.extends(grown, partial) && !grownReader.endedEarly)
        #expect(grown.records.last?.text == Fixture.v5Line(1))

        let (header, headerReader) = try Self.read(Array(Fixture.v5Header.prefix(30).utf8), provisional: true)
        #expect(header.records.isEmpty && header.problems.isEmpty && headerReader.endedEarly)
        let (wholeHeader, wholeHeaderReader) = try Self.read(Array(Fixture.v5Header.utf8), provisional: true)
        #expect(wholeHeader.records.isEmpty && wholeHeader.problems.isEmpty && wholeHeaderReader.endedEarly)
        // Read as final, a header cut inside a field name passes for a header ("interface-i").
        let (final, finalReader) = try Self.read(Array(Fixture.v5Header.prefix(30).utf8), provisional: false)
        #expect(final.records.isEmpty && !finalReader.endedEarly)
    }

    @Test func aCloudWatchLogsPayloadLineWithoutItsNewlineWaits() throws {
        let payloads = (0..<2).map { index in
            Harness.base64Gzip(Harness.subscriptionPayload(messages: [Fixture.cloudTrail(index)]))
        }
        let text = payloads.joined(separator: "\n")
        let (cut, reader) = try Self.read(Array(text.dropLast(9).utf8), provisional: true)
        #expect(cut.records.map(\.ordinal) == [0] && cut.problems.isEmpty && reader.endedEarly)
        let (unterminated, unterminatedReader) = try Self.read(Array(text.utf8), provisional: true)
        #expect(unterminated.records.count == 1 && unterminatedReader.endedEarly)
        let (grown, _) = try Self.read(Array((text + "\n").utf8), provisional: true)
        #expect(grown.records.map(\.ordinal) == [0, 1] && Self.extends(grown, cut))
        let (final, _) = try Self.read(Array(text.dropLast(9).utf8), provisional: false)
        #expect(final.records.count == 1 && final.problems.count == 1, "read as final, the cut payload is reported")
    }

    // MARK: JSON containers and streams

    @Test func aCloudTrailFileCutAnywhereGivesItsWholeRecordsAndNoProblem() throws {
        let records = (0..<3).map { Fixture.cloudTrail($0) }
        let text = "{\"Records\":[" + records.joined(separator: ",") + "]}"
        let file = Array(text.utf8)
        let (complete, _) = try Self.read(file, provisional: true)
        for cut in stride(from: 1, to: file.count, by: 13) {
            let (seen, reader) = try Self.read(Array(file.prefix(cut)), provisional: true)
            #expect(seen.problems.isEmpty, "cut at \(cut)")
            #expect(reader.endedEarly, "cut at \(cut)")
            #expect(seen.records.count == reader.recordsRead && Self.extends(complete, seen), "cut at \(cut)")
        }

        // Cut inside the second record: the first is handed out, the second waits.
        let insideSecond = text.utf8.count - records[2].utf8.count - records[1].utf8.count / 2
        let (first, firstReader) = try Self.read(Array(file.prefix(insideSecond)), provisional: true)
        #expect(first.records.map(\.text) == [records[0]] && first.problems.isEmpty && firstReader.endedEarly)
        #expect(firstReader.recordsRead == 1)
        let (reportedCut, _) = try Self.read(Array(file.prefix(insideSecond)), provisional: false)
        #expect(reportedCut.records.count == 1 && reportedCut.problems.count == 1)

        // Cut after the array's `]`, before the object's `}`.
        let (afterArray, reader) = try Self.read(Array(file.dropLast()), provisional: true)
        #expect(afterArray.records.count == 3 && afterArray.problems.isEmpty && reader.endedEarly)
        let (reported, _) = try Self.read(Array(file.dropLast()), provisional: false)
        #expect(reported.problems.count == 1, "read as final, the unclosed object is reported")

        #expect(complete.records.map(\.ordinal) == [0, 1, 2] && complete.problems.isEmpty)
    }

    @Test func prettyPrintedJSONCutInsideTheFirstValueWaits() throws {
        let pretty = Array(Fixture.pretty(Fixture.cloudTrail(0)).utf8)
        let (seen, reader) = try Self.read(Array(pretty.prefix(pretty.count / 2)), provisional: true)
        #expect(seen.records.isEmpty && seen.problems.isEmpty && reader.endedEarly && reader.recordsRead == 0)
        let (final, _) = try Self.read(Array(pretty.prefix(pretty.count / 2)), provisional: false)
        #expect(!final.problems.isEmpty, "read as final, the cut value is reported")

        // The second value cut: the first is handed out.
        let stream = pretty + Array("\n".utf8) + Array(Fixture.pretty(Fixture.cloudTrail(1)).utf8)
        let (one, oneReader) = try Self.read(Array(stream.prefix(pretty.count + 40)), provisional: true)
        #expect(one.records.count == 1 && one.problems.isEmpty && oneReader.endedEarly)
    }

    @Test func anEmptyFileIsNotYetAnything() throws {
        let (empty, reader) = try Self.read([], provisional: true)
        #expect(empty.skips.isEmpty && empty.problems.isEmpty && reader.endedEarly)
        let (final, finalReader) = try Self.read(Array(" \n".utf8), provisional: false)
        #expect(final.skips == [.emptyFile] && !finalReader.endedEarly)
    }

    // MARK: Gzip

    @Test func aTruncatedGzipIsAwaitedButCorruptionIsReported() throws {
        let plain = Array(Self.lines(0..<200).utf8)
        let gzip = Harness.gzip(plain)
        let (all, _) = try Self.read(gzip, provisional: true)
        #expect(all.records.count == 200)
        for cut in [1, 2, 5, 11, gzip.count / 3, gzip.count / 2, gzip.count - 8, gzip.count - 4, gzip.count - 1] {
            let (seen, reader) = try Self.read(Array(gzip.prefix(cut)), provisional: true)
            #expect(seen.problems.isEmpty, "cut at \(cut): \(seen.problems)")
            #expect(reader.endedEarly && !reader.wasCancelled, "cut at \(cut)")
            #expect(Self.extends(all, seen) && seen.records.count == reader.recordsRead, "cut at \(cut)")
            if cut >= gzip.count / 3 { #expect(!seen.records.isEmpty, "cut at \(cut)") }
            // The trailer is all that is missing: every record is there, yet the file is not done.
            if cut >= gzip.count - 8 { #expect(seen.records.count == 200, "cut at \(cut)") }

            let (final, finalReader) = try Self.read(Array(gzip.prefix(cut)), provisional: false)
            #expect(final.records.count == seen.records.count, "cut at \(cut)")
            #expect(!final.problems.isEmpty && !finalReader.endedEarly, "read as final, the truncation at \(cut) is reported")
            if cut > 2 {
                #expect(final.problems.contains { $0.kind == .corruptCompression && $0.reason.contains("ends early") })
            }
        }

        var corrupt = gzip
        corrupt[gzip.count / 2] ^= 0xFF
        corrupt[gzip.count / 2 + 1] ^= 0xFF
        let (damaged, damagedReader) = try Self.read(corrupt, provisional: true)
        #expect(damaged.problems.contains { $0.kind == .corruptCompression }, "damage in the middle is not an unfinished end")
        #expect(!damagedReader.endedEarly)

        // A whole gzip member is complete even without a last newline.
        let (whole, wholeReader) = try Self.read(Harness.gzip(Array(plain.dropLast())), provisional: true)
        #expect(whole.records.count == 200 && !wholeReader.endedEarly)
    }

    @Test func aSecondGzipMemberStillArrivingIsAwaited() throws {
        let first = Harness.gzip(Array(Self.lines(0..<5).utf8))
        let second = Harness.gzip(Array(Self.lines(5..<9).utf8))
        for cut in [1, 2, second.count / 2] {
            let (seen, reader) = try Self.read(first + second.prefix(cut), provisional: true)
            #expect(seen.records.map(\.ordinal) == Array(0..<5) && seen.problems.isEmpty && reader.endedEarly,
                    "second member cut at \(cut)")
        }
    }

    // MARK: Cancellation

    @Test func aCancelledReadStopsWithoutAProblem() throws {
        // About 4.6 MB: some 18 refills of the window.
        let big = Array(String(repeating: Fixture.cloudTrail(0) + "\n", count: 8_000).utf8)
        let cancellation = ReadCancellation()
        #expect(!cancellation.isCancelled)
        cancellation.cancel()
        #expect(cancellation.isCancelled)
        for provisional in [false, true] {
            let (seen, reader) = try Self.read(big, provisional: provisional, cancellation: cancellation)
            #expect(reader.wasCancelled && !reader.endedEarly)
            #expect(seen.problems.isEmpty && seen.skips.isEmpty && seen.records.isEmpty)
        }

        // Cancelled while reading: it stops at the next refill, not at the next record.
        let during = ReadCancellation()
        let (seen, reader) = try Self.read(big, provisional: false, cancellation: during) { record in
            if record.ordinal == 100 { during.cancel() }
        }
        #expect(reader.wasCancelled && seen.problems.isEmpty)
        #expect(seen.records.count > 101 && seen.records.count < 4_000)
        #expect(seen.records.map(\.ordinal) == Array(0..<seen.records.count))

        let (uncancelled, uncancelledReader) = try Self.read(big, provisional: false, cancellation: ReadCancellation())
        #expect(uncancelled.records.count == 8_000 && !uncancelledReader.wasCancelled)
    }

    // MARK: Stored limit

    @Test func aStoredLimitReadsOnlyTheFirstBytes() throws {
        let first = Harness.gzip(Array(Self.lines(0..<5).utf8))
        let second = Harness.gzip(Array(Self.lines(5..<9).utf8))
        let (members, reader) = try Self.read(first + second, provisional: true, storedLimit: first.count)
        #expect(members.records.map(\.ordinal) == Array(0..<5) && members.problems.isEmpty && !reader.endedEarly)
        let (both, _) = try Self.read(first + second, provisional: true)
        #expect(both.records.count == 9)

        let plain = Array(Self.lines(0..<4).utf8)
        let (prefix, plainReader) = try Self.read(plain, provisional: true, storedLimit: plain.count - 10)
        #expect(prefix.records.count == 3 && prefix.problems.isEmpty && plainReader.endedEarly)
        let (exact, exactReader) = try Self.read(plain, provisional: true, storedLimit: plain.count)
        #expect(exact.records.count == 4 && !exactReader.endedEarly)
        let (beyond, _) = try Self.read(plain, provisional: false, storedLimit: plain.count * 2)
        #expect(beyond.records.count == 4 && beyond.problems.isEmpty)

        try Harness.withDirectory { directory in
            let path = try Harness.write(plain, to: directory, name: "log")
            #expect(try DecodedInput(path: path, storedLimit: 100).storedSize == 100)
            #expect(try DecodedInput(path: path).storedSize == plain.count)
        }
    }
}

// fuzz-seeds: gunzip shared/corpus/cloudtrail shared/corpus/guardduty shared/corpus/securityhub shared/corpus/vpcflow shared/corpus/eventbridge SampleLogs Tests/Fixtures
// fuzz-dict: json.dict
// fuzz-max-len: 65536
import FuzzSupport
@testable import VigilIngest

/// The input's bytes gzipped, then read every way Vigil reads a gzip: each decoder installed
/// (ISA-L, zlib), delivered a few bytes at a time as a download is, and decoded ahead on a thread
/// into a ring of small buffers as a large file is. The input is what the file holds once
/// decoded; the gzip level and the size of the pieces follow from its length.
///
/// Checked: what `fuzz-records` checks, and that every way gives the same records, problems and
/// skips (ARCHITECTURE.md: the records and problems are the same either way), the same as
/// reading the bytes without gzip.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecordsGzip(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let plain = fuzzBytes(data, size)
    let levels: [Int32] = [1, 6, 9, 0]
    let gzip = Gzip.compress(plain, level: levels[plain.count % levels.count])
    let piece = 1 + plain.count % 97

    var reads: [(way: String, outcome: RecordOutcome)] = []
    for engine in GzipEngine.available {
        var outcome = RecordOutcome()
        let input = DecodedInput(stream: ChunkedStream(gzip, chunk: piece), name: "fuzz-input",
                                 storedSize: gzip.count, chunkSize: 64, engine: engine)
        LogFileReader(input: input).read(into: &outcome)
        reads.append(("\(engine.rawValue) in pieces of \(piece)", outcome))
    }
    var ahead = RecordOutcome()
    LogFileReader(input: DecodedInput(bytes: gzip, name: "fuzz-input"),
                  aheadLayout: DecodeAhead.Layout(buffers: 2, bufferSize: 4_096, headroom: 1_024)).read(into: &ahead)
    reads.append(("decoded ahead", ahead))
    // Bytes that start with gzip's magic are a gzip inside a gzip when read plain: not comparable.
    if !(plain.count >= 2 && plain[0] == 0x1F && plain[1] == 0x8B) {
        var direct = RecordOutcome()
        LogFileReader(input: DecodedInput(bytes: plain, name: "fuzz-input")).read(into: &direct)
        reads.append(("without gzip", direct))
    }
    for read in reads.dropFirst() {
        fuzzRequire(read.outcome == reads[0].outcome,
                    "\(reads[0].way) and \(read.way) differ: \(reads[0].outcome.firstDifference(from: read.outcome))")
    }
    return 0
}

// fuzz-seeds: files shared/corpus/cloudtrail shared/corpus/guardduty shared/corpus/securityhub shared/corpus/vpcflow shared/corpus/eventbridge shared/corpus/config SampleLogs Tests/Fixtures
// fuzz-dict: json.dict
// fuzz-max-len: 65536
import FuzzSupport
import VigilIngest

/// A log file of any bytes, read as `vigil replay` reads a file: recognized by content (gzip by
/// its magic), every record normalized and its envelope written. The input is the file as it
/// would lie on disk, so a reproducer can be replayed as it is (`vigil replay crash-…`).
///
/// Checked: no crash, no leak, every record handed on is valid JSON (flow lines aside), every
/// envelope written is valid JSON, every problem has a reason.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecords(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var outcome = RecordOutcome()
    LogFileReader(input: DecodedInput(bytes: fuzzBytes(data, size), name: "fuzz-input")).read(into: &outcome)
    return 0
}

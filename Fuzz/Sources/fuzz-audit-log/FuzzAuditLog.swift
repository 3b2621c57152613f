// fuzz-seeds: gunzip SampleLogs/firehose
// fuzz-dict: audit-log.dict
// fuzz-max-len: 16384
import FuzzSupport
import VigilIngest

/// Database audit and PostgreSQL log text, as downloaded from RDS or exported from CloudWatch
/// Logs, read as `vigil replay` reads such a file: recognized by content, each line parsed
/// (`DatabaseAuditLine`), every event normalized into Database Activity Streams fields and its
/// envelope written. Seeded with hand-written MySQL-family and PostgreSQL lines (Fuzz/Seeds) and
/// the sample story's Firehose payloads, decompressed, so that mutations start from quoted SQL,
/// `\'` escapes, pgaudit CSV and RDS's prefix rather than from nothing.
///
/// Checked (by `RecordOutcome`, as for every log file): no crash, no leak, every envelope written
/// is valid JSON, every problem has a reason.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzAuditLog(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    var outcome = RecordOutcome()
    LogFileReader(input: DecodedInput(bytes: fuzzBytes(data, size), name: "fuzz-audit-log")).read(into: &outcome)
    return 0
}

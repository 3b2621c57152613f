// fuzz-seeds: files shared/corpus/cloudtrail shared/corpus/guardduty shared/corpus/securityhub shared/corpus/eventbridge shared/corpus/config Tests/Fixtures
// fuzz-dict: json.dict
// fuzz-max-len: 16384
import FuzzSupport
@testable import VigilJSON

/// Any bytes, validated by the vector validator (CSimd, AVX2) and by the scalar one it speeds up:
/// from the start, as a record amid others (from the second `{`), and with a low depth limit.
///
/// Checked: whatever the vector validator proves well-formed, the scalar validator accepts with
/// the same end and the same members (`VectorJSONValidation.disagreement`), so every verdict,
/// message and offset Vigil reports stays the scalar validator's.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzJSONValidator(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    bytes.withUnsafeBytes { buffer in
        var starts = [0]
        if let first = buffer.firstIndex(of: UInt8(ascii: "{")),
           let second = buffer[(first + 1)...].firstIndex(of: UInt8(ascii: "{")) {
            starts.append(second)
        }
        for start in starts {
            for depth in [JSONBytes.maximumDepth, 3] {
                if let disagreement = VectorJSONValidation.disagreement(buffer, from: start, maximumDepth: depth) {
                    fuzzRequire(false, "from \(start), depth \(depth): \(disagreement)")
                }
            }
        }
    }
    return 0
}

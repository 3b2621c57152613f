// fuzz-seeds: gunzip shared/corpus/vpcflow SampleLogs/AWSLogs/111122223333/vpcflowlogs
// fuzz-dict: flow-log.dict
// fuzz-max-len: 16384
import FuzzSupport
import VigilIngest
import VigilJSON

/// VPC flow log text: the first line read as a header (`FlowLogFormat(headerLine:)`; when it is
/// none, AWS's default v2 format, as the reader does), every other line written as a record's
/// `detail` by `FlowLogLineWriter`.
///
/// Checked: no crash; a header parsed names each field once; every `detail` written is valid
/// JSON, and a line that fails leaves nothing behind and says why.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzFlowLog(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let lines = bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    guard let first = lines.first else { return 0 }
    let header = Array(first).withUnsafeBytes { FlowLogFormat(headerLine: $0) }
    if let header {
        fuzzRequire(Set(header.fieldNames).count == header.fieldNames.count, "a header names a field twice")
    }
    let format = header ?? .defaultV2
    var writer = FlowLogLineWriter()
    var detail: [UInt8] = []
    for line in lines.dropFirst(header == nil ? 0 : 1) {
        Array(line).withUnsafeBytes { line in
            guard !FlowLogLineWriter.isBlank(line) else { return }
            let members = ObjectMemberIndex()
            do throws(InputProblem) {
                _ = try writer.writeDetail(of: line, format: format, into: &detail, members: members)
                do throws(EventError) {
                    try JSONValidator.validate(detail)
                } catch {
                    fuzzRequire(false, "detail is not valid JSON (\(error.message)): \(String(decoding: detail, as: UTF8.self))")
                }
            } catch {
                fuzzRequire(detail.isEmpty, "a line that failed left a detail behind")
                fuzzRequire(!error.reason.isEmpty, "a line refused without a reason")
            }
        }
    }
    return 0
}

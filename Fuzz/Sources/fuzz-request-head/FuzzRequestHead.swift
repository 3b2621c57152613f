// Seeds: only the hand-written ones in Fuzz/Seeds/fuzz-request-head (what Prometheus, curl and probes send).
// fuzz-dict: http.dict
// fuzz-max-len: 16384
import FuzzSupport
@testable import VigilMetrics

/// What a client of `--metrics-listen` sends, looked at by `RequestHead.find` as the server does:
/// in pieces as they arrive (searching only where new bytes could end the head), then at the
/// client's end. The size of the pieces follows from the input's length; every other input is
/// held to a small limit so that short inputs reach it.
///
/// Checked: no crash, and the answer does not depend on how the bytes were cut into pieces: it
/// is the answer for all of them at once.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRequestHead(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let limit = bytes.count % 2 == 0 ? ClientConnection.maximumRequestHead : 64
    let piece = 1 + bytes.count % 31

    var received: [UInt8] = []
    var inPieces = RequestHead.incomplete
    var position = 0
    while inPieces == .incomplete {
        let end = min(position + piece, bytes.count)
        let searchFrom = max(0, received.count - 2)
        received += bytes[position..<end]
        inPieces = RequestHead.find(in: received, searchingFrom: searchFrom, endOfInput: end == position, limit: limit)
        if end == position { break }
        position = end
    }

    var atOnce = RequestHead.find(in: bytes, searchingFrom: 0, endOfInput: false, limit: limit)
    if atOnce == .incomplete {
        atOnce = RequestHead.find(in: bytes, searchingFrom: 0, endOfInput: true, limit: limit)
    }
    fuzzRequire(inPieces == atOnce, "in pieces of \(piece): \(inPieces); at once: \(atOnce)")
    if case .complete(let line) = atOnce {
        fuzzRequire(!line.utf8.contains(10), "the request line holds a line feed")
    }
    return 0
}

/// Where a request head ends in the bytes a client sent, and its request line.
///
/// A head ends with an empty line. Lines end in CRLF or, as RFC 9112 §2.2 lets a server accept,
/// a bare LF (`printf 'GET /healthz HTTP/1.1\n\n'`). A client that sends a request line and then
/// closes its side without the empty line is answered too: nothing more can come.
enum RequestHead: Equatable {
    /// The head is all here; the request line without its line end (the headers are not needed).
    case complete(requestLine: String)
    /// More bytes are needed.
    case incomplete
    /// The head is longer than `ClientConnection.maximumRequestHead`, or will be.
    case tooLarge

    /// Looks for the end of the head in `received`, only from `searchFrom` on (where new bytes
    /// could complete it). `endOfInput`: the client sent all it will.
    static func find(in received: [UInt8], searchingFrom searchFrom: Int, endOfInput: Bool,
                     limit: Int = ClientConnection.maximumRequestHead) -> RequestHead {
        var index = searchFrom
        while let lineFeed = received[index...].firstIndex(of: 10) {
            var next = lineFeed + 1
            if next < received.count && received[next] == 13 { next += 1 }
            if next < received.count && received[next] == 10 {
                return next + 1 > limit ? .tooLarge : .complete(requestLine: requestLine(received))
            }
            index = lineFeed + 1
        }
        if received.count > limit { return .tooLarge }
        if endOfInput && received.contains(10) { return .complete(requestLine: requestLine(received)) }
        return .incomplete
    }

    /// The first line, without its CR LF or LF.
    private static func requestLine(_ received: [UInt8]) -> String {
        var end = received.firstIndex(of: 10) ?? received.endIndex
        if end > 0 && received[end - 1] == 13 { end -= 1 }
        return String(decoding: received[..<end], as: UTF8.self)
    }
}

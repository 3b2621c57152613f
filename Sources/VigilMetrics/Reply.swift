/// One HTTP reply, always closing the connection.
struct Reply {
    var status: Int
    var contentType = "text/plain; charset=utf-8"
    var extraHeaders: [(String, String)] = []
    var body: String
    /// A reply to HEAD carries the head only (RFC 9110 §9.3.2), its Content-Length still the body's.
    var omitsBody = false

    func encoded() -> [UInt8] {
        let body = Array(self.body.utf8)
        var head = "HTTP/1.1 \(status) \(Self.phrase(status))\r\n"
        head += "Content-Type: \(contentType)\r\n"
        head += "Content-Length: \(body.count)\r\n"
        for (name, value) in extraHeaders { head += "\(name): \(value)\r\n" }
        // One request per connection keeps the server a loop without connection state.
        head += "Connection: close\r\n\r\n"
        return omitsBody ? Array(head.utf8) : Array(head.utf8) + body
    }

    private static func phrase(_ status: Int) -> String {
        switch status {
        case 200: "OK"
        case 400: "Bad Request"
        case 404: "Not Found"
        case 405: "Method Not Allowed"
        case 431: "Request Header Fields Too Large"
        case 503: "Service Unavailable"
        default: "Status"
        }
    }
}

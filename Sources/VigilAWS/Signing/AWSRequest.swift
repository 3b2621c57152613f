/// One HTTP request to an AWS API, in the parts that Signature Version 4 signs.
public struct AWSRequest: Sendable {
    public var method: String
    /// `http` or `https` (an `--endpoint-url` may be plain HTTP).
    public var scheme: String
    /// The host, with `:port` when the port is not the scheme's default (as in the Host header).
    public var host: String
    /// The path as sent: already percent-encoded (`AWSPercentEncoding.encode(key, keepingSlashes: true)`).
    public var path: String
    /// Query parameters, not encoded.
    public var query: [(name: String, value: String)]
    /// Headers; names in any case.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(method: String, scheme: String = "https", host: String, path: String = "/",
                query: [(name: String, value: String)] = [], headers: [(name: String, value: String)] = [],
                body: [UInt8] = []) {
        self.method = method
        self.scheme = scheme
        self.host = host
        self.path = path.isEmpty ? "/" : path
        self.query = query
        self.headers = headers
        self.body = body
    }

    /// The query string as sent and as signed: each name and value encoded, pairs sorted.
    public var canonicalQueryString: String {
        query.map { (AWSPercentEncoding.encode($0.name), AWSPercentEncoding.encode($0.value)) }
            .sorted { $0.0 == $1.0 ? $0.1 < $1.1 : $0.0 < $1.0 }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The whole URL, with the query in its canonical order.
    public var url: String {
        let query = canonicalQueryString
        return "\(scheme)://\(host)\(path)\(query.isEmpty ? "" : "?" + query)"
    }

    /// The value of header `name` (any case), the first when there are several.
    public func header(_ name: String) -> String? {
        let lowered = name.lowercased()
        return headers.first { $0.name.lowercased() == lowered }?.value
    }

    /// Sets header `name`, replacing every header of that name (any case).
    public mutating func setHeader(_ name: String, _ value: String) {
        let lowered = name.lowercased()
        headers.removeAll { $0.name.lowercased() == lowered }
        headers.append((name, value))
    }
}

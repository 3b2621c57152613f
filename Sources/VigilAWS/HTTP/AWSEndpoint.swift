import Foundation

/// Where requests go: a scheme and a host (with its port when not the default), as the AWS CLI's
/// `--endpoint-url` gives it for S3-compatible stores, local test servers and VPC endpoints.
public struct AWSEndpoint: Sendable, Equatable, CustomStringConvertible {
    public let scheme: String
    /// Host, with `:port` when the port is given.
    public let host: String

    public init(scheme: String, host: String) {
        self.scheme = scheme
        self.host = host
    }

    /// Parses `http://127.0.0.1:9000` or `https://s3.example.com`; nil for anything else (a path
    /// after the host is refused too: no AWS client puts one there).
    public init?(url text: String) {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
              let host = url.host, !host.isEmpty, url.path.isEmpty || url.path == "/", url.query == nil,
              url.user == nil else { return nil }
        self.scheme = scheme
        let bracketed = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        self.host = url.port.map { "\(bracketed):\($0)" } ?? bracketed
    }

    public var description: String { "\(scheme)://\(host)" }
}

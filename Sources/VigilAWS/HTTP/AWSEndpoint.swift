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

extension AWSEndpoint {
    /// The public endpoint of `service` in `region`: `https://SERVICE.REGION.amazonaws.com`
    /// (`.amazonaws.com.cn` in the China regions).
    public static func regional(service: String, region: String) -> AWSEndpoint {
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return AWSEndpoint(scheme: "https", host: "\(service).\(region).\(suffix)")
    }
}

extension AWSEndpoint {
    /// The endpoint the environment configures for a service, as the AWS SDKs and CLI read it:
    /// `AWS_ENDPOINT_URL_<SERVICE>` (the service identifier upper-cased, spaces as `_`: `SNS`,
    /// `EVENTBRIDGE`, `LAMBDA`, `SECURITYHUB`, `STS`), else `AWS_ENDPOINT_URL`, unless
    /// `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` is true; nil when none is set.
    public static func configured(serviceIdentifier: String,
                                  environment: [String: String]) throws(ConfiguredEndpointError) -> AWSEndpoint? {
        guard environment["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"]?.lowercased() != "true" else { return nil }
        let suffix = serviceIdentifier.uppercased().replacingOccurrences(of: " ", with: "_")
        for variable in ["AWS_ENDPOINT_URL_\(suffix)", "AWS_ENDPOINT_URL"] {
            guard let text = environment[variable], !text.isEmpty else { continue }
            guard let endpoint = AWSEndpoint(url: text) else {
                throw ConfiguredEndpointError(message: "\(variable) (\(text)) is not an http:// or https:// URL")
            }
            return endpoint
        }
        return nil
    }
}

/// An endpoint variable that is not a URL Vigil can send to.
public struct ConfiguredEndpointError: Error, Sendable {
    public let message: String
}

import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A task's or pod's role credentials from the ECS agent or EKS Pod Identity, at the URL the
/// container's environment names.
///
/// `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is a path on the ECS agent, `http://169.254.170.2`;
/// else `AWS_CONTAINER_CREDENTIALS_FULL_URI` is a whole URL, which botocore accepts over https from
/// anywhere but over http only from a loopback address or the ECS and EKS agents (169.254.170.2,
/// 169.254.170.23, fd00:ec2::23, localhost): plain HTTP elsewhere would hand the role to anyone on
/// the path. The `Authorization` header is the contents of `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE`
/// (read at every call: EKS rotates it), else `AWS_CONTAINER_AUTHORIZATION_TOKEN`.
struct ContainerCredentials: Sendable {
    /// Where the token in the `Authorization` header comes from.
    enum Authorization: Sendable, Equatable {
        case token(String)
        case file(String)
    }

    let request: AWSRequest
    let authorization: Authorization?
    /// "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI at 169.254.170.2": the variable and the host, never the
    /// path (the ECS agent's is a credential id) or the query.
    let origin: String

    /// The ECS agent's address, which relative URIs are on.
    static let ecsAgent = "169.254.170.2"
    /// Hosts allowed over plain http besides loopback addresses, as in botocore.
    static let allowedHTTPHosts = ["169.254.170.2", "169.254.170.23", "fd00:ec2::23", "localhost"]
    /// Seconds per attempt and attempts in all, as botocore's container fetcher.
    static let timeout: Double = 2
    static let attempts = 3

    /// The configuration in `environment`, nil when neither URI variable is set; throws when the
    /// URI is not a URL or not allowed, naming the host and the rule.
    static func configured(environment: [String: String]) throws(AWSAccessError) -> ContainerCredentials? {
        let url: String, variable: String
        if let relative = environment["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], !relative.isEmpty {
            variable = "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"
            url = "http://\(ecsAgent)" + (relative.hasPrefix("/") ? relative : "/" + relative)
        } else if let full = environment["AWS_CONTAINER_CREDENTIALS_FULL_URI"], !full.isEmpty {
            variable = "AWS_CONTAINER_CREDENTIALS_FULL_URI"
            url = full
        } else {
            return nil
        }
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
              var host = components.host, !host.isEmpty else {
            throw AWSAccessError(.badConfiguration, "container endpoint: \(variable) is not a URL")
        }
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard scheme == "http" || scheme == "https" else {
            throw AWSAccessError(.badConfiguration, "container endpoint: \(variable) must be an http:// or https:// URL, not \(scheme)://")
        }
        if scheme == "http" && !isLoopback(host) && !allowedHTTPHosts.contains(host.lowercased()) {
            throw AWSAccessError(.badConfiguration, """
                container endpoint: \(variable) points at \(host) over plain http, which is refused: \
                only a loopback address or \(allowedHTTPHosts.joined(separator: ", ")) may serve credentials \
                over http (use https for any other host)
                """)
        }
        let bracketed = host.contains(":") ? "[\(host)]" : host
        let authority = components.port.map { "\(bracketed):\($0)" } ?? bracketed
        let query = (components.queryItems ?? []).map { (name: $0.name, value: $0.value ?? "") }
        let request = AWSRequest(method: "GET", scheme: scheme, host: authority, path: components.percentEncodedPath,
                                 query: query, headers: [("Accept", "application/json")])
        let authorization: Authorization?
        if let file = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"], !file.isEmpty {
            authorization = .file(file)
        } else if let token = environment["AWS_CONTAINER_AUTHORIZATION_TOKEN"], !token.isEmpty {
            authorization = .token(token)
        } else {
            authorization = nil
        }
        return ContainerCredentials(request: request, authorization: authorization, origin: "\(variable) at \(authority)")
    }

    /// Whether `host` is an IPv4 address in 127.0.0.0/8 or the IPv6 address ::1 (a name, even
    /// `localhost`, is not an address).
    static func isLoopback(_ host: String) -> Bool {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { bytes in bytes.prefix(15).allSatisfy { $0 == 0 } && bytes[15] == 1 }
        }
        return false
    }

    /// What the messages call this place.
    var place: String { "container endpoint (\(origin))" }

    /// Asks the endpoint, trying again after a second when no answer came or it answered 5xx or 429;
    /// throws, naming the endpoint and what it answered but never the token, when that fails.
    func fetch(transport: any AWSHTTPTransport) throws(AWSAccessError) -> AWSCredentials {
        var request = self.request
        var token: String?
        switch authorization {
        case .file(let path)?:
            guard let data = FileManager.default.contents(atPath: path) else {
                let why = FileManager.default.fileExists(atPath: path) ? "cannot be read" : "does not exist"
                throw AWSAccessError(.badConfiguration, "\(place): the token file \(path) (AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE) \(why)")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        case .token(let value)?:
            token = value.trimmingCharacters(in: .whitespacesAndNewlines)
        case nil:
            token = nil
        }
        if let token {
            guard !token.contains("\r") && !token.contains("\n") else {
                throw AWSAccessError(.badConfiguration, "\(place): the authorization token holds a line break, which no header may")
            }
            request.setHeader("Authorization", token)
        }
        var attempt = 0
        var why = ""
        while attempt < Self.attempts {
            if attempt > 0 { Thread.sleep(forTimeInterval: 1) }
            attempt += 1
            let response: AWSResponse
            do {
                response = try transport.send(request, timeout: Self.timeout)
            } catch {
                why = error.clause(host: request.host, timeout: Self.timeout)
                continue
            }
            if response.status == 200 {
                switch CredentialsJSON.parse(response.body, source: place) {
                case .success(let credentials): return credentials
                case .failure(let error): throw AWSAccessError(.noCredentials, "\(place): \(error.reason)")
                }
            }
            why = "answered HTTP \(response.status)" + Self.excerpt(response.body, hiding: token)
            if response.status < 500 && response.status != 429 { break }
        }
        throw AWSAccessError(.noCredentials, "\(place): \(why)\(attempt > 1 ? " (after \(attempt) attempts)" : "")")
    }

    /// The start of an error answer (the agents explain a refusal there), without the token.
    static func excerpt(_ body: [UInt8], hiding token: String?) -> String {
        var text = String(decoding: body.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if let token, !token.isEmpty { text = text.replacingOccurrences(of: token, with: "[token]") }
        text = text.replacingOccurrences(of: "\n", with: " ")
        return text.isEmpty ? "" : ": " + text
    }
}

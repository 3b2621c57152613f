import Foundation

/// The instance role's credentials from EC2 instance metadata, with IMDSv2 as botocore asks for them:
/// `PUT /latest/api/token` (`X-aws-ec2-metadata-token-ttl-seconds: 21600`), then with the token in
/// `X-aws-ec2-metadata-token`, `GET /latest/meta-data/iam/security-credentials/` for the role's name
/// and `GET …/security-credentials/ROLE` for its credentials.
///
/// Like botocore, a token `PUT` answered 403, 404 or 405, or not answered in time (a container
/// behind a hop limit of 1 never sees the answer), falls back to IMDSv1 (the `GET`s without a
/// token), unless `AWS_EC2_METADATA_V1_DISABLED` / `ec2_metadata_v1_disabled` is true.
///
/// Off EC2 nothing answers, so each request waits 1 s and is made once (botocore's defaults,
/// `AWS_METADATA_SERVICE_TIMEOUT` and `AWS_METADATA_SERVICE_NUM_ATTEMPTS` change them): a laptop
/// learns there are no credentials in about 2 s. `AWS_EC2_METADATA_DISABLED=true` skips it.
struct InstanceMetadataCredentials: Sendable {
    let endpoint: AWSEndpoint
    /// Seconds each request may take.
    let timeout: Double
    /// Attempts per request.
    let attempts: Int
    let allowsIMDSv1: Bool

    static let defaultEndpoint = AWSEndpoint(scheme: "http", host: "169.254.169.254")
    static let ipv6Endpoint = AWSEndpoint(scheme: "http", host: "[fd00:ec2::254]")
    static let credentialsPath = "/latest/meta-data/iam/security-credentials/"

    /// The configuration in `environment` and the profile's `settings`, or the reason instance
    /// metadata is not asked (disabled); throws when an endpoint or a number is malformed.
    static func configured(environment: [String: String], settings: [String: String])
        throws(AWSAccessError) -> Result<InstanceMetadataCredentials, Disabled> {
        if environment["AWS_EC2_METADATA_DISABLED"]?.lowercased() == "true" {
            return .failure(Disabled(reason: "disabled by AWS_EC2_METADATA_DISABLED"))
        }
        func setting(_ variable: String, _ key: String) -> (value: String, origin: String)? {
            if let value = environment[variable], !value.isEmpty { return (value, variable) }
            if let value = settings[key], !value.isEmpty { return (value, key) }
            return nil
        }
        var endpoint = defaultEndpoint
        if let custom = setting("AWS_EC2_METADATA_SERVICE_ENDPOINT", "ec2_metadata_service_endpoint") {
            guard let parsed = AWSEndpoint(url: custom.value) else {
                throw AWSAccessError(.badConfiguration, "instance metadata: \(custom.origin) (\(custom.value)) is not an http:// or https:// URL")
            }
            endpoint = parsed
        } else if setting("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE", "ec2_metadata_service_endpoint_mode")?.value
                    .lowercased() == "ipv6" {
            endpoint = ipv6Endpoint
        }
        var timeout = 1.0
        if let text = setting("AWS_METADATA_SERVICE_TIMEOUT", "metadata_service_timeout") {
            guard let value = Double(text.value), value > 0 else {
                throw AWSAccessError(.badConfiguration, "instance metadata: \(text.origin) (\(text.value)) is not a number of seconds")
            }
            timeout = value
        }
        var attempts = 1
        if let text = setting("AWS_METADATA_SERVICE_NUM_ATTEMPTS", "metadata_service_num_attempts") {
            guard let value = Int(text.value), value > 0 else {
                throw AWSAccessError(.badConfiguration, "instance metadata: \(text.origin) (\(text.value)) is not a positive whole number")
            }
            attempts = value
        }
        let v1Disabled = setting("AWS_EC2_METADATA_V1_DISABLED", "ec2_metadata_v1_disabled")?.value.lowercased() == "true"
        return .success(InstanceMetadataCredentials(endpoint: endpoint, timeout: timeout, attempts: attempts,
                                                    allowsIMDSv1: !v1Disabled))
    }

    /// Why instance metadata is not asked.
    struct Disabled: Error {
        let reason: String
    }

    /// The instance role's credentials, or why there are none: no answer (not on EC2), no role
    /// attached, a refusal. Never throws: instance metadata is the last place, and not being on
    /// EC2 is the common case.
    func fetch(transport: any AWSHTTPTransport) -> CredentialLookup {
        let host = endpoint.host
        // The IMDSv2 session token.
        var token: String?
        var tokenRefusal: String?
        var lastFailure: AWSTransportError?
        tokenAttempts: for _ in 0..<attempts {
            let put = AWSRequest(method: "PUT", scheme: endpoint.scheme, host: host, path: "/latest/api/token",
                                 headers: [("X-aws-ec2-metadata-token-ttl-seconds", "21600")])
            do {
                let response = try transport.send(put, timeout: timeout)
                switch response.status {
                case 200 where !response.body.isEmpty:
                    token = String(decoding: response.body, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
                    break tokenAttempts
                case 403, 404, 405:
                    tokenRefusal = "PUT /latest/api/token answered HTTP \(response.status)"
                    break tokenAttempts
                case 400:
                    return .absent("\(host) refused the token request (PUT /latest/api/token answered HTTP 400)")
                default:
                    tokenRefusal = "PUT /latest/api/token answered HTTP \(response.status)"
                }
            } catch {
                lastFailure = error
                // Nothing listening: the GETs of IMDSv1 would be refused as well.
                if error.kind != .timedOut { return .absent(error.clause(host: host, timeout: timeout)) }
                tokenRefusal = error.clause(host: host, timeout: timeout) + " to PUT /latest/api/token"
                break tokenAttempts
            }
        }
        if token == nil && !allowsIMDSv1 {
            return .absent("no IMDSv2 token (\(tokenRefusal ?? "none given")) and IMDSv1 is disabled (AWS_EC2_METADATA_V1_DISABLED or ec2_metadata_v1_disabled)")
        }
        let version = token == nil ? "IMDSv1, as no IMDSv2 token came (\(tokenRefusal ?? "none given"))" : "IMDSv2"

        // The role's name, then its credentials.
        let roles: AWSResponse
        switch get(Self.credentialsPath, token: token, transport: transport) {
        case .success(let response): roles = response
        case .failure(let error):
            if lastFailure?.kind == .timedOut && error.kind == .timedOut {
                return .absent(error.clause(host: host, timeout: timeout))
            }
            return .absent(error.clause(host: host, timeout: timeout) + " (\(version))")
        }
        let roleName = String(decoding: roles.body, as: UTF8.self).split(whereSeparator: \.isNewline).first
            .map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        switch roles.status {
        case 200 where !roleName.isEmpty:
            break
        case 200, 404:
            return .absent("no IAM role is attached to this instance (GET \(Self.credentialsPath) answered HTTP \(roles.status))")
        case 401:
            return .absent("GET \(Self.credentialsPath) answered HTTP 401: the metadata token was refused (\(version))")
        default:
            return .absent("GET \(Self.credentialsPath) answered HTTP \(roles.status) (\(version))")
        }
        let source = "instance metadata (role \(roleName) at \(host))"
        let path = Self.credentialsPath + AWSPercentEncoding.encode(roleName)
        let answer: AWSResponse
        switch get(path, token: token, transport: transport) {
        case .success(let response): answer = response
        case .failure(let error): return .absent(error.clause(host: host, timeout: timeout) + " for role \(roleName)")
        }
        guard answer.status == 200 else {
            return .absent("GET \(Self.credentialsPath)\(roleName) answered HTTP \(answer.status) (\(version))")
        }
        switch CredentialsJSON.parse(answer.body, source: source) {
        case .success(let credentials): return .found(credentials)
        case .failure(let error): return .absent("the credentials of role \(roleName): \(error.reason)")
        }
    }

    /// A GET with the token, made up to `attempts` times while it fails or answers other than 200
    /// with a body (botocore's retry rule).
    private func get(_ path: String, token: String?, transport: any AWSHTTPTransport) -> Result<AWSResponse, AWSTransportError> {
        var request = AWSRequest(method: "GET", scheme: endpoint.scheme, host: endpoint.host, path: path)
        if let token { request.setHeader("X-aws-ec2-metadata-token", token) }
        var last: Result<AWSResponse, AWSTransportError> = .failure(AWSTransportError(.connectionFailed, "not asked"))
        for _ in 0..<attempts {
            do {
                let response = try transport.send(request, timeout: timeout)
                last = .success(response)
                if response.status == 200 && !response.body.isEmpty { break }
            } catch {
                last = .failure(error)
            }
        }
        return last
    }
}

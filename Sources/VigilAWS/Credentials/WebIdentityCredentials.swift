import Foundation

/// A role's temporary credentials for a web identity token (EKS's IAM roles for service accounts,
/// GitHub Actions' OIDC, any OIDC provider), exchanged with STS `AssumeRoleWithWebIdentity`.
///
/// Configured as botocore reads it, each setting from the environment else from the profile:
/// `AWS_WEB_IDENTITY_TOKEN_FILE` / `web_identity_token_file`, `AWS_ROLE_ARN` / `role_arn`,
/// `AWS_ROLE_SESSION_NAME` / `role_session_name`. The call is not signed (the token is the proof);
/// it goes to the regional STS endpoint (`sts.REGION.amazonaws.com`, `sts.amazonaws.com` without a
/// region), or to `AWS_ENDPOINT_URL_STS` / `AWS_ENDPOINT_URL` as the AWS CLI does. The token file
/// is read at every call: Kubernetes rotates it.
struct WebIdentityCredentials: Sendable {
    let tokenFile: String
    let roleARN: String
    let sessionName: String
    let endpoint: AWSEndpoint
    /// Where the token file was named ("AWS_WEB_IDENTITY_TOKEN_FILE", "profile default"), for messages.
    let origin: String

    /// Seconds one STS call may take; botocore waits 60, but STS answers in well under a second.
    static let timeout: Double = 15
    /// Attempts in all for an STS call that failed in a way that may pass (no answer, 5xx, throttling,
    /// STS not reaching the identity provider).
    static let attempts = 3

    /// The configuration found in `environment` and the profile's `settings`, or nil when no token
    /// file is named; throws when one is named but the role is not.
    static func configured(environment: [String: String], profile: String, settings: [String: String],
                           region: String?, homeDirectory: String) throws(AWSAccessError) -> WebIdentityCredentials? {
        func setting(_ variable: String, _ key: String) -> (value: String, origin: String)? {
            if let value = environment[variable], !value.isEmpty { return (value, variable) }
            if let value = settings[key], !value.isEmpty { return (value, "profile \(profile)") }
            return nil
        }
        guard let tokenFile = setting("AWS_WEB_IDENTITY_TOKEN_FILE", "web_identity_token_file") else { return nil }
        guard let roleARN = setting("AWS_ROLE_ARN", "role_arn") else {
            throw AWSAccessError(.badConfiguration, """
                web identity: \(tokenFile.origin) names a token file but no role is given \
                (set AWS_ROLE_ARN, or role_arn in profile \(profile))
                """)
        }
        let sessionName = setting("AWS_ROLE_SESSION_NAME", "role_session_name")?.value
            ?? "vigil-session-\(Int(Date().timeIntervalSince1970))"
        let path = tokenFile.value.hasPrefix("~/") ? homeDirectory + tokenFile.value.dropFirst() : tokenFile.value
        return WebIdentityCredentials(tokenFile: path, roleARN: roleARN.value, sessionName: sessionName,
                                      endpoint: try stsEndpoint(environment: environment, region: region),
                                      origin: tokenFile.origin)
    }

    /// `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL` (unless `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS`
    /// is true), else STS in `region` (China's regions under `amazonaws.com.cn`), else global STS.
    static func stsEndpoint(environment: [String: String], region: String?) throws(AWSAccessError) -> AWSEndpoint {
        do {
            if let configured = try AWSEndpoint.configured(serviceIdentifier: "STS", environment: environment) { return configured }
        } catch {
            throw AWSAccessError(.badConfiguration, "web identity: \(error.message)")
        }
        guard let region, !region.isEmpty else { return AWSEndpoint(scheme: "https", host: "sts.amazonaws.com") }
        let suffix = region.hasPrefix("cn-") ? "amazonaws.com.cn" : "amazonaws.com"
        return AWSEndpoint(scheme: "https", host: "sts.\(region).\(suffix)")
    }

    /// What the messages call this place.
    var place: String { "web identity (\(origin), role \(roleARN))" }

    /// Reads the token and exchanges it for the role's credentials; throws, naming the token file, the
    /// role and STS's answer but never the token, when that fails.
    func fetch(transport: any AWSHTTPTransport) throws(AWSAccessError) -> AWSCredentials {
        guard let data = FileManager.default.contents(atPath: tokenFile) else {
            let why = FileManager.default.fileExists(atPath: tokenFile) ? "cannot be read" : "does not exist"
            throw AWSAccessError(.badConfiguration, "\(place): the token file \(tokenFile) \(why)")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        guard !token.isEmpty else {
            throw AWSAccessError(.badConfiguration, "\(place): the token file \(tokenFile) is empty")
        }
        let form = [("Action", "AssumeRoleWithWebIdentity"), ("Version", "2011-06-15"), ("RoleArn", roleARN),
                    ("RoleSessionName", sessionName), ("WebIdentityToken", token)]
            .map { "\($0.0)=\(AWSPercentEncoding.encode($0.1))" }
            .joined(separator: "&")
        let request = AWSRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, path: "/",
                                 headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                 body: Array(form.utf8))
        let call = "STS AssumeRoleWithWebIdentity at \(endpoint)"
        let retry = AWSRetryPolicy(maximumAttempts: Self.attempts)
        var attempt = 0
        var why = ""
        while attempt < Self.attempts {
            if attempt > 0 { Thread.sleep(forTimeInterval: retry.delay(beforeRetry: attempt)) }
            attempt += 1
            let response: AWSResponse
            do {
                response = try transport.send(request, timeout: Self.timeout)
            } catch {
                why = "\(call): " + error.clause(host: endpoint.host, timeout: Self.timeout)
                continue
            }
            if response.isSuccess { return try credentials(in: response, call: call) }
            let (code, detail) = AWSServiceError.errorCode(of: response)
            // STS does not echo the token, but what an identity provider says is not ours to vouch for.
            let said = detail.map { ": " + $0.replacingOccurrences(of: token, with: "[token]").prefix(300) } ?? ""
            why = "\(call) answered HTTP \(response.status)\(code.map { " \($0)" } ?? "")\(said)"
            let mayPass = response.status >= 500 || response.status == 429
                || ["IDPCommunicationError", "Throttling", "ThrottlingException"].contains(code ?? "")
            if !mayPass { break }
        }
        throw AWSAccessError(.noCredentials, "\(place): \(why)\(attempt > 1 ? " (after \(attempt) attempts)" : "")")
    }

    /// The credentials in STS's XML answer: `<Credentials><AccessKeyId>…<SecretAccessKey>…
    /// <SessionToken>…<Expiration>…</Credentials>`.
    private func credentials(in response: AWSResponse, call: String) throws(AWSAccessError) -> AWSCredentials {
        guard let block = XMLElements(response.body).all("Credentials").first,
              let key = block.text("AccessKeyId"), !key.isEmpty,
              let secret = block.text("SecretAccessKey"), !secret.isEmpty,
              let sessionToken = block.text("SessionToken"), !sessionToken.isEmpty else {
            throw AWSAccessError(.noCredentials, "\(place): \(call) answered without credentials")
        }
        guard let text = block.text("Expiration"), let expiration = CredentialTimestamp.parse(text) else {
            throw AWSAccessError(.noCredentials, "\(place): \(call) answered without a readable Expiration")
        }
        return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: sessionToken,
                              expiration: expiration, source: place)
    }
}

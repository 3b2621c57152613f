import Foundation

/// Finds credentials and the region where the AWS CLI and SDKs look, in botocore's order.
///
/// Credentials, the first found:
/// 1. the environment: `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`;
/// 2. a web identity token file (`AWS_WEB_IDENTITY_TOKEN_FILE` and `AWS_ROLE_ARN`, or the profile's
///    `web_identity_token_file` and `role_arn`) exchanged with STS (`WebIdentityCredentials`);
/// 3. the profile (`AWS_PROFILE`, else `default`) in the shared credentials file
///    (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`), then in the config file
///    (`AWS_CONFIG_FILE`, else `~/.aws/config`);
/// 4. the ECS/EKS container endpoint (`AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` or `_FULL_URI`,
///    `ContainerCredentials`);
/// 5. EC2 instance metadata, IMDSv2 (`InstanceMetadataCredentials`).
///
/// Web identity comes before the profile's keys as in botocore, so that a pod given a role by its
/// service account uses it even where a credentials file is mounted. A place that is configured
/// but fails (STS refuses the token, the container endpoint is not allowed) ends the search with
/// its error, as in the AWS CLI, rather than fall through to another identity. When nothing is
/// found, the error names every place looked at and why each had nothing.
///
/// Region: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region` in the config file
/// (instance metadata's region is not read).
///
/// Every call looks again (and makes the HTTP requests again): wrap the chain in a
/// `CachingCredentialProvider` to keep temporary credentials until they are about to expire.
public struct CredentialChain: Sendable {
    private let environment: [String: String]
    private let homeDirectory: String
    private let transport: any AWSHTTPTransport

    /// - Parameter transport: what the web identity, container and instance metadata requests go
    ///   through.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                homeDirectory: String = NSHomeDirectory(),
                transport: any AWSHTTPTransport = URLSessionTransport()) {
        self.environment = environment
        self.homeDirectory = homeDirectory
        self.transport = transport
    }

    /// The profile asked for: `AWS_PROFILE`, else `default`.
    public var profile: String {
        nonEmpty("AWS_PROFILE") ?? nonEmpty("AWS_DEFAULT_PROFILE") ?? "default"
    }

    /// The first credentials found, or an error naming every place looked at and why each failed.
    public func credentials() throws(AWSAccessError) -> AWSCredentials {
        var search = Search()

        if let key = nonEmpty("AWS_ACCESS_KEY_ID") {
            guard let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") else {
                throw AWSAccessError(.badConfiguration, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: nonEmpty("AWS_SESSION_TOKEN"),
                                  source: "environment")
        }
        search.note("environment", "AWS_ACCESS_KEY_ID is not set")

        let profile = profile
        let credentialsPath = credentialsFilePath
        let configPath = configFilePath
        let credentialsFile = try search.run { () throws(AWSAccessError) in try read(credentialsPath, isConfig: false) }
        let configFile = try search.run { () throws(AWSAccessError) in try read(configPath, isConfig: true) }
        // botocore's view of a profile: the config file's settings, overridden by the credentials file's.
        let settings = (configFile?.settings(of: profile) ?? [:])
            .merging(credentialsFile?.settings(of: profile) ?? [:]) { $1 }

        if let role = settings["role_arn"], !role.isEmpty,
           let via = ["source_profile", "credential_source"].first(where: { !(settings[$0] ?? "").isEmpty }) {
            throw search.failure(AWSAccessError(.badConfiguration, """
                profile \(profile) assumes role \(role) with \(via), which Vigil does not do: give the role's \
                keys, a web identity token file, or run where the container endpoint or instance metadata has it
                """))
        }

        let region = region(config: configFile)
        let webIdentity = try search.run { () throws(AWSAccessError) in
            try WebIdentityCredentials.configured(environment: environment, profile: profile, settings: settings,
                                                  region: region, homeDirectory: homeDirectory)
        }
        if let webIdentity {
            return try search.run { () throws(AWSAccessError) in try webIdentity.fetch(transport: transport) }
        }
        search.note("web identity", "AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile \(profile) has no web_identity_token_file")

        for (path, file) in [(credentialsPath, credentialsFile), (configPath, configFile)] {
            let place = "profile \(profile) in \(path)"
            guard let file else {
                search.note(place, "no such file")
                continue
            }
            guard let settings = file.settings(of: profile) else {
                search.note(place, "no such profile")
                continue
            }
            guard let key = settings["aws_access_key_id"], !key.isEmpty else {
                search.note(place, "no aws_access_key_id")
                continue
            }
            guard let secret = settings["aws_secret_access_key"], !secret.isEmpty else {
                throw search.failure(AWSAccessError(.badConfiguration,
                                                    "Profile \(profile) in \(path) has aws_access_key_id but no aws_secret_access_key"))
            }
            let token = settings["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token, source: place)
        }
        if let unsupported = ["credential_process", "sso_session", "sso_start_url"].first(where: { !(settings[$0] ?? "").isEmpty }) {
            throw search.failure(AWSAccessError(.badConfiguration, """
                profile \(profile) gets its credentials with \(unsupported), which Vigil does not do: give keys, \
                a web identity token file, or export the credentials (aws configure export-credentials)
                """))
        }

        let container = try search.run { () throws(AWSAccessError) in try ContainerCredentials.configured(environment: environment) }
        if let container {
            return try search.run { () throws(AWSAccessError) in try container.fetch(transport: transport) }
        }
        search.note("container endpoint", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set")

        let metadata = try search.run { () throws(AWSAccessError) in
            try InstanceMetadataCredentials.configured(environment: environment, settings: settings)
        }
        switch metadata {
        case .failure(let disabled):
            search.note("instance metadata", disabled.reason)
        case .success(let metadata):
            switch metadata.fetch(transport: transport) {
            case .found(let credentials): return credentials
            case .absent(let reason): search.note("instance metadata", reason)
            }
        }
        throw search.nothingFound()
    }

    /// The region, or nil when none is set anywhere.
    public func region() throws(AWSAccessError) -> String? {
        try region(config: read(configFilePath, isConfig: true))
    }

    private func region(config: SharedConfigFile?) -> String? {
        if let region = nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION") { return region }
        return config?.settings(of: profile)?["region"].flatMap { $0.isEmpty ? nil : $0 }
    }

    var credentialsFilePath: String {
        nonEmpty("AWS_SHARED_CREDENTIALS_FILE").map(expandingTilde) ?? homeDirectory + "/.aws/credentials"
    }

    var configFilePath: String {
        nonEmpty("AWS_CONFIG_FILE").map(expandingTilde) ?? homeDirectory + "/.aws/config"
    }

    private func nonEmpty(_ name: String) -> String? {
        guard let value = environment[name], !value.isEmpty else { return nil }
        return value
    }

    private func expandingTilde(_ path: String) -> String {
        path.hasPrefix("~/") ? homeDirectory + path.dropFirst() : path
    }

    /// The parsed file, or nil when it does not exist.
    private func read(_ path: String, isConfig: Bool) throws(AWSAccessError) -> SharedConfigFile? {
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw AWSAccessError(.badConfiguration, "\(path) cannot be read")
        }
        return SharedConfigFile(text: String(decoding: data, as: UTF8.self), isConfig: isConfig)
    }

    /// The places looked at so far and why each had nothing, for the error that ends the search.
    private struct Search {
        private var lookedAt: [String] = []

        mutating func note(_ place: String, _ reason: String) {
            lookedAt.append("\(place): \(reason)")
        }

        /// Runs one step; its error, if any, gains the list of places looked at before it.
        func run<T>(_ step: () throws(AWSAccessError) -> T) throws(AWSAccessError) -> T {
            do {
                return try step()
            } catch {
                throw failure(error)
            }
        }

        /// `error`, from a place that was configured but failed, with the places looked at before it.
        func failure(_ error: AWSAccessError) -> AWSAccessError {
            guard !lookedAt.isEmpty else { return error }
            return AWSAccessError(error.kind, "\(error.message). Looked at before it: \(lookedAt.joined(separator: "; ")).")
        }

        func nothingFound() -> AWSAccessError {
            AWSAccessError(.noCredentials, "No AWS credentials found. Looked at, in order: \(lookedAt.joined(separator: "; ")).")
        }
    }
}

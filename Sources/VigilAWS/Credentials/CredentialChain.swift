import Foundation

/// Finds credentials and the region where the AWS CLI and SDKs look, in their order.
///
/// Credentials: the environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
/// `AWS_SESSION_TOKEN`), then the profile (`AWS_PROFILE`, else `default`) in the shared credentials
/// file (`AWS_SHARED_CREDENTIALS_FILE`, else `~/.aws/credentials`), then the same profile in the
/// config file (`AWS_CONFIG_FILE`, else `~/.aws/config`).
///
/// Region: `AWS_REGION`, then `AWS_DEFAULT_REGION`, then the profile's `region` in the config file.
///
/// Web identity token files, the ECS container endpoint and EC2 instance metadata, which the
/// SDKs try after these, need HTTP and are not read yet: the error says so when nothing is found.
public struct CredentialChain: Sendable {
    private let environment: [String: String]
    private let homeDirectory: String

    public init(environment: [String: String] = ProcessInfo.processInfo.environment,
                homeDirectory: String = NSHomeDirectory()) {
        self.environment = environment
        self.homeDirectory = homeDirectory
    }

    /// The profile asked for: `AWS_PROFILE`, else `default`.
    public var profile: String {
        nonEmpty("AWS_PROFILE") ?? nonEmpty("AWS_DEFAULT_PROFILE") ?? "default"
    }

    /// The first credentials found, or an error naming every place looked at.
    public func credentials() throws(AWSAccessError) -> AWSCredentials {
        if let key = nonEmpty("AWS_ACCESS_KEY_ID") {
            guard let secret = nonEmpty("AWS_SECRET_ACCESS_KEY") else {
                throw AWSAccessError(.badConfiguration, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not")
            }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: nonEmpty("AWS_SESSION_TOKEN"),
                                  source: "environment")
        }
        let credentialsPath = credentialsFilePath
        let configPath = configFilePath
        for (path, isConfig) in [(credentialsPath, false), (configPath, true)] {
            guard let file = try read(path, isConfig: isConfig), let settings = file.settings(of: profile),
                  let key = settings["aws_access_key_id"], !key.isEmpty else { continue }
            guard let secret = settings["aws_secret_access_key"], !secret.isEmpty else {
                throw AWSAccessError(.badConfiguration, "Profile \(profile) in \(path) has aws_access_key_id but no aws_secret_access_key")
            }
            let token = settings["aws_session_token"].flatMap { $0.isEmpty ? nil : $0 }
            return AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token,
                                  source: "profile \(profile) in \(path)")
        }
        throw AWSAccessError(.noCredentials, """
            No AWS credentials found: looked at AWS_ACCESS_KEY_ID, then profile \(profile) in \(credentialsPath) \
            and \(configPath). (Web identity tokens, the ECS container endpoint and instance metadata are not read yet.)
            """)
    }

    /// The region, or nil when none is set anywhere.
    public func region() throws(AWSAccessError) -> String? {
        if let region = nonEmpty("AWS_REGION") ?? nonEmpty("AWS_DEFAULT_REGION") { return region }
        return try read(configFilePath, isConfig: true)?.settings(of: profile)?["region"].flatMap { $0.isEmpty ? nil : $0 }
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
}

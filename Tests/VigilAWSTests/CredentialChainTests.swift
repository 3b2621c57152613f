import Foundation
import Testing
@testable import VigilAWS

/// Credentials and region from the environment and the shared files, in the SDKs' order.
@Suite("Credential chain")
struct CredentialChainTests {
    /// A home directory with `~/.aws/credentials` and `~/.aws/config` holding `credentials` and `config`.
    static func home(credentials: String? = nil, config: String? = nil) throws -> String {
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-aws-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: home + "/.aws", withIntermediateDirectories: true)
        if let credentials { try credentials.write(toFile: home + "/.aws/credentials", atomically: true, encoding: .utf8) }
        if let config { try config.write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8) }
        return home
    }

    static let files = (
        credentials: """
            # a comment
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = secret/default

            [audit]
            aws_access_key_id=AKIAAUDIT
            aws_secret_access_key=secret+audit
            aws_session_token = token-audit
            """,
        config: """
            [default]
            region = eu-west-1

            [profile audit]
            region = us-east-2
            s3 =
              max_concurrent_requests = 20
              region = not-this-one

            [profile config-only]
            aws_access_key_id = AKIACONFIG
            aws_secret_access_key = secret-config
            region = ap-south-1

            [sso-session corp]
            region = sa-east-1
            """
    )

    @Test("the environment comes first, with its session token")
    func environmentFirst() throws {
        let home = try Self.home(credentials: Self.files.credentials, config: Self.files.config)
        let chain = CredentialChain(environment: ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s",
                                                  "AWS_SESSION_TOKEN": "t", "AWS_PROFILE": "audit"], homeDirectory: home)
        let credentials = try chain.credentials()
        #expect(credentials.accessKeyID == "AKIAENV")
        #expect(credentials.sessionToken == "t")
        #expect(credentials.source == "environment")
    }

    @Test("the profile named by AWS_PROFILE, else default, from the credentials file, then the config file")
    func profiles() throws {
        let home = try Self.home(credentials: Self.files.credentials, config: Self.files.config)
        let byDefault = try CredentialChain(environment: [:], homeDirectory: home).credentials()
        #expect(byDefault.accessKeyID == "AKIADEFAULT" && byDefault.secretAccessKey == "secret/default" && byDefault.sessionToken == nil)
        let audit = try CredentialChain(environment: ["AWS_PROFILE": "audit"], homeDirectory: home).credentials()
        #expect(audit.accessKeyID == "AKIAAUDIT" && audit.secretAccessKey == "secret+audit" && audit.sessionToken == "token-audit")
        #expect(audit.source == "profile audit in \(home)/.aws/credentials")
        let configOnly = try CredentialChain(environment: ["AWS_PROFILE": "config-only"], homeDirectory: home).credentials()
        #expect(configOnly.accessKeyID == "AKIACONFIG")
    }

    @Test("the region: AWS_REGION, AWS_DEFAULT_REGION, then the profile's; nested blocks and other sections ignored")
    func region() throws {
        let home = try Self.home(credentials: Self.files.credentials, config: Self.files.config)
        #expect(try CredentialChain(environment: ["AWS_REGION": "us-west-2", "AWS_DEFAULT_REGION": "x"], homeDirectory: home).region() == "us-west-2")
        #expect(try CredentialChain(environment: ["AWS_DEFAULT_REGION": "ca-central-1"], homeDirectory: home).region() == "ca-central-1")
        #expect(try CredentialChain(environment: [:], homeDirectory: home).region() == "eu-west-1")
        #expect(try CredentialChain(environment: ["AWS_PROFILE": "audit"], homeDirectory: home).region() == "us-east-2")
        #expect(try CredentialChain(environment: ["AWS_PROFILE": "corp"], homeDirectory: home).region() == nil)
    }

    @Test("AWS_SHARED_CREDENTIALS_FILE and AWS_CONFIG_FILE move the files")
    func movedFiles() throws {
        let home = try Self.home()
        try "[default]\naws_access_key_id = AKIAMOVED\naws_secret_access_key = s\n"
            .write(toFile: home + "/creds", atomically: true, encoding: .utf8)
        try "[default]\nregion = me-south-1\n".write(toFile: home + "/conf", atomically: true, encoding: .utf8)
        let chain = CredentialChain(environment: ["AWS_SHARED_CREDENTIALS_FILE": "~/creds", "AWS_CONFIG_FILE": home + "/conf"],
                                    homeDirectory: home)
        #expect(try chain.credentials().accessKeyID == "AKIAMOVED")
        #expect(try chain.region() == "me-south-1")
    }

    @Test("nothing found, or half a key, is a clear error without secrets")
    func errors() throws {
        let home = try Self.home()
        #expect(throws: AWSAccessError.self) { try CredentialChain(environment: [:], homeDirectory: home).credentials() }
        do {
            _ = try CredentialChain(environment: ["AWS_PROFILE": "missing"], homeDirectory: home).credentials()
        } catch {
            #expect(error.kind == .noCredentials)
            #expect(error.message.contains("profile missing"))
        }
        do {
            _ = try CredentialChain(environment: ["AWS_ACCESS_KEY_ID": "AKIAHALF"], homeDirectory: home).credentials()
            Issue.record("half a key was accepted")
        } catch {
            #expect(error.kind == .badConfiguration)
        }
        let halfProfile = try Self.home(credentials: "[default]\naws_access_key_id = AKIA\n")
        do {
            _ = try CredentialChain(environment: [:], homeDirectory: halfProfile).credentials()
            Issue.record("a profile without its secret was accepted")
        } catch {
            #expect(error.kind == .badConfiguration)
        }
    }
}

import Foundation
import Testing
import VigilTestSupport
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

    /// Instance metadata turned off, so that a test whose chain finds nothing never asks 169.254.169.254.
    static let offEC2 = ["AWS_EC2_METADATA_DISABLED": "true"]

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
        #expect(throws: AWSAccessError.self) { try CredentialChain(environment: Self.offEC2, homeDirectory: home).credentials() }
        do {
            _ = try CredentialChain(environment: Self.offEC2.merging(["AWS_PROFILE": "missing"]) { $1 }, homeDirectory: home).credentials()
            Issue.record("credentials were found in an empty home")
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
            _ = try CredentialChain(environment: Self.offEC2, homeDirectory: halfProfile).credentials()
            Issue.record("a profile without its secret was accepted")
        } catch {
            #expect(error.kind == .badConfiguration)
        }
    }

    @Test("when nothing is found, the error names every place looked at, in order, and why each had nothing")
    func everyPlaceNamed() throws {
        let home = try Self.home(config: "[profile audit]\nregion = us-east-2\n")
        let environment = Self.offEC2.merging(["AWS_PROFILE": "audit"]) { $1 }
        do {
            _ = try CredentialChain(environment: environment, homeDirectory: home).credentials()
            Issue.record("credentials were found in an empty home")
        } catch {
            #expect(error.kind == .noCredentials)
            let expected = [
                "environment: AWS_ACCESS_KEY_ID is not set",
                "web identity: AWS_WEB_IDENTITY_TOKEN_FILE is not set and profile audit has no web_identity_token_file",
                "profile audit in \(home)/.aws/credentials: no such file",
                "profile audit in \(home)/.aws/config: no aws_access_key_id",
                "container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI and AWS_CONTAINER_CREDENTIALS_FULL_URI are not set",
                "instance metadata: disabled by AWS_EC2_METADATA_DISABLED",
            ]
            let positions = expected.map { error.message.range(of: $0)?.lowerBound }
            #expect(!positions.contains(nil), "\(error.message)")
            let found = positions.compactMap { $0 }
            #expect(found == found.sorted(), "places out of order: \(error.message)")
            #expect(!error.message.contains("not read yet"))
        }
    }

    @Test("a profile that assumes a role from another profile, or runs a process, is refused plainly rather than skipped")
    func unsupportedProfiles() throws {
        let home = try Self.home(credentials: "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = s\n",
                                 config: """
                                     [profile assumer]
                                     role_arn = arn:aws:iam::123456789012:role/audit
                                     source_profile = base

                                     [profile process]
                                     credential_process = /usr/local/bin/get-creds
                                     """)
        for (profile, mentions) in [("assumer", "source_profile"), ("process", "credential_process")] {
            do {
                _ = try CredentialChain(environment: Self.offEC2.merging(["AWS_PROFILE": profile]) { $1 }, homeDirectory: home)
                    .credentials()
                Issue.record("profile \(profile) gave credentials")
            } catch {
                #expect(error.kind == .badConfiguration)
                #expect(error.message.contains("profile \(profile)") && error.message.contains(mentions), "\(error.message)")
            }
        }
    }

    @Test("precedence: environment keys, then web identity, then the profile, then the container endpoint, then instance metadata")
    func precedence() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let imds = try FaultInjectingServer(respond: CredentialEndpointHandlers.instanceMetadata())
        defer { imds.stop() }
        let container = try FaultInjectingServer(respond: CredentialEndpointHandlers.container(authorization: "container-auth"))
        defer { container.stop() }
        let home = try Self.home(config: "[profile keys]\naws_access_key_id = AKIAPROFILE\naws_secret_access_key = s\n")
        let tokenFile = home + "/web-identity-token"
        try "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ2aWdpbCJ9.c2lnbmF0dXJl".write(toFile: tokenFile, atomically: true, encoding: .utf8)

        let environmentKeys = ["AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "s"]
        let webIdentity = ["AWS_WEB_IDENTITY_TOKEN_FILE": tokenFile, "AWS_ROLE_ARN": "arn:aws:iam::123456789012:role/vigil",
                           "AWS_ENDPOINT_URL_STS": moto.endpoint, "AWS_REGION": "us-east-1"]
        let profileKeys = ["AWS_PROFILE": "keys"]
        let containerEndpoint = ["AWS_CONTAINER_CREDENTIALS_FULL_URI": container.endpoint + "/v1/credentials",
                                 "AWS_CONTAINER_AUTHORIZATION_TOKEN": "container-auth"]
        let instanceMetadata = ["AWS_EC2_METADATA_SERVICE_ENDPOINT": imds.endpoint]

        func source(_ parts: [[String: String]]) throws -> AWSCredentials {
            let environment = parts.reduce(into: [String: String]()) { $0.merge($1) { $1 } }
            return try CredentialChain(environment: environment, homeDirectory: home).credentials()
        }
        let all = [environmentKeys, webIdentity, profileKeys, containerEndpoint, instanceMetadata]
        #expect(try source(all).source == "environment")
        let fromSTS = try source(Array(all.dropFirst()))
        #expect(fromSTS.source.hasPrefix("web identity"))
        #expect(fromSTS.sessionToken != nil && fromSTS.expiration != nil)
        #expect(try source(Array(all.dropFirst(2))).source == "profile keys in \(home)/.aws/config")
        let fromContainer = try source(Array(all.dropFirst(3)))
        #expect(fromContainer.accessKeyID == "ASIACONTAINER" && fromContainer.source.hasPrefix("container endpoint"))
        let fromInstance = try source(Array(all.dropFirst(4)))
        #expect(fromInstance.accessKeyID == "ASIAIMDS" && fromInstance.source.hasPrefix("instance metadata"))
        // Each place was asked only when every place before it had nothing.
        #expect(container.requests.count == 1)
        #expect(imds.requests.filter { $0.method == "PUT" }.count == 1)
    }
}

import Foundation
import Testing
import VigilTestSupport
@testable import VigilAWS

/// Web identity token files exchanged for a role's credentials with STS `AssumeRoleWithWebIdentity`:
/// against moto's real STS (started on 127.0.0.1 for each test that needs it), and against a local
/// server for STS's refusals, which moto does not make.
@Suite("Web identity credentials")
struct WebIdentityCredentialsTests {
    static let roleARN = "arn:aws:iam::123456789012:role/vigil-reader"
    /// A JWT's shape; moto does not check its signature.
    static let token = "eyJhbGciOiJSUzI1NiIsImtpZCI6InRlc3QifQ.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6dmlnaWw6dmlnaWwifQ.c2lnbmF0dXJl"

    static func tokenFile(in home: String, _ text: String = token + "\n") throws -> String {
        let path = home + "/token-\(UUID().uuidString)"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    @Test("AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN against moto's STS, at AWS_ENDPOINT_URL_STS")
    func environmentAgainstMoto() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let home = try CredentialChainTests.home()
        let chain = CredentialChain(environment: CredentialChainTests.offEC2.merging([
            "AWS_WEB_IDENTITY_TOKEN_FILE": try Self.tokenFile(in: home),
            "AWS_ROLE_ARN": Self.roleARN,
            "AWS_ROLE_SESSION_NAME": "vigil-test",
            "AWS_ENDPOINT_URL_STS": moto.endpoint,
            "AWS_ENDPOINT_URL": "http://127.0.0.1:9",  // the service-specific variable wins
            "AWS_REGION": "eu-west-1",
        ]) { $1 }, homeDirectory: home)
        let started = Date()
        let credentials = try chain.credentials()
        #expect(credentials.accessKeyID.hasPrefix("ASIA"))
        #expect(!credentials.secretAccessKey.isEmpty)
        #expect(credentials.sessionToken.map { !$0.isEmpty } == true)
        let expiration = try #require(credentials.expiration)
        #expect(expiration > started.addingTimeInterval(-60), "moto's Expiration is its clock plus the session's duration")
        #expect(credentials.source == "web identity (AWS_WEB_IDENTITY_TOKEN_FILE, role \(Self.roleARN))")
        #expect(!credentials.description.contains(credentials.secretAccessKey))
    }

    @Test("the profile's web_identity_token_file and role_arn, with AWS_ENDPOINT_URL, against moto")
    func profileAgainstMoto() throws {
        let moto = try MotoServer()
        defer { moto.stop() }
        let home = try CredentialChainTests.home()
        let file = try Self.tokenFile(in: home)
        try """
            [profile pod]
            web_identity_token_file = \(file)
            role_arn = \(Self.roleARN)
            role_session_name = from-profile
            region = us-west-2
            """.write(toFile: home + "/.aws/config", atomically: true, encoding: .utf8)
        let credentials = try CredentialChain(environment: CredentialChainTests.offEC2.merging([
            "AWS_PROFILE": "pod", "AWS_ENDPOINT_URL": moto.endpoint,
        ]) { $1 }, homeDirectory: home).credentials()
        #expect(credentials.accessKeyID.hasPrefix("ASIA"))
        #expect(credentials.source == "web identity (profile pod, role \(Self.roleARN))")
    }

    @Test("the request: an unsigned form POST with the role, the session name and the token; STS's refusal named, the token not")
    func requestAndRefusal() throws {
        let refusal = """
            <ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type>\
            <Code>InvalidIdentityToken</Code><Message>Incorrect token audience for \(Self.token)</Message></Error>\
            <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ErrorResponse>
            """
        let server = try FaultInjectingServer { _ in .status(400, headers: ["Content-Type": "text/xml"], body: refusal) }
        defer { server.stop() }
        let home = try CredentialChainTests.home()
        let chain = CredentialChain(environment: CredentialChainTests.offEC2.merging([
            "AWS_WEB_IDENTITY_TOKEN_FILE": try Self.tokenFile(in: home),
            "AWS_ROLE_ARN": Self.roleARN,
            "AWS_ROLE_SESSION_NAME": "vigil test/1",
            "AWS_ENDPOINT_URL_STS": server.endpoint,
        ]) { $1 }, homeDirectory: home)
        do {
            _ = try chain.credentials()
            Issue.record("a refused token gave credentials")
        } catch {
            #expect(error.message.contains("""
                web identity (AWS_WEB_IDENTITY_TOKEN_FILE, role \(Self.roleARN)): STS AssumeRoleWithWebIdentity at \
                \(server.endpoint) answered HTTP 400 InvalidIdentityToken: Incorrect token audience
                """), "\(error.message)")
            #expect(!error.message.contains(Self.token))
            #expect(!error.message.contains("profile default in"), "the chain went past a configured web identity")
        }
        #expect(server.requests.count == 1, "a refusal is not retried")
        let request = try #require(server.requests.first)
        #expect(request.method == "POST" && request.path == "/")
        #expect(request.headers["authorization"] == nil)
        #expect(request.headers["content-type"]?.hasPrefix("application/x-www-form-urlencoded") == true)
        let form = Dictionary(uniqueKeysWithValues: request.bodyText.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1).map { String($0).removingPercentEncoding ?? "" }
            return (parts[0], parts.count > 1 ? parts[1] : "")
        })
        #expect(form == ["Action": "AssumeRoleWithWebIdentity", "Version": "2011-06-15", "RoleArn": Self.roleARN,
                         "RoleSessionName": "vigil test/1", "WebIdentityToken": Self.token])
    }

    @Test("a token file without a role, or a role whose token file is missing, is a configuration error")
    func misconfigured() throws {
        let home = try CredentialChainTests.home()
        let file = try Self.tokenFile(in: home)
        do {
            _ = try CredentialChain(environment: CredentialChainTests.offEC2.merging(["AWS_WEB_IDENTITY_TOKEN_FILE": file]) { $1 },
                                    homeDirectory: home).credentials()
            Issue.record("a token file without a role was accepted")
        } catch {
            #expect(error.kind == .badConfiguration)
            #expect(error.message.contains("AWS_ROLE_ARN"), "\(error.message)")
        }
        do {
            _ = try CredentialChain(environment: CredentialChainTests.offEC2.merging([
                "AWS_WEB_IDENTITY_TOKEN_FILE": home + "/no-such-token", "AWS_ROLE_ARN": Self.roleARN,
                "AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9",
            ]) { $1 }, homeDirectory: home).credentials()
            Issue.record("a missing token file was accepted")
        } catch {
            #expect(error.kind == .badConfiguration)
            #expect(error.message.contains("the token file \(home)/no-such-token does not exist"), "\(error.message)")
        }
    }

    @Test("the STS endpoint: AWS_ENDPOINT_URL_STS, AWS_ENDPOINT_URL, then the regional endpoint, else the global one")
    func endpoints() throws {
        #expect(try WebIdentityCredentials.stsEndpoint(environment: [:], region: "eu-west-1").description == "https://sts.eu-west-1.amazonaws.com")
        #expect(try WebIdentityCredentials.stsEndpoint(environment: [:], region: "cn-north-1").description == "https://sts.cn-north-1.amazonaws.com.cn")
        #expect(try WebIdentityCredentials.stsEndpoint(environment: [:], region: nil).description == "https://sts.amazonaws.com")
        let both = ["AWS_ENDPOINT_URL_STS": "http://127.0.0.1:4566", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"]
        #expect(try WebIdentityCredentials.stsEndpoint(environment: both, region: "eu-west-1").description == "http://127.0.0.1:4566")
        #expect(try WebIdentityCredentials.stsEndpoint(environment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:9"], region: nil).description
                    == "http://127.0.0.1:9")
        let ignored = both.merging(["AWS_IGNORE_CONFIGURED_ENDPOINT_URLS": "true"]) { $1 }
        #expect(try WebIdentityCredentials.stsEndpoint(environment: ignored, region: "us-east-2").description == "https://sts.us-east-2.amazonaws.com")
        #expect(throws: AWSAccessError.self) { try WebIdentityCredentials.stsEndpoint(environment: ["AWS_ENDPOINT_URL_STS": "sts.local"], region: nil) }
    }
}

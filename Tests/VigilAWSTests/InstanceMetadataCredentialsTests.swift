import Foundation
import Testing
import VigilTestSupport
@testable import VigilAWS

/// EC2 instance metadata (IMDSv2) played by a local HTTP server on 127.0.0.1.
@Suite("Instance metadata credentials")
struct InstanceMetadataCredentialsTests {
    /// A chain that can only find instance metadata, at `endpoint`.
    static func chain(_ endpoint: String, _ extra: [String: String] = [:]) throws -> CredentialChain {
        CredentialChain(environment: ["AWS_EC2_METADATA_SERVICE_ENDPOINT": endpoint].merging(extra) { $1 },
                        homeDirectory: try CredentialChainTests.home())
    }

    @Test("IMDSv2: a token from PUT, then the role's name and its credentials with the token; GETs without it are refused")
    func imdsV2() throws {
        let token = "imds-token-\(UUID().uuidString)"
        let json = CredentialEndpointHandlers.credentialsJSON(key: "ASIAIMDSV2", secret: "imds-secret", token: "imds-session",
                                                             expiration: "2026-11-23T21:30:00Z")
        let server = try FaultInjectingServer(respond: CredentialEndpointHandlers.instanceMetadata(token: token, json: json))
        defer { server.stop() }

        // The server plays IMDSv2 strictly: a GET without the session token is refused.
        let anonymous = try URLSessionTransport().send(
            AWSRequest(method: "GET", scheme: "http", host: "127.0.0.1:\(server.port)",
                       path: "/latest/meta-data/iam/security-credentials/"), timeout: 5)
        #expect(anonymous.status == 401)

        let credentials = try Self.chain(server.endpoint).credentials()
        #expect(credentials.accessKeyID == "ASIAIMDSV2")
        #expect(credentials.secretAccessKey == "imds-secret")
        #expect(credentials.sessionToken == "imds-session")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_795_469_400))
        #expect(credentials.source == "instance metadata (role vigil-instance-role at 127.0.0.1:\(server.port))")

        let requests = Array(server.requests.dropFirst())  // the anonymous GET above
        #expect(requests.map { "\($0.method) \($0.path)" } == [
            "PUT /latest/api/token",
            "GET /latest/meta-data/iam/security-credentials/",
            "GET /latest/meta-data/iam/security-credentials/vigil-instance-role",
        ])
        #expect(requests.first?.headers["x-aws-ec2-metadata-token-ttl-seconds"] == "21600")
        #expect(requests.dropFirst().allSatisfy { $0.headers["x-aws-ec2-metadata-token"] == token })
        #expect(!credentials.description.contains("imds-secret") && !credentials.description.contains("imds-session"))
    }

    @Test("where the token PUT is not offered (403), IMDSv1 is used as botocore does, unless it is disabled")
    func imdsV1Fallback() throws {
        let server = try FaultInjectingServer(respond: CredentialEndpointHandlers.instanceMetadata(tokenStatus: 403, allowsIMDSv1: true))
        defer { server.stop() }
        let credentials = try Self.chain(server.endpoint).credentials()
        #expect(credentials.accessKeyID == "ASIAIMDS")
        #expect(server.requests.dropFirst().allSatisfy { $0.headers["x-aws-ec2-metadata-token"] == nil })

        let chain = try Self.chain(server.endpoint, ["AWS_EC2_METADATA_V1_DISABLED": "true"])
        do {
            _ = try chain.credentials()
            Issue.record("IMDSv1 was used though disabled")
        } catch {
            #expect(error.message.contains("instance metadata: no IMDSv2 token (PUT /latest/api/token answered HTTP 403) and IMDSv1 is disabled"),
                    "\(error.message)")
        }
    }

    @Test("an instance without a role: the error says so")
    func noRole() throws {
        let server = try FaultInjectingServer(respond: CredentialEndpointHandlers.instanceMetadata(role: nil))
        defer { server.stop() }
        let chain = try Self.chain(server.endpoint)
        do {
            _ = try chain.credentials()
            Issue.record("credentials without a role")
        } catch {
            #expect(error.kind == .noCredentials)
            #expect(error.message.contains("instance metadata: no IAM role is attached to this instance"), "\(error.message)")
        }
    }

    @Test("AWS_EC2_METADATA_DISABLED=true: instance metadata is not asked at all")
    func disabled() throws {
        let server = try FaultInjectingServer(respond: CredentialEndpointHandlers.instanceMetadata())
        defer { server.stop() }
        let chain = try Self.chain(server.endpoint, ["AWS_EC2_METADATA_DISABLED": "TRUE"])
        do {
            _ = try chain.credentials()
            Issue.record("instance metadata was asked though disabled")
        } catch {
            #expect(error.message.contains("instance metadata: disabled by AWS_EC2_METADATA_DISABLED"), "\(error.message)")
        }
        #expect(server.requests.isEmpty)
    }

    @Test("nothing answering: the chain fails fast (under 3 s), saying where it waited and for how long")
    func unreachable() throws {
        // A server that reads each request and never answers, as 169.254.169.254 off EC2.
        let silent = try FaultInjectingServer { _ in .hang(seconds: 10) }
        defer { silent.stop() }
        let started = Date()
        let chain = try Self.chain(silent.endpoint)
        do {
            _ = try chain.credentials()
            Issue.record("credentials from a silent server")
        } catch {
            #expect(error.kind == .noCredentials)
            #expect(error.message.contains("instance metadata: no answer from 127.0.0.1:\(silent.port) within 1 s"), "\(error.message)")
        }
        let waited = Date().timeIntervalSince(started)
        #expect(waited < 3, "waited \(waited) s")

        // Nothing listening at all: refused at once.
        let closed = try UInt16(MotoServer.freePort())
        let refusedStart = Date()
        let closedChain = try Self.chain("http://127.0.0.1:\(closed)")
        do {
            _ = try closedChain.credentials()
            Issue.record("credentials from a closed port")
        } catch {
            #expect(error.message.contains("instance metadata: 127.0.0.1:\(closed) refused the connection"), "\(error.message)")
        }
        #expect(Date().timeIntervalSince(refusedStart) < 3)
    }

    @Test("a malformed endpoint is a configuration error")
    func badEndpoint() throws {
        #expect(throws: AWSAccessError.self) { try Self.chain("169.254.169.254").credentials() }
    }
}

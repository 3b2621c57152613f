import Foundation
import Testing
import VigilTestSupport
@testable import VigilAWS

/// The ECS/EKS container credentials endpoint, played by a local HTTP server on 127.0.0.1.
@Suite("Container endpoint credentials")
struct ContainerCredentialsTests {
    static func chain(_ environment: [String: String]) throws -> CredentialChain {
        CredentialChain(environment: CredentialChainTests.offEC2.merging(environment) { $1 },
                        homeDirectory: try CredentialChainTests.home())
    }

    @Test("AWS_CONTAINER_CREDENTIALS_FULL_URI with AWS_CONTAINER_AUTHORIZATION_TOKEN in the Authorization header")
    func fullURIWithToken() throws {
        let json = CredentialEndpointHandlers.credentialsJSON(key: "ASIATASK", secret: "task-secret", token: "task-session",
                                                             expiration: "2026-11-23T21:30:00.5Z")
        let server = try FaultInjectingServer(respond: CredentialEndpointHandlers.container(authorization: "Bearer pod-token", json: json))
        defer { server.stop() }
        let credentials = try Self.chain(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + "/v1/credentials",
                                          "AWS_CONTAINER_AUTHORIZATION_TOKEN": "Bearer pod-token"]).credentials()
        #expect(credentials.accessKeyID == "ASIATASK" && credentials.secretAccessKey == "task-secret")
        #expect(credentials.sessionToken == "task-session")
        #expect(credentials.expiration == Date(timeIntervalSince1970: 1_795_469_400.5))
        #expect(credentials.source == "container endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI at 127.0.0.1:\(server.port))")
        #expect(server.requests.count == 1)
        #expect(server.requests.first?.headers["authorization"] == "Bearer pod-token")
    }

    @Test("the token file (EKS Pod Identity) is read at each call and wins over the token variable")
    func tokenFile() throws {
        let home = try CredentialChainTests.home()
        let file = home + "/eks-pod-identity-token"
        try "first-token\n".write(toFile: file, atomically: true, encoding: .utf8)
        let current = SharedValue("first-token")
        let server = try FaultInjectingServer { request in
            let expected = current.value
            return CredentialEndpointHandlers.container(authorization: expected)(request)
        }
        defer { server.stop() }
        let chain = CredentialChain(environment: CredentialChainTests.offEC2.merging([
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + "/v1/credentials?role=reader",
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE": file,
            "AWS_CONTAINER_AUTHORIZATION_TOKEN": "not-this-one",
        ]) { $1 }, homeDirectory: home)
        #expect(try chain.credentials().accessKeyID == "ASIACONTAINER")
        // Rotated: the next call sends the new token.
        try "second-token".write(toFile: file, atomically: true, encoding: .utf8)
        current.value = "second-token"
        #expect(try chain.credentials().accessKeyID == "ASIACONTAINER")
        #expect(server.requests.map { $0.headers["authorization"] } == ["first-token", "second-token"])
        #expect(server.requests.first?.path == "/v1/credentials?role=reader")
    }

    @Test("a refused token is an error naming the endpoint and the status, never the token; the chain stops there")
    func refused() throws {
        let server = try FaultInjectingServer(respond: CredentialEndpointHandlers.container(authorization: "right-token"))
        defer { server.stop() }
        let chain = try Self.chain(["AWS_CONTAINER_CREDENTIALS_FULL_URI": server.endpoint + "/v1/credentials",
                                    "AWS_CONTAINER_AUTHORIZATION_TOKEN": "wrong-token-value"])
        do {
            _ = try chain.credentials()
            Issue.record("a wrong token was accepted")
        } catch {
            #expect(error.message.contains("container endpoint (AWS_CONTAINER_CREDENTIALS_FULL_URI at 127.0.0.1:\(server.port)): answered HTTP 401"),
                    "\(error.message)")
            #expect(error.message.contains("Looked at before it: environment: AWS_ACCESS_KEY_ID is not set"))
            #expect(!error.message.contains("wrong-token-value") && !error.message.contains("right-token"))
            #expect(!error.message.contains("instance metadata"), "the chain went past a configured container endpoint")
        }
        #expect(server.requests.count == 1, "a 401 is not retried")
    }

    @Test("a full URI over http to a host that is neither loopback nor an AWS agent is refused before any request")
    func nonLoopbackRefused() throws {
        for url in ["http://10.0.0.7/creds", "http://169.254.169.254/latest", "http://example.com:8080/creds"] {
            let chain = try Self.chain(["AWS_CONTAINER_CREDENTIALS_FULL_URI": url])
            do {
                _ = try chain.credentials()
                Issue.record("\(url) was accepted")
            } catch {
                #expect(error.kind == .badConfiguration)
                let host = URLComponents(string: url)!.host!
                #expect(error.message.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI points at \(host) over plain http, which is refused"),
                        "\(error.message)")
                #expect(error.message.contains("169.254.170.2, 169.254.170.23, fd00:ec2::23"))
            }
        }
        // Allowed without asking them (nothing here is contacted): the agents, loopback, https anywhere.
        for url in ["http://169.254.170.2/v2/credentials/x", "http://169.254.170.23/v1/credentials", "http://[fd00:ec2::23]/v1/credentials",
                    "http://127.0.0.2:9/x", "http://[::1]:9/x", "http://localhost:9/x", "https://creds.example.com/x"] {
            #expect(throws: Never.self, "\(url)") {
                _ = try ContainerCredentials.configured(environment: ["AWS_CONTAINER_CREDENTIALS_FULL_URI": url])
            }
        }
        #expect(ContainerCredentials.isLoopback("127.255.0.1") && ContainerCredentials.isLoopback("::1"))
        #expect(!ContainerCredentials.isLoopback("128.0.0.1") && !ContainerCredentials.isLoopback("localhost.evil.com"))
    }

    @Test("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI is a path on 169.254.170.2 and wins over the full URI")
    func relativeURI() throws {
        let configured = try #require(try ContainerCredentials.configured(environment: [
            "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "/v2/credentials/5e3b-task",
            "AWS_CONTAINER_CREDENTIALS_FULL_URI": "http://127.0.0.1:9/ignored",
        ]))
        #expect(configured.request.url == "http://169.254.170.2/v2/credentials/5e3b-task")
        #expect(configured.place == "container endpoint (AWS_CONTAINER_CREDENTIALS_RELATIVE_URI at 169.254.170.2)")
    }
}

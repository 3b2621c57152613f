import Foundation
import VigilTestSupport

/// What `FaultInjectingServer` answers when it plays EC2 instance metadata or a container
/// credentials endpoint, as AWS documents them.
enum CredentialEndpointHandlers {
    /// The JSON both endpoints answer with (instance metadata's fields included: the container
    /// endpoint's reader must ignore them).
    static func credentialsJSON(key: String, secret: String = "secret-\(UUID().uuidString)", token: String = "session-token",
                                expiration: String = "2099-01-01T00:00:00Z") -> String {
        #"{"Code": "Success", "LastUpdated": "2026-11-23T19:00:00Z", "Type": "AWS-HMAC", "AccessKeyId": "\#(key)", "SecretAccessKey": "\#(secret)", "Token": "\#(token)", "Expiration": "\#(expiration)"}"#
    }

    /// Instance metadata with IMDSv2: `PUT /latest/api/token` with a TTL header gives `token` (or
    /// answers `tokenStatus` instead); GETs without the token are refused with 401 unless
    /// `allowsIMDSv1`; the role list names `role` (404 when nil), and the role's path answers `json`.
    static func instanceMetadata(token: String = "imds-token-\(UUID().uuidString)", role: String? = "vigil-instance-role",
                                 json: String = credentialsJSON(key: "ASIAIMDS"), tokenStatus: Int = 200,
                                 allowsIMDSv1: Bool = false) -> @Sendable (RecordedRequest) -> ServerResponse {
        return { request in
            let credentialsPath = "/latest/meta-data/iam/security-credentials/"
            switch (request.method, request.path) {
            case ("PUT", "/latest/api/token"):
                guard tokenStatus == 200 else { return .status(tokenStatus) }
                guard let ttl = request.headers["x-aws-ec2-metadata-token-ttl-seconds"], Int(ttl) != nil else {
                    return .status(400, body: "missing x-aws-ec2-metadata-token-ttl-seconds")
                }
                return .status(200, headers: ["x-aws-ec2-metadata-token-ttl-seconds": ttl], body: token)
            case ("GET", let path) where path.hasPrefix("/latest/"):
                let presented = request.headers["x-aws-ec2-metadata-token"]
                if presented != token && !(allowsIMDSv1 && presented == nil) { return .status(401) }
                if path == credentialsPath {
                    return role.map { .status(200, body: $0) } ?? .status(404)
                }
                if let role, path == credentialsPath + role {
                    return .status(200, headers: ["Content-Type": "text/plain"], body: json)
                }
                return .status(404)
            default:
                return .status(405)
            }
        }
    }

    /// A container credentials endpoint at `path` that wants `authorization` in the Authorization
    /// header (401 otherwise, with a body that names the problem and not the token).
    static func container(path: String = "/v1/credentials", authorization: String?,
                          json: String = credentialsJSON(key: "ASIACONTAINER"))
        -> @Sendable (RecordedRequest) -> ServerResponse {
        return { request in
            guard request.method == "GET", request.path == path || request.path.hasPrefix(path + "?") else { return .status(404) }
            if let authorization, request.headers["authorization"] != authorization {
                return .status(401, body: #"{"Message": "the authorization token is not valid"}"#)
            }
            return .status(200, headers: ["Content-Type": "application/json"], body: json)
        }
    }
}

import Foundation

/// The JSON document the ECS/EKS container endpoint and EC2 instance metadata answer with:
/// `{"AccessKeyId", "SecretAccessKey", "Token", "Expiration"}` (instance metadata adds `"Code"`,
/// `"Type"` and `"LastUpdated"`).
enum CredentialsJSON {
    /// The credentials in `body`, or why there are none (a sentence without any of the values).
    static func parse(_ body: [UInt8], source: String) -> Result<AWSCredentials, CredentialsJSONError> {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else {
            return .failure(CredentialsJSONError("the answer is not a JSON object"))
        }
        if let code = object["Code"] as? String, code != "Success" {
            return .failure(CredentialsJSONError("the answer's Code is \(code), not Success"))
        }
        guard let key = object["AccessKeyId"] as? String, !key.isEmpty,
              let secret = object["SecretAccessKey"] as? String, !secret.isEmpty else {
            return .failure(CredentialsJSONError("the answer has no AccessKeyId and SecretAccessKey"))
        }
        let token = (object["Token"] as? String).flatMap { $0.isEmpty ? nil : $0 }
        var expiration: Date?
        if let text = object["Expiration"] as? String {
            guard let date = CredentialTimestamp.parse(text) else {
                return .failure(CredentialsJSONError("the answer's Expiration \"\(text.prefix(40))\" is not an ISO 8601 time"))
            }
            expiration = date
        }
        return .success(AWSCredentials(accessKeyID: key, secretAccessKey: secret, sessionToken: token,
                                       expiration: expiration, source: source))
    }
}

/// Why a credentials document could not be read.
struct CredentialsJSONError: Error {
    let reason: String

    init(_ reason: String) {
        self.reason = reason
    }
}

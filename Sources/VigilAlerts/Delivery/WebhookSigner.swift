import Crypto
import Foundation

/// Signs requests as Standard Webhooks (https://www.standardwebhooks.com/) specifies, so that a
/// receiver can check them with any of that specification's libraries:
///
/// * `webhook-id`: the alert id, the same on every attempt, so receivers can drop repeats;
/// * `webhook-timestamp`: when this attempt was signed, in Unix seconds;
/// * `webhook-signature`: `v1,` + base64(HMAC-SHA256(key, "{id}.{timestamp}.{body}")).
///
/// A secret `whsec_<base64>` is decoded to the key; any other secret is used as its UTF-8 bytes.
/// The key is never printed: the signer describes itself as redacted, so logging a configuration
/// or dumping a sink cannot leak it.
public struct WebhookSigner: Sendable {
    private let key: SymmetricKey

    /// A signer for `secret`; throws when a `whsec_` secret is not base64 or is empty.
    /// `origin` names where the secret came from in error messages (never the secret itself).
    public init(secret: String, origin: String = "the signing secret") throws(WebhookConfigurationError) {
        if secret.hasPrefix("whsec_") {
            guard let decoded = Data(base64Encoded: String(secret.dropFirst(6))), !decoded.isEmpty else {
                throw WebhookConfigurationError("\(origin) starts with whsec_ but the rest is not base64.")
            }
            key = SymmetricKey(data: decoded)
        } else {
            guard !secret.isEmpty else { throw WebhookConfigurationError("\(origin) is empty.") }
            key = SymmetricKey(data: Data(secret.utf8))
        }
    }

    /// The signer for the secret in environment variable `variable`, read now.
    public static func fromEnvironment(
        variable: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws(WebhookConfigurationError) -> WebhookSigner {
        guard let secret = environment[variable] else {
            throw WebhookConfigurationError(
                "The environment variable \(variable), named as the webhook signing secret, is not set.")
        }
        return try WebhookSigner(secret: secret, origin: "The signing secret in environment variable \(variable)")
    }

    /// The `webhook-signature` value for one attempt.
    public func signature(id: String, timestamp: Int64, body: [UInt8]) -> String {
        var signed: [UInt8] = []
        signed.reserveCapacity(id.utf8.count + 24 + body.count)
        signed.append(contentsOf: id.utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: String(timestamp).utf8)
        signed.append(UInt8(ascii: "."))
        signed.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: signed, using: key)
        return "v1," + Data(code).base64EncodedString()
    }

    /// The three Standard Webhooks headers for one attempt.
    public func headers(id: String, timestamp: Int64, body: [UInt8]) -> [(name: String, value: String)] {
        [("webhook-id", id),
         ("webhook-timestamp", String(timestamp)),
         ("webhook-signature", signature(id: id, timestamp: timestamp, body: body))]
    }
}

extension WebhookSigner: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var description: String { "WebhookSigner(key: redacted)" }
    public var debugDescription: String { description }
    public var customMirror: Mirror { Mirror(self, children: ["key": "redacted"]) }
}

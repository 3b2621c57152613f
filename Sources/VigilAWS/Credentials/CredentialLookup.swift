import Foundation

/// What one place in the credential chain gave: credentials, or the reason it had none, which the
/// chain's error message repeats so that a user sees every place looked at and why each failed.
///
/// A place that is configured but fails (a web identity STS refuses, a container endpoint that is
/// not allowed) throws instead: the chain stops there, as the AWS CLI does, rather than go on to
/// another identity the user did not ask for.
enum CredentialLookup: Sendable {
    case found(AWSCredentials)
    /// Nothing here; the sentence says why ("AWS_ACCESS_KEY_ID is not set").
    case absent(String)
}

extension AWSTransportError {
    /// A clause for a credentials message: "no answer from 169.254.169.254 within 1 s", "127.0.0.1:9
    /// refused the connection".
    func clause(host: String, timeout: Double) -> String {
        switch kind {
        case .timedOut:
            return "no answer from \(host) within \(Self.seconds(timeout)) s"
        case .connectionFailed, .cancelled:
            guard let first = message.first else { return "the request to \(host) failed" }
            return first.lowercased() + message.dropFirst()
        }
    }

    /// `1`, `0.5`: seconds as a person writes them.
    static func seconds(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(format: "%g", value)
    }
}

/// A webhook sink that cannot be set up as configured: a refused URL, an out-of-range setting, a
/// missing or malformed signing secret.
///
/// Descriptions name settings, header names and environment variable names, never a header
/// value or a secret.
public struct WebhookConfigurationError: Error, Sendable, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}

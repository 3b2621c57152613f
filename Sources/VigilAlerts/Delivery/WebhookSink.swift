import Foundation

extension SpooledSink {
    /// A webhook sink: POSTs each alert's body, signed as Standard Webhooks specifies when
    /// `configuration` names a secret (read from `environment` now), with the retries,
    /// concurrency and retention `configuration` sets.
    ///
    /// Redirects are not followed, and a timeout, connection error, 429 or 5xx is retried while
    /// any other answer is dead-lettered at once (`RetryPolicy`).
    public convenience init(name: String, configuration: WebhookConfiguration, state: StateDatabase,
                            environment: [String: String] = ProcessInfo.processInfo.environment) throws(SinkError) {
        let signer: WebhookSigner?
        do {
            signer = try configuration.secretEnvironmentVariable.map { variable throws(WebhookConfigurationError) in
                try WebhookSigner.fromEnvironment(variable: variable, environment: environment)
            }
        } catch {
            throw SinkError(sink: name, reason: error.description)
        }
        try self.init(name: name, transport: WebhookClient(configuration: configuration, signer: signer),
                      policy: configuration.retryPolicy, concurrency: configuration.concurrency,
                      deliveredRetention: configuration.deliveredRetention, state: state,
                      spooling: { PendingDelivery(sink: name, alert: $0) })
    }
}

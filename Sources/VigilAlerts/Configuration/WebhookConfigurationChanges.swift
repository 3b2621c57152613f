import Foundation

extension WebhookConfiguration {
    /// A copy with some settings changed, checked again as a new configuration is. Used where a
    /// setting comes from somewhere else than the rest: a header from the environment, a
    /// maximum event age from `vigil dlq redrive`'s command line.
    public func changing(
        secretEnvironmentVariable: String?? = nil,
        maximumEventAge: TimeInterval? = nil,
        headers: [String: String]? = nil
    ) throws(WebhookConfigurationError) -> WebhookConfiguration {
        try WebhookConfiguration(
            url: url.absoluteString,
            secretEnvironmentVariable: secretEnvironmentVariable ?? self.secretEnvironmentVariable,
            timeout: timeout,
            maximumRetryAttempts: maximumRetryAttempts,
            maximumEventAge: maximumEventAge ?? self.maximumEventAge,
            firstRetryDelay: firstRetryDelay,
            maximumRetryDelay: maximumRetryDelay,
            concurrency: concurrency,
            headers: headers ?? self.headers,
            deliveredRetention: deliveredRetention)
    }
}

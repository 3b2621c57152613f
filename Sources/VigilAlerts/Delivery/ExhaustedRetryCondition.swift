/// Why retrying stopped, named as EventBridge names it in a dead-letter message's
/// `EXHAUSTED_RETRY_CONDITION` attribute.
public enum ExhaustedRetryCondition: String, Sendable, Equatable, CaseIterable {
    /// Every allowed retry was made.
    case maximumRetryAttempts = "MaximumRetryAttempts"
    /// The next retry would come after the alert's maximum age.
    case maximumEventAge = "MaximumEventAgeInSeconds"
}

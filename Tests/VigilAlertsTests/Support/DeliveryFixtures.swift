import Foundation
import VigilAlerts

/// Alerts and settings shared by the delivery tests.
enum DeliveryFixtures {
    /// Alert number `index`: a 32-hex-digit id and a small JSON body that names it.
    static func alert(_ index: Int, rule: String = "test-rule") -> Alert {
        let id = String(repeating: "0", count: 32 - String(index, radix: 16).count) + String(index, radix: 16)
        let line = Array(#"{"id":"\#(id)","rule":"\#(rule)","severity":"high","record":\#(index)}"#.utf8) + [0x0A]
        return Alert(id: id, rule: rule, severity: .high, line: line)
    }

    /// Delays of milliseconds, so a test of many retries takes a moment, not minutes.
    static func configuration(
        url: String, timeout: Double = 1, maximumRetryAttempts: Int = 185, maximumEventAge: Double = 3_600,
        concurrency: Int = 4, secretVariable: String? = nil
    ) throws -> WebhookConfiguration {
        try WebhookConfiguration(url: url, secretEnvironmentVariable: secretVariable, timeout: timeout,
                                 maximumRetryAttempts: maximumRetryAttempts, maximumEventAge: maximumEventAge,
                                 firstRetryDelay: 0.005, maximumRetryDelay: 0.02, concurrency: concurrency)
    }
}

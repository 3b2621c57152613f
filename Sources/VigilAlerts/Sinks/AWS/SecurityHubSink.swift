import Foundation
import VigilAWS

/// `securityhub` or `securityhub:REGION`: alerts imported into Security Hub as ASFF findings
/// (`BatchImportFindings`, up to 100 a call), each finding's `Id` the alert id so that a repeat
/// updates its finding rather than adding one (`SecurityHubFinding`). The findings belong to the
/// account of the credentials (asked of STS once), as Security Hub requires for the default
/// product. Findings Security Hub refuses are named in its answer: only those are retried, or
/// dead-lettered when retrying cannot mend them.
///
/// The spool holds the alert itself, not the finding: the finding is made when it is sent, with
/// that time as `UpdatedAt`, and a dead letter shows the alert.
public struct SecurityHubSinkKind: AWSSinkKind {
    public static let scheme = "securityhub"
    public static let syntax = "securityhub[:REGION]"
    public static let service = (identifier: "SecurityHub", signingName: "securityhub")

    public let region: String?

    public init(target: String?) throws(AWSSinkSpecificationError) {
        guard let target else {
            region = nil
            return
        }
        // Region names: lower-case letters, digits and dashes, as us-east-1 or us-gov-west-1.
        guard target.contains("-"), target.utf8.allSatisfy({ (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") })
        else {
            throw AWSSinkSpecificationError("securityhub: takes a region, as in securityhub:eu-west-1, or nothing (the default region).")
        }
        region = target
    }

    public func spooled(_ alert: Alert, sink: String) -> PendingDelivery {
        let line = alert.line.last == 0x0A ? Array(alert.line.dropLast()) : alert.line
        return PendingDelivery(sink: sink, alert: alert, body: line, contentType: "application/json")
    }

    public func transport(_ context: AWSSinkContext) -> any DeliveryTransport {
        SecurityHubTransport(client: SecurityHubClient(client: context.client, endpoint: context.endpoint),
                             region: context.region, timeout: context.client.timeout,
                             account: { (region, timeout) throws(AWSServiceError) -> String in
                                 try context.access.account(region: region, timeout: timeout, override: nil)
                             })
    }
}

/// Imports a batch of alerts as findings in one call and reads which were refused.
struct SecurityHubTransport: DeliveryTransport {
    let client: SecurityHubClient
    let region: String
    let timeout: TimeInterval
    /// The account of the credentials.
    let account: @Sendable (String, TimeInterval) throws(AWSServiceError) -> String

    var batchLimit: DeliveryBatchLimit {
        // The alert is spooled; its finding is smaller than the event it holds, so the alerts'
        // size bounds the request's.
        DeliveryBatchLimit(count: SecurityHubClient.maximumFindings, bytes: SecurityHubClient.maximumRequestBytes)
    }

    func deliver(_ batch: [SpooledDelivery], now: Date) -> [DeliveryOutcome] {
        let owner: String
        do throws(AWSServiceError) {
            owner = try account(region, timeout)
        } catch {
            return Array(repeating: DeliveryOutcome(error), count: batch.count)
        }
        var outcomes = [DeliveryOutcome?](repeating: nil, count: batch.count)
        var sent: [(index: Int, id: String)] = []
        var findings: [[UInt8]] = []
        for (index, delivery) in batch.enumerated() {
            guard let finding = SecurityHubFinding.make(alert: delivery.body, account: owner, region: region, now: now) else {
                outcomes[index] = .serviceError(code: "NOT_AN_ALERT", retryable: false,
                                                message: "The spooled body is not an alert line; no finding can be made of it.")
                continue
            }
            guard finding.count <= SecurityHubClient.maximumFindingBytes else {
                outcomes[index] = .tooLarge(size: finding.count, limit: SecurityHubClient.maximumFindingBytes, what: "a finding")
                continue
            }
            sent.append((index, delivery.alertID))
            findings.append(finding)
        }
        if !findings.isEmpty {
            do throws(AWSServiceError) {
                let failed = try client.batchImportFindings(findings)
                let failures = Dictionary(failed.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
                for (index, id) in sent {
                    if let failure = failures[id] {
                        outcomes[index] = .serviceError(
                            code: failure.code, retryable: AWSServiceError.isRetryable(entryErrorCode: failure.code),
                            message: "BatchImportFindings: Security Hub refused the finding: \(failure.message)")
                    } else {
                        outcomes[index] = .awsAccepted
                    }
                }
            } catch {
                for (index, _) in sent { outcomes[index] = DeliveryOutcome(error) }
            }
        }
        return outcomes.map { $0! }
    }

    func invalidate() {}
}

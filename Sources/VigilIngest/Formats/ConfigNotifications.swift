import VigilJSON

/// The `messageType` of AWS Config's SNS notifications, and what Vigil does with each.
///
/// Config publishes to its topic (and so to SQS, email, or a file someone saved) a notification per
/// configuration item change, a shorter one when the item is too large for SNS, one per compliance
/// change, and notices about its deliveries to S3. The first three become events; a delivery notice
/// names a file that holds the items, so it is skipped and counted, not reported.
enum ConfigMessageType: Equatable {
    /// `ConfigurationItemChangeNotification`: the item, and Config's own diff.
    case itemChange
    /// `OversizedConfigurationItemChangeNotification`: the item was too large for SNS; the
    /// notification carries its summary (`configurationItemSummary`) and where the whole item
    /// was written in S3 (`s3DeliverySummary.s3BucketLocation`).
    case oversizedItemChange
    /// `ComplianceChangeNotification`: a Config rule's evaluation of a resource changed.
    case complianceChange
    /// A delivery started, completed or failed; an evaluation started.
    case deliveryNotice

    /// The type of the `messageType` string value at `range` of `object`; nil when it is no
    /// message type of Config's (a CloudWatch Logs payload's `DATA_MESSAGE`, say).
    init?(_ object: UnsafeRawBufferPointer, _ range: Range<Int>) {
        guard let (contents, isEscaped) = JSONMembers.stringContents(of: range, in: object), !isEscaped else { return nil }
        let text = UnsafeRawBufferPointer(rebasing: object[contents])
        if JSONBytes.equals(text, "ConfigurationItemChangeNotification") {
            self = .itemChange
        } else if JSONBytes.equals(text, "OversizedConfigurationItemChangeNotification") {
            self = .oversizedItemChange
        } else if JSONBytes.equals(text, "ComplianceChangeNotification") {
            self = .complianceChange
        } else if Self.deliveryNotices.contains(where: { JSONBytes.equals(text, $0) }) {
            self = .deliveryNotice
        } else {
            return nil
        }
    }

    /// The notices Config's developer guide documents (notifications-for-AWS-Config).
    private static let deliveryNotices: [StaticString] = [
        "ConfigurationHistoryDeliveryCompleted", "ConfigurationHistoryDeliveryFailed",
        "ConfigurationSnapshotDeliveryStarted", "ConfigurationSnapshotDeliveryCompleted",
        "ConfigurationSnapshotDeliveryFailed", "OversizedConfigurationItemChangeDeliveryFailed",
        "ConfigRulesEvaluationStarted", "ComplianceChangeNotificationDeliveryFailed",
    ]
}

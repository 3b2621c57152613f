import VigilJSON

/// Decides what a JSON object found in a log is, from its top-level keys.
///
/// Files are recognized by content, not by name (ARCHITECTURE.md): a JSON Lines file or a bare array may
/// hold CloudTrail records, GuardDuty or Security Hub findings, EventBridge events, or wrappers around them (a
/// `lookup-events` entry, a CloudWatch Logs subscription payload), and each object is looked at
/// on its own.
enum RecordClassifier {
    enum Classification {
        case cloudTrail
        case guardDutyFinding
        case securityHubFinding
        case eventBridgeEvent
        case cloudTrailDigest
        /// An AWS Config configuration item, or one of Config's notifications that carry one (or a
        /// compliance change): normalized as EventBridge delivers Config's events.
        case config
        /// A Config notification about a delivery (history or snapshot delivered, a delivery failed).
        case configDeliveryNotice
        /// An SNS notification (`"Type":"Notification"`): the range of its `Message` value, JSON
        /// text (as SNS delivers it) or an object (as AWS's documentation prints it).
        case snsNotification(message: Range<Int>)
        /// An object holding an array of records (a `RecordContainer`) held in memory: the array's range.
        case container(elements: Range<Int>)
        /// A `lookup-events` entry: the range of the `CloudTrailEvent` string value.
        case lookupEventsEntry(cloudTrailEvent: Range<Int>)
        /// `{"awslogs":{"data":"…"}}`: the range of the `awslogs` object.
        case cloudWatchLogsWrapper(awslogs: Range<Int>)
        /// A decoded CloudWatch Logs subscription payload (`messageType`, `logEvents`, …).
        case cloudWatchLogsPayload
        case unknown
    }

    /// Classifies a well-formed JSON object.
    static func classify(_ object: UnsafeRawBufferPointer) -> Classification {
        var keys = KeysSeen()
        var container: Range<Int>?
        var cloudTrailEvent: Range<Int>?
        var awslogs: Range<Int>?
        var messageType: Range<Int>?
        var snsMessage: Range<Int>?
        do {
            try JSONMembers.forEach(in: object) { key, _, value in
                let first = object[value.lowerBound]
                switch key.count {
                case 4 where JSONBytes.equals(key, "type"): keys.type = true
                case 4 where JSONBytes.equals(key, "Type"): keys.snsType = first == UInt8(ascii: "\"")
                case 7 where JSONBytes.equals(key, "Message"):
                    if first == UInt8(ascii: "\"") || first == UInt8(ascii: "{") { snsMessage = value }
                case 8 where JSONBytes.equals(key, "TopicArn"): keys.topicArn = true
                case 12 where JSONBytes.equals(key, "resourceType"): keys.resourceType = true
                case 28 where JSONBytes.equals(key, "configurationItemCaptureTime"): keys.captureTime = true
                case 6 where JSONBytes.equals(key, "source"): keys.source = true
                case 6 where JSONBytes.equals(key, "detail"): keys.detail = true
                case 7 where JSONBytes.equals(key, "service"): keys.service = true
                case 7 where JSONBytes.equals(key, "awslogs"):
                    if first == UInt8(ascii: "{") { awslogs = value }
                case 7 where JSONBytes.equals(key, "eventID"): keys.eventID = true
                case 8 where JSONBytes.equals(key, "resource"): keys.resource = true
                case 9 where JSONBytes.equals(key, "eventTime"): keys.eventTime = true
                case 9 where JSONBytes.equals(key, "eventType"): keys.eventType = true
                case 9 where JSONBytes.equals(key, "accountId"): keys.accountID = true
                case 9 where JSONBytes.equals(key, "logEvents"): keys.logEvents = first == UInt8(ascii: "[")
                case 10 where JSONBytes.equals(key, "ProductArn"): keys.productARN = true
                case 11 where JSONBytes.equals(key, "detail-type"): keys.detailType = true
                case 11 where JSONBytes.equals(key, "eventSource"): keys.eventSource = true
                case 11 where JSONBytes.equals(key, "messageType"):
                    keys.messageType = true
                    if first == UInt8(ascii: "\"") { messageType = value }
                case 12 where JSONBytes.equals(key, "eventVersion"): keys.eventVersion = true
                case 13 where JSONBytes.equals(key, "schemaVersion"): keys.schemaVersion = true
                case 13 where JSONBytes.equals(key, "SchemaVersion"): keys.asffSchemaVersion = true
                case 15 where JSONBytes.equals(key, "digestStartTime"): keys.digestStartTime = true
                case 15 where JSONBytes.equals(key, "CloudTrailEvent"):
                    if first == UInt8(ascii: "\"") { cloudTrailEvent = value }
                default:
                    if container == nil, first == UInt8(ascii: "["), RecordContainer(key: key) != nil {
                        container = value
                    }
                }
                return true
            }
        } catch {
            return .unknown
        }
        if keys.detailType && keys.source && keys.detail { return .eventBridgeEvent }
        if keys.eventVersion && keys.eventTime && (keys.eventSource || keys.eventType || keys.eventID) {
            return .cloudTrail
        }
        if keys.schemaVersion && keys.accountID && keys.type && (keys.service || keys.resource) {
            return .guardDutyFinding
        }
        // ASFF's keys are capitalized; GuardDuty's own findings are not (`get-findings` of either
        // service is `{"Findings":[…]}`, so the keys tell them apart).
        if keys.asffSchemaVersion && keys.productARN { return .securityHubFinding }
        if keys.digestStartTime { return .cloudTrailDigest }
        if keys.captureTime && keys.resourceType { return .config }
        if let messageType, let kind = ConfigMessageType(object, messageType) {
            return kind == .deliveryNotice ? .configDeliveryNotice : .config
        }
        if keys.snsType && keys.topicArn, let snsMessage { return .snsNotification(message: snsMessage) }
        if let cloudTrailEvent { return .lookupEventsEntry(cloudTrailEvent: cloudTrailEvent) }
        if let container { return .container(elements: container) }
        if let awslogs { return .cloudWatchLogsWrapper(awslogs: awslogs) }
        if keys.messageType && keys.logEvents { return .cloudWatchLogsPayload }
        return .unknown
    }

    private struct KeysSeen {
        var type = false, source = false, detail = false, service = false, eventID = false
        var resource = false, eventTime = false, eventType = false, accountID = false, logEvents = false
        var detailType = false, eventSource = false, messageType = false, eventVersion = false
        var schemaVersion = false, digestStartTime = false, asffSchemaVersion = false, productARN = false
        var captureTime = false, resourceType = false, snsType = false, topicArn = false
    }
}

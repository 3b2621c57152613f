import VigilPattern

/// Decides what a JSON object found in a log is, from its top-level keys.
///
/// Files are recognized by content, not by name (DESIGN.md): a JSON Lines file or a bare array may
/// hold CloudTrail records, GuardDuty findings, EventBridge events, or wrappers around them (a
/// `lookup-events` entry, a CloudWatch Logs subscription payload), and each object is looked at
/// on its own.
enum RecordClassifier {
    enum Classification: Equatable {
        case cloudTrail
        case guardDutyFinding
        case eventBridgeEvent
        case cloudTrailDigest
        /// `{"Records"|"Events"|"Findings"|"logEvents": [...]}` held in memory: the array's range.
        case container(ContainerKind, elements: Range<Int>)
        /// A `lookup-events` entry: the range of the `CloudTrailEvent` string value.
        case lookupEventsEntry(cloudTrailEvent: Range<Int>)
        /// `{"awslogs":{"data":"…"}}`: the range of the `awslogs` object.
        case cloudWatchLogsWrapper(awslogs: Range<Int>)
        /// A decoded CloudWatch Logs subscription payload (`messageType`, `logEvents`, …).
        case cloudWatchLogsPayload
        case unknown
    }

    /// The arrays whose elements are records, by the key that holds them.
    enum ContainerKind: String {
        /// CloudTrail log files in S3.
        case records = "Records"
        /// `aws cloudtrail lookup-events` output.
        case events = "Events"
        /// `aws guardduty get-findings` output.
        case findings = "Findings"

        init?(key: UnsafeRawBufferPointer) {
            if key.elementsEqual("Records".utf8) { self = .records }
            else if key.elementsEqual("Events".utf8) { self = .events }
            else if key.elementsEqual("Findings".utf8) { self = .findings }
            else { return nil }
        }
    }

    /// Classifies a well-formed JSON object.
    static func classify(_ object: UnsafeRawBufferPointer) -> Classification {
        var keys = KeysSeen()
        var container: (ContainerKind, Range<Int>)?
        var cloudTrailEvent: Range<Int>?
        var awslogs: Range<Int>?
        do {
            try JSONMembers.forEach(in: object) { key, _, value in
                let first = object[value.lowerBound]
                switch key.count {
                case 4 where key.elementsEqual("type".utf8): keys.type = true
                case 6 where key.elementsEqual("source".utf8): keys.source = true
                case 6 where key.elementsEqual("detail".utf8): keys.detail = true
                case 7 where key.elementsEqual("service".utf8): keys.service = true
                case 7 where key.elementsEqual("awslogs".utf8):
                    if first == UInt8(ascii: "{") { awslogs = value }
                case 7 where key.elementsEqual("eventID".utf8): keys.eventID = true
                case 8 where key.elementsEqual("resource".utf8): keys.resource = true
                case 9 where key.elementsEqual("eventTime".utf8): keys.eventTime = true
                case 9 where key.elementsEqual("eventType".utf8): keys.eventType = true
                case 9 where key.elementsEqual("accountId".utf8): keys.accountID = true
                case 9 where key.elementsEqual("logEvents".utf8): keys.logEvents = first == UInt8(ascii: "[")
                case 11 where key.elementsEqual("detail-type".utf8): keys.detailType = true
                case 11 where key.elementsEqual("eventSource".utf8): keys.eventSource = true
                case 11 where key.elementsEqual("messageType".utf8): keys.messageType = true
                case 12 where key.elementsEqual("eventVersion".utf8): keys.eventVersion = true
                case 13 where key.elementsEqual("schemaVersion".utf8): keys.schemaVersion = true
                case 15 where key.elementsEqual("digestStartTime".utf8): keys.digestStartTime = true
                case 15 where key.elementsEqual("CloudTrailEvent".utf8):
                    if first == UInt8(ascii: "\"") { cloudTrailEvent = value }
                default:
                    if container == nil, first == UInt8(ascii: "["), let kind = ContainerKind(key: key) {
                        container = (kind, value)
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
        if keys.digestStartTime { return .cloudTrailDigest }
        if let cloudTrailEvent { return .lookupEventsEntry(cloudTrailEvent: cloudTrailEvent) }
        if let container { return .container(container.0, elements: container.1) }
        if let awslogs { return .cloudWatchLogsWrapper(awslogs: awslogs) }
        if keys.messageType && keys.logEvents { return .cloudWatchLogsPayload }
        return .unknown
    }

    private struct KeysSeen {
        var type = false, source = false, detail = false, service = false, eventID = false
        var resource = false, eventTime = false, eventType = false, accountID = false, logEvents = false
        var detailType = false, eventSource = false, messageType = false, eventVersion = false
        var schemaVersion = false, digestStartTime = false
    }
}

import VigilJSON

/// One record of a log file, as a byte range of the decoded input: the unit readers hand on.
///
/// The bytes are only valid during the `RecordVisitor.visit` call that receives the record; a
/// visitor that keeps anything must copy it.
public struct LogRecord {
    /// What the record is, as the reader recognized it.
    ///
    /// A plain enum, its names given by `name`: with `String` raw values it hashed its name, a
    /// `String`, through `RawRepresentable`'s hashing, once or twice for every record a run counts
    /// by kind (`EventPass`, `EventVolume`): 1.2 % of a flow log replay's instructions.
    public enum Kind: Sendable, Hashable, CaseIterable {
        /// A CloudTrail record (API call, console sign-in, service event, Insights event).
        case cloudTrail
        /// A VPC flow log line; `flowFormat` gives its fields.
        case flowLog
        /// A GuardDuty finding, without an envelope.
        case guardDutyFinding
        /// An event already in the EventBridge envelope (`source`, `detail-type`, `detail`).
        case eventBridgeEvent
        /// An AWS Config configuration item (history or snapshot file, `configservice` output) or
        /// one of Config's SNS notifications (item change, oversized item change, compliance change).
        case config
        /// A line of a database's audit or connection log (MySQL family, PostgreSQL).
        case databaseAudit
        /// A Security Hub finding in the AWS Security Finding Format, without an envelope.
        case securityHubFinding

        /// The kind's name in Vigil's own words: in metrics labels, and in the name an event's
        /// `id` is derived from (so it must never change).
        public var name: String {
            switch self {
            case .cloudTrail: "cloudtrail"
            case .flowLog: "vpcflowlogs"
            case .guardDutyFinding: "guardduty"
            case .eventBridgeEvent: "eventbridge"
            case .config: "config"
            case .databaseAudit: "rds-audit"
            case .securityHubFinding: "securityhub"
            }
        }

        /// The source's name as people know it, for summaries and messages.
        public var label: String {
            switch self {
            case .cloudTrail: "CloudTrail"
            case .flowLog: "VPC Flow Logs"
            case .guardDutyFinding: "GuardDuty"
            case .eventBridgeEvent: "EventBridge"
            case .config: "AWS Config"
            case .databaseAudit: "Database audit"
            case .securityHubFinding: "Security Hub"
            }
        }
    }

    public let kind: Kind
    /// The record's bytes: a JSON object, or for flow logs one line without its terminator.
    public let bytes: UnsafeRawBufferPointer
    /// The record's position among the records of its file, from 0.
    public let ordinal: Int
    /// Where the record starts in the decoded input.
    public let decodedOffset: Int
    /// The fields of a flow log line.
    public let flowFormat: FlowLogFormat?
    /// The account that owns the log, when the container says (a CloudWatch Logs `owner`).
    public let ownerAccount: String?
    /// Where the members of a JSON record lie, noted when it was validated (valid, like `bytes`,
    /// only during the visit), so that later passes need not walk the record to find them.
    public let members: ObjectMemberIndex?
    /// The CloudWatch Logs event that carried the record (its log group, stream, id and time),
    /// for a line read from a subscription payload; what a database audit event is placed by.
    public let logEvent: CloudWatchLogEvent?

    public init(kind: Kind, bytes: UnsafeRawBufferPointer, ordinal: Int, decodedOffset: Int,
                flowFormat: FlowLogFormat? = nil, ownerAccount: String? = nil, members: ObjectMemberIndex? = nil,
                logEvent: CloudWatchLogEvent? = nil) {
        self.members = members
        self.logEvent = logEvent
        self.kind = kind
        self.bytes = bytes
        self.ordinal = ordinal
        self.decodedOffset = decodedOffset
        self.flowFormat = flowFormat
        self.ownerAccount = ownerAccount
    }
}

/// Input that is read but deliberately not turned into events, counted in the summary.
public enum SkipReason: String, Sendable, Hashable, CaseIterable {
    /// A CloudTrail digest file (log file integrity validation), not activity.
    case cloudTrailDigest = "CloudTrail digest file"
    /// A CloudWatch Logs subscription control message (a connectivity check).
    case controlMessage = "CloudWatch Logs control message"
    /// A file with no content.
    case emptyFile = "empty file"
    /// An AWS Config notification that a delivery started, completed or failed
    /// (`ConfigurationHistoryDeliveryCompleted`, `ConfigurationSnapshotDeliveryStarted`, …): it
    /// names a file, and the file holds the configuration items.
    case configDeliveryNotice = "AWS Config delivery notification"
}

/// Receives what a reader finds, in file order.
public protocol RecordVisitor {
    /// A record; its bytes are valid only during the call.
    mutating func visit(_ record: LogRecord)
    /// A problem: something that could not be read, reported and skipped.
    mutating func report(_ problem: InputProblem)
    /// Input deliberately skipped.
    mutating func skip(_ reason: SkipReason)
}

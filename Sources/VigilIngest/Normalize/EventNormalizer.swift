import VigilJSON

/// Turns each record into an EventBridge event, as ARCHITECTURE.md specifies per source.
///
/// - CloudTrail: `detail` is the record; `detail-type` from `eventType` (without one, a console
///   sign-in for `signin.amazonaws.com`, else an API call); `source` from the service
///   prefix of `eventSource`; `account` = `recipientAccountId`, else `userIdentity.accountId`;
///   `region` = `awsRegion`; `time` = `eventTime`.
/// - VPC flow record: `detail` holds the header's field names with typed values; `time` = `start`;
///   `account` and `region` from the record, else from the S3 key.
/// - GuardDuty finding: `detail` is the finding; `account` = `accountId`; `time` = `updatedAt`.
/// - EventBridge event: passed through; its envelope values are read for filtering.
///
/// One normalizer per thread: it reuses its envelope and buffers, allocating nothing per record
/// once warmed up.
public struct EventNormalizer {
    public let envelope = EventEnvelope()
    private var scratch: [UInt8] = []
    /// What Config normalization reuses from record to record.
    var configScratch = ConfigScratch()

    public init() {}

    /// Normalizes `record` of the file described by `context`. Throws a problem, located at the
    /// record (file, offset, ordinal), for a record that lacks what its kind requires.
    public mutating func normalize(_ record: LogRecord, context: LogFileContext) throws(InputProblem) -> EventEnvelope {
        envelope.reset(kind: record.kind, record: record.bytes, members: record.members)
        do throws(InputProblem) {
            switch record.kind {
            case .cloudTrail: try normalizeCloudTrail(record.bytes, members: record.members)
            case .flowLog: try normalizeFlow(record, context: context)
            case .guardDutyFinding: try normalizeFinding(record.bytes, members: record.members)
            case .eventBridgeEvent: try readEventBridgeEnvelope(record.bytes, members: record.members)
            case .securityHubFinding: try normalizeSecurityHubFinding(record)
            case .databaseAudit: try normalizeDatabaseAudit(record, context: context)
            case .config: try normalizeConfig(record, context: context)
            }
        } catch {
            var problem = error
            problem.path = context.path
            problem.offset = record.decodedOffset
            problem.offsetSpace = .decoded
            problem.record = record.ordinal
            throw problem
        }
        if envelope.eventTime == nil, !envelope.time.isEmpty {
            envelope.eventTime = envelope.time.withUnsafeBytes { Timestamps.parse($0) }
        }
        return envelope
    }

    // MARK: - CloudTrail

    // Static strings, compared and copied where they lie: `String`s here were compared through
    // their UTF-8 views, 500 instructions a record (callgrind).
    private static let detailTypes: [(eventType: StaticString, detailType: StaticString)] = [
        ("AwsApiCall", "AWS API Call via CloudTrail"),
        ("AwsConsoleSignIn", "AWS Console Sign In via CloudTrail"),
        ("AwsConsoleAction", "AWS Console Action via CloudTrail"),
        ("AwsServiceEvent", "AWS Service Event via CloudTrail"),
        ("AwsCloudTrailInsight", "AWS Insight via CloudTrail"),
    ]

    private mutating func normalizeCloudTrail(_ bytes: UnsafeRawBufferPointer,
                                              members: ObjectMemberIndex?) throws(InputProblem) {
        var eventSource: Range<Int>?
        var eventType: Range<Int>?
        let envelope = self.envelope
        var scratch = self.scratch
        scratch.removeAll(keepingCapacity: true)
        defer { self.scratch = scratch }
        try Self.forEachMember(of: bytes, members: members) { key, value in
            switch key.count {
            case 7 where JSONBytes.equals(key, "eventID"):
                Self.appendString(bytes, value, to: &envelope.identity)
            case 9 where JSONBytes.equals(key, "eventTime"):
                Self.appendString(bytes, value, to: &envelope.time)
            case 9 where JSONBytes.equals(key, "awsRegion"):
                Self.appendString(bytes, value, to: &envelope.region)
            case 9 where JSONBytes.equals(key, "eventType"):
                eventType = value
            case 11 where JSONBytes.equals(key, "eventSource"):
                eventSource = value
            case 12 where JSONBytes.equals(key, "userIdentity"):
                // The fallback account, used only when recipientAccountId is absent.
                guard envelope.account.isEmpty, bytes[value.lowerBound] == UInt8(ascii: "{") else { break }
                let identity = UnsafeRawBufferPointer(rebasing: bytes[value])
                try? JSONMembers.forEach(in: identity) { key, _, inner in
                    guard JSONBytes.equals(key, "accountId") else { return true }
                    Self.appendString(identity, inner, to: &envelope.account)
                    return false
                }
            case 18 where JSONBytes.equals(key, "recipientAccountId"):
                Self.appendString(bytes, value, to: &envelope.account)
            default:
                break
            }
        }
        guard !envelope.time.isEmpty else {
            throw InputProblem(.unrecognizedRecord, reason: "A CloudTrail record without eventTime")
        }
        // CloudTrail always writes one (`2026-11-20T09:03:12Z`): a record whose eventTime is no
        // date and time (`99999-99-99…`) is damaged or made up, and would escape --from/--to.
        envelope.eventTime = envelope.time.withUnsafeBytes { Timestamps.parse($0) }
        guard envelope.eventTime != nil else {
            throw InputProblem(.malformedRecord, reason: "A CloudTrail record whose eventTime is not a date and time")
        }
        // detail-type by eventType. A record without one (before eventVersion 1.02, and AWS's own
        // 1.05 sign-in examples) is a console sign-in when signin.amazonaws.com wrote it, as its
        // eventType would say, else an API call: sign-in rules select on the detail-type.
        if let eventType {
            Self.appendString(bytes, eventType, to: &scratch)
            if let entry = scratch.withUnsafeBytes({ type in Self.detailTypes.first { JSONBytes.equals(type, $0.eventType) } }) {
                envelope.detailType.append(utf8: entry.detailType)
            } else {
                // A type EventBridge does not document: named after it, so rules can still tell.
                envelope.detailType.append(contentsOf: scratch)
                envelope.detailType.append(utf8: " via CloudTrail")
            }
        } else if let eventSource, Self.isSignIn(bytes, eventSource, scratch: &scratch) {
            envelope.detailType.append(utf8: "AWS Console Sign In via CloudTrail")
        } else {
            envelope.detailType.append(utf8: "AWS API Call via CloudTrail")
        }
        if let eventSource {
            Self.appendString(bytes, eventSource, to: &scratch)
            scratch.withUnsafeBytes { EventSourceName.append(eventSource: $0, to: &envelope.source) }
        } else if scratch.withUnsafeBytes({ JSONBytes.equals($0, "AwsCloudTrailInsight") }) {
            // Insights events are CloudTrail's own; the service they concern is in insightDetails.
            envelope.source.append(utf8: "aws.cloudtrail")
        } else {
            throw InputProblem(.unrecognizedRecord, reason: "A CloudTrail record without eventSource")
        }
        if envelope.identity.isEmpty {
            // Records before eventVersion 1.01 have no eventID: their content identifies them.
            Self.appendContentDigest(bytes, to: &envelope.identity)
        } else {
            // An eventID is unique within an account, not across accounts: two accounts' records
            // sharing one are two events, each alerted (a repeat is the same eventID and account).
            envelope.identity.append(UInt8(ascii: "@"))
            envelope.identity.append(contentsOf: envelope.account)
        }
    }

    /// True when the eventSource value at `range` is `signin.amazonaws.com` (unescaped into `scratch`).
    private static func isSignIn(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, scratch: inout [UInt8]) -> Bool {
        appendString(bytes, range, to: &scratch)
        return scratch.withUnsafeBytes { JSONBytes.equals($0, "signin.amazonaws.com") }
    }

    // MARK: - VPC Flow Logs

    private mutating func normalizeFlow(_ record: LogRecord, context: LogFileContext) throws(InputProblem) {
        let envelope = self.envelope
        // The fields are checked now (a bad line is a problem whether or not a rule reads it);
        // `detail` is written only if the event is shown (EventEnvelope.writeUnwrittenDetail).
        let format = record.flowFormat ?? .defaultV2
        let facts = try envelope.flowFields.read(record.bytes, format: format)
        envelope.unwrittenFlowDetail = format
        envelope.setConstants(source: "aws.vpcflowlogs", detailType: "VPC Flow Log Record")
        // The record's own account and region, else the file's (its path, or the owner a
        // CloudWatch Logs export names); empty when nothing says.
        var fileAccount = facts.accountID == nil ? context.account ?? record.ownerAccount ?? "" : ""
        var fileRegion = facts.region == nil ? context.region ?? "" : ""
        fileAccount.withUTF8 { fileAccount in
            fileRegion.withUTF8 { fileRegion in
                envelope.setPlace(account: facts.accountID.map { UnsafeRawBufferPointer(rebasing: record.bytes[$0]) }
                                      ?? UnsafeRawBufferPointer(fileAccount),
                                  region: facts.region.map { UnsafeRawBufferPointer(rebasing: record.bytes[$0]) }
                                      ?? UnsafeRawBufferPointer(fileRegion))
            }
        }
        if let start = facts.start ?? facts.end ?? context.deliveredAt {
            envelope.setTime(seconds: start)
            // `time` read back, without reading it: the same seconds up to year 9999, where
            // `time` has four digits for the year.
            if start < Self.yearTenThousand { envelope.eventTime = start }
        }
        envelope.identifyByLine(path: context.identityPath, ordinal: record.ordinal)
    }

    /// 10000-01-01T00:00:00Z in seconds since 1970.
    static let yearTenThousand: Int64 = 253_402_300_800

    // MARK: - GuardDuty

    private mutating func normalizeFinding(_ bytes: UnsafeRawBufferPointer, members: ObjectMemberIndex?) throws(InputProblem) {
        let envelope = self.envelope
        var createdAt: Range<Int>?
        var updatedAt: Range<Int>?
        var findingID: Range<Int>?
        try Self.forEachMember(of: bytes, members: members) { key, value in
            if JSONBytes.equals(key, "accountId") {
                Self.appendString(bytes, value, to: &envelope.account)
            } else if JSONBytes.equals(key, "region") {
                Self.appendString(bytes, value, to: &envelope.region)
            } else if JSONBytes.equals(key, "updatedAt") {
                updatedAt = value
            } else if JSONBytes.equals(key, "createdAt") {
                createdAt = value
            } else if JSONBytes.equals(key, "id") {
                findingID = value
            }
        }
        envelope.setConstants(source: "aws.guardduty", detailType: "GuardDuty Finding")
        guard let time = updatedAt ?? createdAt else {
            throw InputProblem(.unrecognizedRecord, reason: "A GuardDuty finding without updatedAt")
        }
        // The identity keeps updatedAt as written (`…12.345Z`), so alert ids stay what they were.
        var stamp = scratch
        defer { scratch = stamp }
        try Self.setTime(of: envelope, from: bytes, time, asWritten: &stamp,
                         otherwise: "A GuardDuty finding whose updatedAt is not a date and time")
        if let findingID {
            Self.appendString(bytes, findingID, to: &envelope.identity)
            envelope.identity.append(UInt8(ascii: "@"))
            envelope.identity.append(contentsOf: stamp)
        } else {
            Self.appendContentDigest(bytes, to: &envelope.identity)
        }
    }

    // MARK: - EventBridge events

    private mutating func readEventBridgeEnvelope(_ bytes: UnsafeRawBufferPointer,
                                                  members: ObjectMemberIndex?) throws(InputProblem) {
        let envelope = self.envelope
        try Self.forEachMember(of: bytes, members: members) { key, value in
            switch key.count {
            case 2 where JSONBytes.equals(key, "id"): Self.appendString(bytes, value, to: &envelope.ownID)
            case 4 where JSONBytes.equals(key, "time"): Self.appendString(bytes, value, to: &envelope.time)
            case 6 where JSONBytes.equals(key, "source"): Self.appendString(bytes, value, to: &envelope.source)
            case 6 where JSONBytes.equals(key, "region"): Self.appendString(bytes, value, to: &envelope.region)
            case 7 where JSONBytes.equals(key, "account"): Self.appendString(bytes, value, to: &envelope.account)
            case 11 where JSONBytes.equals(key, "detail-type"): Self.appendString(bytes, value, to: &envelope.detailType)
            default: break
            }
        }
        if envelope.ownID.isEmpty {
            Self.appendContentDigest(bytes, to: &envelope.ownID)
        }
        envelope.identity.append(contentsOf: envelope.ownID)
    }

    // MARK: - Helpers

    /// Calls `body` with each top-level member's key (as written) and value range: from the
    /// reader's index when it made one, else by reading the record.
    @inline(__always)
    static func forEachMember(of bytes: UnsafeRawBufferPointer, members: ObjectMemberIndex?,
                                      _ body: (UnsafeRawBufferPointer, Range<Int>) -> Void) throws(InputProblem) {
        if let members {
            members.forEach(in: bytes) { key, _, value in
                body(key, value)
                return true
            }
            return
        }
        do {
            try JSONMembers.forEach(in: bytes) { key, _, value in
                body(key, value)
                return true
            }
        } catch {
            throw InputProblem(.malformedRecord, reason: error.message)
        }
    }

    /// Sets the envelope's `time` to the timestamp string at `range` in whole seconds in UTC, as
    /// EventBridge writes `time` for every source, and `eventTime` to its seconds; `stamp` receives
    /// the text as written (identities keep it, so alert ids do not depend on how it is shown).
    /// Throws `reason` for a value that is no date and time: it would escape `--from`/`--to`.
    static func setTime(of envelope: EventEnvelope, from bytes: UnsafeRawBufferPointer, _ range: Range<Int>,
                        asWritten stamp: inout [UInt8], otherwise reason: String) throws(InputProblem) {
        appendString(bytes, range, to: &stamp)
        guard let seconds = stamp.withUnsafeBytes({ Timestamps.parse($0) }) else {
            throw InputProblem(.malformedRecord, reason: reason)
        }
        envelope.eventTime = seconds
        envelope.time.removeAll(keepingCapacity: true)
        Timestamps.appendISO8601(seconds, to: &envelope.time)
    }

    /// Appends the unescaped contents of the string value at `range` (nothing for non-strings).
    static func appendString(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>, to output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        guard let (contents, isEscaped) = JSONMembers.stringContents(of: range, in: bytes) else { return }
        if isEscaped {
            JSONString.unescape(UnsafeRawBufferPointer(rebasing: bytes[contents]), into: &output)
        } else {
            output.append(contentsOf: bytes[contents])
        }
    }

    /// Appends a digest of the record's bytes, for records that carry no identifier of their own.
    static func appendContentDigest(_ bytes: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        output.removeAll(keepingCapacity: true)
        output.append(utf8: "sha1:")
        var compact: [UInt8] = []
        JSONText.appendCompacted(bytes, to: &compact)
        compact.withUnsafeBytes { NameBasedUUID.append(name: $0, to: &output) }
    }
}

import VigilJSON

/// What Config normalization reuses from record to record.
struct ConfigScratch {
    var writer = ConfigItemWriter()
    var facts = ConfigItemFacts()
    /// The item as written, before the detail around it.
    var item: [UInt8] = []
}

/// AWS Config, normalized exactly as EventBridge delivers Config's events (ARCHITECTURE.md), so
/// that a rule written for EventBridge runs unchanged:
///
/// - a configuration item (history or snapshot file, `configservice` output, or the item of a
///   `ConfigurationItemChangeNotification`): `source` `aws.config`, `detail-type` `Config
///   Configuration Item Change`, `detail` written as
///   `{"recordVersion","messageType":"ConfigurationItemChangeNotification","notificationCreationTime",
///   "configurationItem":{…},"configurationItemDiff":{…}}` — the notification's own diff when it
///   carries one, else the one `ConfigItemDiffer` computes from the previous item of the resource,
///   when one was seen; an item from a file has no notification, so `notificationCreationTime` is
///   its capture time. `account` `awsAccountId`, `region` `awsRegion` (else the file's path),
///   `time` `configurationItemCaptureTime`, `resources` `[ARN]`.
/// - `OversizedConfigurationItemChangeNotification`: the same `detail-type`, `detail` the
///   notification as it came (its `messageType` says it was oversized; it carries
///   `configurationItemSummary` and where Config put the whole item, `s3DeliverySummary`); the
///   envelope's values from the summary.
/// - `ComplianceChangeNotification`: `Config Rules Compliance Change`, `detail` the notification,
///   `time` `notificationCreationTime`, `resources` `[]`.
///
/// Identity: resource type, id and capture time (a compliance change: rule, resource and
/// notification time), so an item seen in a history file, a snapshot and a notification raises
/// its alerts once.
extension EventNormalizer {
    mutating func normalizeConfig(_ record: LogRecord, context: LogFileContext) throws(InputProblem) {
        let bytes = record.bytes
        var messageType: Range<Int>?
        var item: Range<Int>?
        var summary: Range<Int>?
        var diff: Range<Int>?
        var notificationTime: Range<Int>?
        var recordVersion: Range<Int>?
        try Self.forEachMember(of: bytes, members: record.members) { key, value in
            switch key.count {
            case 11 where JSONBytes.equals(key, "messageType"): messageType = value
            case 13 where JSONBytes.equals(key, "recordVersion"): recordVersion = recordVersion ?? value
            case 14 where JSONBytes.equals(key, "MessageVersion"): recordVersion = recordVersion ?? value
            case 17 where JSONBytes.equals(key, "configurationItem"): item = value
            case 21 where JSONBytes.equals(key, "configurationItemDiff"): diff = value
            case 22 where JSONBytes.equals(key, "NotificationCreateTime"): notificationTime = notificationTime ?? value
            case 24 where JSONBytes.equals(key, "notificationCreationTime"): notificationTime = value
            case 24 where JSONBytes.equals(key, "configurationItemSummary"): summary = value
            default: break
            }
        }
        guard let messageType else {
            try writeItemEvent(item: bytes, itemMembers: record.members, in: bytes, recordVersion: nil, notificationTime: nil,
                               diff: nil, context: context)
            return
        }
        switch ConfigMessageType(bytes, messageType) {
        case .itemChange:
            guard var item else {
                throw InputProblem(.unrecognizedRecord, reason: "A ConfigurationItemChangeNotification without configurationItem")
            }
            // Config's first notifications (2014) held the item in an array of one.
            if bytes[item.lowerBound] == UInt8(ascii: "[") {
                var elements: [Range<Int>] = []
                JSONBytes.forEachElement(in: bytes, arrayAt: item.lowerBound) { elements.append($0) }
                guard elements.count == 1 else {
                    throw InputProblem(.unrecognizedRecord,
                                       reason: "A ConfigurationItemChangeNotification whose configurationItem array holds \(elements.count) items, not one")
                }
                item = elements[0]
            }
            guard bytes[item.lowerBound] == UInt8(ascii: "{") else {
                throw InputProblem(.unrecognizedRecord, reason: "A ConfigurationItemChangeNotification whose configurationItem is not an object")
            }
            try writeItemEvent(item: UnsafeRawBufferPointer(rebasing: bytes[item]), in: bytes, recordVersion: recordVersion,
                               notificationTime: notificationTime, diff: diff, context: context)
        case .oversizedItemChange:
            guard let summary, bytes[summary.lowerBound] == UInt8(ascii: "{") else {
                throw InputProblem(.unrecognizedRecord,
                                   reason: "An OversizedConfigurationItemChangeNotification without configurationItemSummary")
            }
            try readItemFacts(UnsafeRawBufferPointer(rebasing: bytes[summary]))
            try fillItemEnvelope(context: context)
        case .complianceChange:
            try readComplianceChange(bytes, members: record.members, context: context)
        case .deliveryNotice, nil:
            throw InputProblem(.unrecognizedRecord, reason: "An AWS Config notification that carries no configuration item")
        }
    }

    /// Writes the detail of an item change around `item` and fills the envelope from the item.
    ///
    /// The item is written first, into a buffer of its own, because the detail's first members
    /// (a file's item has no notification) come from it; the detail is then written in order,
    /// its members noted as they are written rather than found again by validating what was
    /// written (a second pass over every item).
    private mutating func writeItemEvent(item: UnsafeRawBufferPointer, itemMembers: ObjectMemberIndex? = nil,
                                         in notification: UnsafeRawBufferPointer,
                                         recordVersion: Range<Int>?, notificationTime: Range<Int>?, diff: Range<Int>?,
                                         context: LogFileContext) throws(InputProblem) {
        let envelope = self.envelope
        var scratch = configScratch
        defer { configScratch = scratch }
        scratch.item.removeAll(keepingCapacity: true)
        try scratch.writer.append(item, members: itemMembers, to: &scratch.item, facts: &scratch.facts,
                                  maximumDepth: JSONBytes.maximumDepth)
        var detail = envelope.writtenDetail
        envelope.writtenDetail = []
        defer { envelope.writtenDetail = detail }
        detail.removeAll(keepingCapacity: true)
        envelope.writtenDetailMembers.withNotes { notes in
            func member(_ key: StaticString, _ write: (inout [UInt8]) -> Void) {
                detail.append(detail.isEmpty ? UInt8(ascii: "{") : UInt8(ascii: ","))
                detail.append(UInt8(ascii: "\""))
                let keyStart = detail.count
                detail.append(contentsOf: UnsafeRawBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount))
                let keyEnd = detail.count
                detail.append(utf8: #"":"#)
                let valueStart = detail.count
                write(&detail)
                notes.append(key: keyStart..<keyEnd, keyIsEscaped: false, value: valueStart..<detail.count)
            }
            member("recordVersion") { output in
                if let recordVersion {
                    JSONText.appendCompacted(UnsafeRawBufferPointer(rebasing: notification[recordVersion]), to: &output)
                } else {
                    JSONText.appendQuoted(scratch.facts.version.isEmpty ? Self.defaultRecordVersion : scratch.facts.version,
                                          to: &output)
                }
            }
            member("messageType") { $0.append(utf8: #""ConfigurationItemChangeNotification""#) }
            // A file's item was not notified: its capture time stands for the notification's.
            member("notificationCreationTime") { output in
                if let notificationTime {
                    JSONText.appendCompacted(UnsafeRawBufferPointer(rebasing: notification[notificationTime]), to: &output)
                } else {
                    JSONText.appendQuoted(scratch.facts.captureTime, to: &output)
                }
            }
            member("configurationItem") { $0.append(contentsOf: scratch.item) }
            if let diff {
                member("configurationItemDiff") { output in
                    JSONText.appendCompacted(UnsafeRawBufferPointer(rebasing: notification[diff]), to: &output)
                }
            }
            detail.append(UInt8(ascii: "}"))
        }
        envelope.detailIsWritten = true
        configScratch = scratch
        try fillItemEnvelope(context: context)
        let facts = configScratch.facts
        envelope.configItem = ConfigItemLocation(
            item: envelope.writtenDetailMembers.value(3), hasDiff: diff != nil,
            captureTime: facts.captureTime.withUnsafeBytes { ConfigItemDiffer.milliseconds(of: $0) },
            isDiscovered: facts.status.elementsEqual("ResourceDiscovered".utf8),
            isDeleted: facts.status.starts(with: "ResourceDeleted".utf8))
    }

    /// Config's record version when neither a notification nor the item says (items of 2026 say 1.3).
    private static let defaultRecordVersion = Array("1.3".utf8)

    /// Notes the facts of an item summary (an oversized notification's), without writing it.
    private mutating func readItemFacts(_ summary: UnsafeRawBufferPointer) throws(InputProblem) {
        var facts = configScratch.facts
        defer { configScratch.facts = facts }
        facts.reset()
        try Self.forEachMember(of: summary, members: nil) { key, value in
            guard let member = ConfigItemWriter.Member(key) else { return }
            switch member {
            case .captureTime: Self.appendString(summary, value, to: &facts.captureTime)
            case .account, .accountID: Self.appendString(summary, value, to: &facts.account)
            case .region: Self.appendString(summary, value, to: &facts.region)
            case .arn, .lowercaseARN: Self.appendString(summary, value, to: &facts.arn)
            case .resourceType: Self.appendString(summary, value, to: &facts.resourceType)
            case .resourceID: Self.appendString(summary, value, to: &facts.resourceID)
            default: break
            }
        }
    }

    /// The envelope of an item change, from the facts of its item.
    private func fillItemEnvelope(context: LogFileContext) throws(InputProblem) {
        let envelope = self.envelope
        let facts = configScratch.facts
        guard !facts.resourceType.isEmpty, !facts.resourceID.isEmpty else {
            throw InputProblem(.unrecognizedRecord, reason: "An AWS Config configuration item without resourceType and resourceId")
        }
        guard !facts.captureTime.isEmpty else {
            throw InputProblem(.unrecognizedRecord, reason: "An AWS Config configuration item without configurationItemCaptureTime")
        }
        guard let seconds = facts.captureTime.withUnsafeBytes({ Timestamps.parse($0) }) else {
            throw InputProblem(.malformedRecord,
                               reason: "An AWS Config configuration item whose configurationItemCaptureTime is not a date and time")
        }
        envelope.source.append(utf8: "aws.config")
        envelope.detailType.append(utf8: "Config Configuration Item Change")
        Self.fill(&envelope.account, facts.account, else: context.account)
        Self.fill(&envelope.region, facts.region, else: context.region)
        envelope.eventTime = seconds
        Timestamps.appendISO8601(seconds, to: &envelope.time)
        if !facts.arn.isEmpty { envelope.appendResource(facts.arn) }
        envelope.identity.append(contentsOf: facts.resourceType)
        envelope.identity.append(UInt8(ascii: "/"))
        envelope.identity.append(contentsOf: facts.resourceID)
        envelope.identity.append(UInt8(ascii: "@"))
        envelope.identity.append(contentsOf: facts.captureTime)
    }

    /// A compliance change: the notification is the detail.
    private mutating func readComplianceChange(_ bytes: UnsafeRawBufferPointer, members: ObjectMemberIndex?,
                                               context: LogFileContext) throws(InputProblem) {
        let envelope = self.envelope
        var rule: Range<Int>?, resourceType: Range<Int>?, resourceID: Range<Int>?
        try Self.forEachMember(of: bytes, members: members) { key, value in
            switch key.count {
            case 9 where JSONBytes.equals(key, "awsRegion"): Self.appendString(bytes, value, to: &envelope.region)
            case 10 where JSONBytes.equals(key, "resourceId"): resourceID = value
            case 12 where JSONBytes.equals(key, "awsAccountId"): Self.appendString(bytes, value, to: &envelope.account)
            case 12 where JSONBytes.equals(key, "resourceType"): resourceType = value
            case 14 where JSONBytes.equals(key, "configRuleName"): rule = value
            case 24 where JSONBytes.equals(key, "notificationCreationTime"): Self.appendString(bytes, value, to: &envelope.time)
            default: break
            }
        }
        guard let rule else {
            throw InputProblem(.unrecognizedRecord, reason: "A ComplianceChangeNotification without configRuleName")
        }
        guard let seconds = envelope.time.withUnsafeBytes({ Timestamps.parse($0) }) else {
            throw InputProblem(.unrecognizedRecord,
                               reason: "A ComplianceChangeNotification without a notificationCreationTime that is a date and time")
        }
        envelope.time.removeAll(keepingCapacity: true)
        Timestamps.appendISO8601(seconds, to: &envelope.time)
        envelope.eventTime = seconds
        if envelope.account.isEmpty, let account = context.account { envelope.account.append(contentsOf: account.utf8) }
        if envelope.region.isEmpty, let region = context.region { envelope.region.append(contentsOf: region.utf8) }
        envelope.source.append(utf8: "aws.config")
        envelope.detailType.append(utf8: "Config Rules Compliance Change")
        var part: [UInt8] = []
        for range in [rule, resourceType, resourceID] {
            if let range { Self.appendString(bytes, range, to: &part) } else { part.removeAll() }
            envelope.identity.append(contentsOf: part)
            envelope.identity.append(UInt8(ascii: "/"))
        }
        envelope.identity.append(UInt8(ascii: "@"))
        envelope.identity.append(contentsOf: envelope.time)
    }

    private static func fill(_ field: inout [UInt8], _ value: [UInt8], else fallback: String?) {
        if !value.isEmpty {
            field.append(contentsOf: value)
        } else if let fallback {
            field.append(contentsOf: fallback.utf8)
        }
    }
}

/// Where a configuration item lies in the envelope's written detail, for `ConfigItemDiffer`.
public struct ConfigItemLocation: Sendable, Equatable {
    /// The `configurationItem` object's range in the written detail.
    public let item: Range<Int>
    /// The detail already has a `configurationItemDiff` (Config's own, from a notification).
    public let hasDiff: Bool
    /// `configurationItemCaptureTime` in milliseconds since 1970 (two items of a resource may be
    /// captured within one second).
    public let captureTime: Int64?
    /// `configurationItemStatus` is `ResourceDiscovered`.
    public let isDiscovered: Bool
    /// `configurationItemStatus` is `ResourceDeleted` or `ResourceDeletedNotRecorded`.
    public let isDeleted: Bool
}

import VigilJSON

/// Security Hub findings (ASFF) as EventBridge delivers them (ARCHITECTURE.md's envelope table):
/// `source` `aws.securityhub`, `detail-type` `Security Hub Findings - Imported`, `detail`
/// `{"findings":[<the finding>]}`, `account` = `AwsAccountId`, `region` = `Region`, `time` =
/// `UpdatedAt` in whole seconds, `resources` = `[Id]`; identity `Id` + `UpdatedAt`.
extension EventNormalizer {
    private static let findingsKey: StaticString = #"{"findings":["#

    mutating func normalizeSecurityHubFinding(_ record: LogRecord) throws(InputProblem) {
        let envelope = self.envelope
        let bytes = record.bytes
        var updatedAt: Range<Int>?
        var createdAt: Range<Int>?
        var findingID: Range<Int>?
        var region: Range<Int>?
        var productARN: Range<Int>?
        try Self.forEachMember(of: bytes, members: record.members) { key, value in
            switch key.count {
            case 2 where JSONBytes.equals(key, "Id"): findingID = value
            case 6 where JSONBytes.equals(key, "Region"): region = value
            case 9 where JSONBytes.equals(key, "UpdatedAt"): updatedAt = value
            case 10 where JSONBytes.equals(key, "ProductArn"): productARN = value
            case 9 where JSONBytes.equals(key, "CreatedAt"): createdAt = value
            case 12 where JSONBytes.equals(key, "AwsAccountId"): Self.appendString(bytes, value, to: &envelope.account)
            default: break
            }
        }
        envelope.setConstants(source: "aws.securityhub", detailType: "Security Hub Findings - Imported")
        guard let findingID else {
            throw InputProblem(.unrecognizedRecord, reason: "A Security Hub finding without Id")
        }
        guard let stamp = updatedAt ?? createdAt else {
            throw InputProblem(.unrecognizedRecord, reason: "A Security Hub finding without UpdatedAt")
        }
        // ASFF's timestamps carry fractions (`2026-11-20T09:50:03.123Z`); the identity keeps them.
        var stampText: [UInt8] = []
        try Self.setTime(of: envelope, from: bytes, stamp, asWritten: &stampText,
                         otherwise: "A Security Hub finding whose UpdatedAt is not a date and time")
        if let region {
            Self.appendString(bytes, region, to: &envelope.region)
        } else if let productARN {
            // ASFF before Region was added (2021) has none; the product ARN names it
            // (`arn:aws:securityhub:REGION:…`).
            Self.appendString(bytes, productARN, to: &envelope.region)
            let fields = envelope.region.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
            let named = fields.count > 3 ? Array(fields[3]) : []
            envelope.region.removeAll(keepingCapacity: true)
            envelope.region.append(contentsOf: named)
        }
        // A finding is updated in place; each update is an event of its own: Id@UpdatedAt.
        Self.appendString(bytes, findingID, to: &envelope.identity)
        envelope.appendResource(envelope.identity)
        envelope.identity.append(UInt8(ascii: "@"))
        envelope.identity.append(contentsOf: stampText)

        // detail = {"findings":[<the finding as read>]}; its one member is noted as written.
        let detail = envelope
        detail.writtenDetail.removeAll(keepingCapacity: true)
        detail.writtenDetail.append(contentsOf: UnsafeRawBufferPointer(start: Self.findingsKey.utf8Start,
                                                                        count: Self.findingsKey.utf8CodeUnitCount))
        detail.writtenDetail.append(contentsOf: bytes)
        detail.writtenDetail.append(utf8: "]}")
        let valueEnd = detail.writtenDetail.count - 1
        detail.writtenDetailMembers.withNotes { notes in
            notes.append(key: 2..<10, keyIsEscaped: false, value: 12..<valueEnd)
        }
        detail.detailIsWritten = true
    }
}

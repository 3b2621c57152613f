import VigilIngest

/// Which events a replay looks at: `--from`/`--to` on event time, `--account`, `--region`.
///
/// Whole files are skipped when their S3 key proves they cannot hold a wanted event: another
/// account or region in the `AWSLogs/ACCOUNT/SERVICE/REGION/` path, or a delivery time outside the
/// range. A file cannot hold events later than its delivery time (the file-name time, else the end
/// of its date folder), give or take an hour of clock skew. The other bound assumes CloudTrail and
/// flow log files arrive within a day of their events (AWS states about 5 to 15 minutes); GuardDuty
/// exports, which may carry older findings, are never skipped for being too late.
public struct EventFilter: Sendable {
    /// Inclusive bounds, seconds since 1970.
    public var from: Int64?
    public var to: Int64?
    public var accounts: Set<String> = []
    public var regions: Set<String> = []

    static let clockSkew: Int64 = 3600
    static let deliveryLag: Int64 = 86_400

    public init(from: Int64? = nil, to: Int64? = nil, accounts: Set<String> = [], regions: Set<String> = []) {
        self.from = from
        self.to = to
        self.accounts = accounts
        self.regions = regions
    }

    public var hasTimeRange: Bool { from != nil || to != nil }

    /// Why a whole file is skipped, or nil to read it.
    public func reasonToSkip(_ context: LogFileContext) -> String? {
        if !accounts.isEmpty, let account = context.account, !accounts.contains(account) { return "another account" }
        if !regions.isEmpty, let region = context.region, !regions.contains(region) { return "another region" }
        guard hasTimeRange else { return nil }
        let delivered = context.deliveredAt ?? context.folderDay.map { $0 + 86_400 }
        if let from, let delivered, delivered + Self.clockSkew < from { return "before --from" }
        if let to, delivered != nil {
            let service = context.service ?? ""
            let boundedLag = service.hasPrefix("CloudTrail") || service == "vpcflowlogs"
            let earliest = (context.deliveredAt ?? context.folderDay!) - Self.deliveryLag
            if boundedLag && earliest > to { return "after --to" }
        }
        return nil
    }

    /// Whether the event is wanted; when not, why.
    public func reasonToDrop(_ envelope: EventEnvelope) -> DropReason? {
        if hasTimeRange {
            guard let time = envelope.eventTime else { return .noTime }
            if let from, time < from { return .outsideTimeRange }
            if let to, time > to { return .outsideTimeRange }
        }
        if !accounts.isEmpty, !accounts.contains(where: { envelope.account.elementsEqual($0.utf8) }) { return .otherAccount }
        if !regions.isEmpty, !regions.contains(where: { envelope.region.elementsEqual($0.utf8) }) { return .otherRegion }
        return nil
    }

    public enum DropReason: String, Sendable, CaseIterable {
        case outsideTimeRange = "outside --from/--to"
        case noTime = "without a readable time"
        case otherAccount = "other accounts"
        case otherRegion = "other regions"
    }
}

import VigilAWS
import VigilIngest
import VigilLayout

/// The objects `vigil replay s3://bucket/prefix` reads: for each location, the folders the
/// `AWSLogsPrefixPlanner` names (only the days, accounts and regions asked for, never the whole
/// bucket), each listed whole.
public struct S3Backfill {
    /// What the listing found.
    public struct Listing: Sendable {
        public var objects: [S3ObjectReference] = []
        /// The prefixes listed in full, in order: what `--verbose` shows and the tests check.
        public var prefixesListed: [String] = []
        /// Folders listed with a delimiter to find accounts, services and regions.
        public var foldersListed: [String] = []
        /// Objects passed over because their service is one Vigil does not read (a prefix the
        /// user named inside such a service's folder), by service folder.
        public var objectsOfOtherServices: [String: Int] = [:]
    }

    public let s3: S3Client
    public let filter: EventFilter

    public init(s3: S3Client, filter: EventFilter) {
        self.s3 = s3
        self.filter = filter
    }

    /// Lists `locations`; the first error (no such bucket, access denied, a contradictory range) ends it.
    ///
    /// Day folders hold files by delivery day, and CloudTrail delivers an event up to about 15
    /// minutes after it happened, so an event of 23:58 may be in the next day's folder: the last
    /// day listed is the day after `--to`. The events' own times then decide.
    public func list(_ locations: [S3Location]) throws -> Listing {
        var listing = Listing()
        let from = filter.from.map(AWSLogsPrefixPlanner.Day.init(secondsSince1970:))
        let to = filter.to.map { AWSLogsPrefixPlanner.Day(secondsSince1970: $0 + 86_400) }
        for location in locations {
            let planner = try AWSLogsPrefixPlanner(location: location, from: from, to: to, accounts: filter.accounts,
                                                   regions: filter.regions)
            let prefixes = try planner.prefixes { folder in
                listing.foldersListed.append("s3://\(location.bucket)/\(folder)")
                return try s3.listFolders(bucket: location.bucket, prefix: folder)
            }
            for prefix in prefixes {
                listing.prefixesListed.append("s3://\(location.bucket)/\(prefix)")
                for object in try s3.listAllObjects(bucket: location.bucket, prefix: prefix)
                where planner.admits(key: object.key) && Self.holdsEvents(object.key) {
                    if let service = AWSLogsServices.unreadService(of: object.key) {
                        listing.objectsOfOtherServices[service, default: 0] += 1
                    } else {
                        listing.objects.append(object)
                    }
                }
            }
        }
        return listing
    }

    /// Keys that cannot hold events: CloudTrail's digests, folder markers, archive documentation.
    static func holdsEvents(_ key: String) -> Bool {
        guard !key.hasSuffix("/"), !key.contains("/CloudTrail-Digest/") else { return false }
        let name = String(LogFileContext.fileName(of: key))
        return !PathFilter.isArchiveDocumentation(name: name)
    }
}

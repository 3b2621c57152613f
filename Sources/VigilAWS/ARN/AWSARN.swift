/// An Amazon Resource Name, `arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`, split into its parts.
///
/// The resource may itself hold colons (`function:NAME:ALIAS`, `event-bus/NAME`); only the first
/// five separators split.
public struct AWSARN: Sendable, Equatable, CustomStringConvertible {
    public let partition: String
    public let service: String
    public let region: String
    public let account: String
    public let resource: String

    /// Parses `text`; nil when it is not an ARN with a partition, service, region, account and resource.
    public init?(_ text: String) {
        let parts = text.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 6, parts[0] == "arn", !parts[1].isEmpty, !parts[2].isEmpty, !parts[3].isEmpty,
              parts[4].count == 12, parts[4].utf8.allSatisfy({ (0x30...0x39).contains($0) }), !parts[5].isEmpty
        else { return nil }
        partition = parts[1]
        service = parts[2]
        region = parts[3]
        account = parts[4]
        resource = parts[5]
    }

    public var description: String { "arn:\(partition):\(service):\(region):\(account):\(resource)" }
}

/// AWS Config's files and command output, whose arrays of configuration items are streamed by
/// `RecordArrayReader` like a CloudTrail log file's records:
///
/// - configuration history and snapshot files as Config delivers them to S3
///   (`AWSLogs/ACCOUNT/Config/REGION/YYYY/M/D/ConfigHistory|ConfigSnapshot/….json.gz`),
///   `{"fileVersion":"1.0","configSnapshotId":"…","configurationItems":[…]}`: the array is not the
///   object's first member, so the reader passes over the small members before it;
/// - `aws configservice get-resource-config-history` output, `{"configurationItems":[…],"nextToken":…}`;
/// - `aws configservice batch-get-resource-config` output,
///   `{"baseConfigurationItems":[…],"unprocessedResourceKeys":[…]}` (the keys Config did not
///   answer for are not records, and are passed over with the rest of the object).
///
/// Every element is a configuration item, taken without looking at its keys; its normalization
/// (`ConfigNormalization`) refuses one that is no item. The command output spells some members
/// differently from the files (`accountId`, `arn`, JSON text for `configuration`) and is written
/// in the files' spelling.
extension RecordContainer {
    /// A history or snapshot file, or `get-resource-config-history` output.
    static let configurationItems = RecordContainer(key: "configurationItems", elementKind: .config)
    /// `batch-get-resource-config` output.
    static let baseConfigurationItems = RecordContainer(key: "baseConfigurationItems", elementKind: .config)
}

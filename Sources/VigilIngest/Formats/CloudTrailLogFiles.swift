import VigilJSON

/// CloudTrail log files as S3 holds them, `{"Records":[…]}` (Insights files too), whose elements
/// are CloudTrail records taken without looking at their keys; and `aws cloudtrail lookup-events`
/// output, `{"Events":[…]}`, whose entries carry their record as JSON text in `CloudTrailEvent`.
/// Both are streamed by `RecordArrayReader`; bare arrays and JSON Lines of records are read by
/// their own readers and classified one by one.
extension RecordContainer {
    /// A CloudTrail log file.
    static let cloudTrailRecords = RecordContainer(key: "Records", elementKind: .cloudTrail)
    /// `aws cloudtrail lookup-events` output: its entries are classified as lookup entries.
    static let lookupEvents = RecordContainer(key: "Events", elementKind: nil)
}

extension LogFileReader {
    /// A record carried as a JSON string (a `lookup-events` entry's `CloudTrailEvent`).
    func handleEmbeddedRecord<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, string: Range<Int>,
                                                      decodedOffset: Int, into visitor: inout Visitor) {
        let contents = UnsafeRawBufferPointer(rebasing: object[(string.lowerBound + 1)..<(string.upperBound - 1)])
        var text = embedded
        JSONString.unescape(contents, into: &text)
        text.withUnsafeBytes { record in
            handleObject(record, decodedOffset: decodedOffset + string.lowerBound, into: &visitor)
        }
        embedded = text
    }
}

import VigilJSON

/// Amazon SNS notifications, `{"Type":"Notification","MessageId":…,"TopicArn":…,"Message":"<JSON
/// text>",…}`, as an SNS subscription (SQS, HTTP, email) delivers them, or as they are saved to a
/// file: the message is read as a record of its own (a Config notification, an EventBridge event),
/// located at the notification. A message that is not JSON is reported as such.
extension LogFileReader {
    /// The message of the notification `object`, whose `Message` value lies at `message`.
    func handleSNSNotification<Visitor: RecordVisitor>(_ object: UnsafeRawBufferPointer, message: Range<Int>,
                                                       decodedOffset: Int, into visitor: inout Visitor) {
        if object[message.lowerBound] == UInt8(ascii: "{") {
            // AWS's documentation prints the message as an object; it is already validated.
            handleObject(UnsafeRawBufferPointer(rebasing: object[message]), decodedOffset: decodedOffset + message.lowerBound,
                         isEncoded: true, into: &visitor)
            return
        }
        let contents = UnsafeRawBufferPointer(rebasing: object[(message.lowerBound + 1)..<(message.upperBound - 1)])
        var text = embedded
        JSONString.unescape(contents, into: &text)
        text.withUnsafeBytes { bytes in
            let start = JSONBytes.skipWhitespace(bytes, from: 0)
            guard start < bytes.count, bytes[start] == UInt8(ascii: "{") else {
                reportRecordProblem(.unrecognizedRecord, offset: decodedOffset + message.lowerBound,
                                    reason: "An SNS notification whose Message is not a JSON object", into: &visitor)
                return
            }
            handleObject(bytes, decodedOffset: decodedOffset + message.lowerBound, isEncoded: true, into: &visitor)
        }
        embedded = text
    }
}

import Foundation

/// Reads the body of an SQS message that announces new S3 objects, in every form AWS delivers it:
///
/// - an S3 event notification sent straight to the queue (`{"Records":[{"eventSource":"aws:s3",…}]}`),
///   or through SNS with raw message delivery, which gives the same body;
/// - the same notification inside an SNS envelope (`{"Type":"Notification","Message":"<JSON text>",…}`);
/// - an EventBridge event from S3 (`{"source":"aws.s3","detail-type":"Object Created",…}`), sent to
///   the queue by a rule directly or through SNS;
/// - the `s3:TestEvent` S3 sends when a notification configuration is saved, in any of those wrappers.
///
/// Object keys come back decoded. The two notification families encode them differently, and
/// getting it wrong turns `a b.json` into a `GetObject` of `a+b.json` (or `c++.gz` into `c  .gz`):
/// - S3 event notifications carry the key form-URL-encoded (`application/x-www-form-urlencoded`):
///   AWS's "Event message structure" page says "red flower.jpg" becomes "red+flower.jpg", and a
///   literal `+` arrives as `%2B` (reported in aws/aws-sdk-net#640: `this im + age blah.txt` arrived as
///   `this+im+%2B+age+blah.txt`). moto's server does the same (Python's `quote_plus`).
/// - EventBridge events carry the key as it is (AWS's "EventBridge event message structure" page
///   shows no encoding, and moto sends `key.name` unchanged; see also
///   aws-solutions-library-samples/guidance-for-medialake-on-aws#21, where decoding EventBridge keys
///   broke `test+b.png`). So an EventBridge key with a `+` keeps its `+`.
///
/// Foundation's `JSONSerialization` is used: one message per object is far from a hot path.
public enum S3EventNotification {
    /// What a message body turned out to be.
    public enum Parsed: Sendable, Equatable {
        /// New objects to read, in the order the message listed them (created events only).
        case objects([S3ObjectReference])
        /// The `s3:TestEvent` S3 sends when notifications are configured: nothing to read.
        case testEvent
        /// A well-formed message with nothing to read, and why: the S3 event names it held
        /// (`ObjectRemoved:Delete`), the EventBridge detail type (`Object Deleted`), or the SNS
        /// message type (`SNS SubscriptionConfirmation`).
        case ignored(String)
        /// Not an S3 notification in any known form; the reason says what was found, for the log.
        case notAnS3Notification(String)
    }

    /// Reads one SQS message body. Never throws: a body that is not a notification is a
    /// ``Parsed/notAnS3Notification(_:)`` with the reason, so the caller can log it and decide.
    public static func parse(_ body: String) -> Parsed {
        parse(body, insideSNS: false)
    }

    private static func parse(_ body: String, insideSNS: Bool) -> Parsed {
        let trimmed = body.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { return .notAnS3Notification("the message body is empty") }
        let json: Any
        do {
            json = try JSONSerialization.jsonObject(with: Data(trimmed.utf8), options: [.fragmentsAllowed])
        } catch {
            return .notAnS3Notification("the message body is not JSON (it starts with \(preview(trimmed)))")
        }
        guard let object = json as? [String: Any] else {
            return .notAnS3Notification("the message body is \(kind(of: json)), not a JSON object")
        }

        if let records = object["Records"] {
            return parseRecords(records)
        }
        if let type = object["Type"] as? String, object["TopicArn"] != nil || object["MessageId"] != nil {
            return parseSNS(type: type, object, insideSNS: insideSNS)
        }
        if let event = object["Event"] as? String {
            if event == "s3:TestEvent" { return .testEvent }
            return .notAnS3Notification("a JSON object whose Event is \(quoted(event)), not s3:TestEvent")
        }
        if let detailType = object["detail-type"] as? String {
            return parseEventBridge(detailType: detailType, object)
        }
        let keys = object.keys.sorted()
        let shown = keys.prefix(6).joined(separator: ", ") + (keys.count > 6 ? ", …" : "")
        return .notAnS3Notification(
            "a JSON object with none of Records, Event, an SNS Type or an EventBridge detail-type (keys: \(keys.isEmpty ? "none" : shown))"
        )
    }

    // MARK: - S3 event notification

    private static func parseRecords(_ value: Any) -> Parsed {
        guard let records = value as? [Any] else {
            return .notAnS3Notification("Records is \(kind(of: value)), not an array")
        }
        guard !records.isEmpty else { return .notAnS3Notification("Records is empty") }

        var objects: [S3ObjectReference] = []
        var otherEvents: [String] = []
        var foreignSources: [String] = []
        for (index, element) in records.enumerated() {
            let number = index + 1
            guard let record = element as? [String: Any] else {
                return .notAnS3Notification("record \(number) is \(kind(of: element)), not a JSON object")
            }
            // S3-compatible stores name themselves (`minio:s3`, `ceph:s3`) where AWS says `aws:s3`.
            let source = record["eventSource"] as? String
            guard let s3 = record["s3"] as? [String: Any], source.map({ $0.hasSuffix(":s3") }) ?? true else {
                let name = source ?? "no eventSource"
                if !foreignSources.contains(name) { foreignSources.append(name) }
                continue
            }
            var eventName = record["eventName"] as? String ?? "(no eventName)"
            // MinIO and Ceph prefix the name as in the configuration (`s3:ObjectCreated:Put`); AWS does not.
            if eventName.hasPrefix("s3:") { eventName.removeFirst(3) }
            guard eventName.hasPrefix("ObjectCreated:") else {
                if !otherEvents.contains(eventName) { otherEvents.append(eventName) }
                continue
            }
            guard let bucket = (s3["bucket"] as? [String: Any])?["name"] as? String, !bucket.isEmpty else {
                return .notAnS3Notification("record \(number) (\(eventName)) has no s3.bucket.name")
            }
            guard let object = s3["object"] as? [String: Any], let encodedKey = object["key"] as? String,
                  !encodedKey.isEmpty
            else {
                return .notAnS3Notification("record \(number) (\(eventName)) has no s3.object.key")
            }
            guard let key = formURLDecoded(encodedKey) else {
                return .notAnS3Notification(
                    "record \(number) (\(eventName)) has a key that is not URL-encoded UTF-8: \(quoted(encodedKey))"
                )
            }
            objects.append(S3ObjectReference(
                bucket: bucket,
                key: key,
                size: integer(object["size"]),
                eTag: object["eTag"] as? String,
                sequencer: object["sequencer"] as? String
            ))
        }
        if !objects.isEmpty { return .objects(objects) }
        if !otherEvents.isEmpty { return .ignored(otherEvents.joined(separator: ", ")) }
        return .notAnS3Notification("Records holds no S3 record (eventSource: \(foreignSources.joined(separator: ", ")))")
    }

    // MARK: - SNS envelope

    private static func parseSNS(type: String, _ envelope: [String: Any], insideSNS: Bool) -> Parsed {
        switch type {
        case "Notification":
            // S3 and EventBridge never wrap twice; refusing keeps a looping topic setup from recursing.
            guard !insideSNS else { return .notAnS3Notification("an SNS envelope inside an SNS envelope") }
            guard let message = envelope["Message"] as? String else {
                return .notAnS3Notification("an SNS notification without a Message string")
            }
            switch parse(message, insideSNS: true) {
            case .notAnS3Notification(let reason):
                return .notAnS3Notification("an SNS notification whose Message is not an S3 notification: \(reason)")
            case let parsed:
                return parsed
            }
        case "SubscriptionConfirmation", "UnsubscribeConfirmation":
            // Sent to a queue subscribed to a topic; confirming is an administrator's act, not ours.
            return .ignored("SNS \(type)")
        default:
            return .notAnS3Notification("an SNS message of type \(quoted(type))")
        }
    }

    // MARK: - EventBridge event

    private static func parseEventBridge(detailType: String, _ event: [String: Any]) -> Parsed {
        let source = event["source"] as? String ?? "no source"
        guard source == "aws.s3" else {
            return .notAnS3Notification("an EventBridge event from \(source) (\(detailType)), not from aws.s3")
        }
        guard detailType == "Object Created" else { return .ignored(detailType) }
        guard let detail = event["detail"] as? [String: Any] else {
            return .notAnS3Notification("an Object Created event without a detail object")
        }
        guard let bucket = (detail["bucket"] as? [String: Any])?["name"] as? String, !bucket.isEmpty else {
            return .notAnS3Notification("an Object Created event without detail.bucket.name")
        }
        guard let object = detail["object"] as? [String: Any], let key = object["key"] as? String, !key.isEmpty else {
            return .notAnS3Notification("an Object Created event without detail.object.key")
        }
        return .objects([S3ObjectReference(
            bucket: bucket,
            key: key,  // Not encoded in EventBridge events: see the type's documentation.
            size: integer(object["size"]),
            // AWS writes `etag`; moto's server writes `eTag` as in the other family.
            eTag: (object["etag"] ?? object["eTag"]) as? String,
            sequencer: object["sequencer"] as? String
        )])
    }

    // MARK: - Helpers

    /// Decodes `application/x-www-form-urlencoded` text: `+` is a space and `%XY` a byte; the bytes
    /// must form UTF-8. Nil for a `%` not followed by two hex digits, or bytes that are not UTF-8.
    /// Done by hand because Foundation's `removingPercentEncoding` leaves `+` alone.
    static func formURLDecoded(_ text: String) -> String? {
        let input = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(input.count)
        var index = 0
        while index < input.count {
            let byte = input[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
                index += 1
            } else if byte == UInt8(ascii: "%") {
                guard index + 2 < input.count, let high = hexValue(input[index + 1]),
                      let low = hexValue(input[index + 2])
                else { return nil }
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(byte)
                index += 1
            }
        }
        return String(validating: output, as: UTF8.self)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return byte - UInt8(ascii: "A") + 10
        default: return nil
        }
    }

    /// A size as S3 gives it: a JSON number; tolerates a numeric string from hand-made bodies.
    private static func integer(_ value: Any?) -> Int? {
        if let string = value as? String { return Int(string) }
        // `as? Int` on the NSNumber JSONSerialization makes succeeds only for whole numbers.
        return value as? Int
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is [Any]: return "a JSON array"
        case is [String: Any]: return "a JSON object"
        case is String: return "a JSON string"
        case is NSNull: return "null"
        case is NSNumber: return "a JSON number or boolean"
        default: return "an unexpected JSON value"
        }
    }

    private static func preview(_ text: String) -> String {
        let limit = 40
        let head = text.prefix(limit).map { $0.isNewline ? " " : String($0) }.joined()
        return quoted(head + (text.count > limit ? "…" : ""))
    }

    private static func quoted(_ text: String) -> String { "\"\(text)\"" }
}

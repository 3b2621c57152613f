import Foundation
import Testing
import VigilIngest
import VigilJSON

// `ConfigItemDiffer` and `ConfigItemMemory`: the configurationItemDiff AWS sends, computed from
// the previous item of the resource, in AWS's shape (the developer guide's notification examples:
// `changedProperties` keyed `Configuration.X`, `Relationships.N`, values with previousValue,
// updatedValue and changeType).

/// Normalizes `items` (JSON texts) in order through one memory, as a replay does, and returns
/// each event's detail.
private func details(_ items: [String], memory: ConfigItemMemory = ConfigItemMemory()) throws -> [[String: Any]] {
    var normalizer = EventNormalizer()
    var differ = ConfigItemDiffer()
    let context = LogFileContext(path: "history.json")
    var details: [[String: Any]] = []
    for (ordinal, item) in items.enumerated() {
        let bytes = Array(item.utf8)
        let json: [UInt8] = try bytes.withUnsafeBytes { raw in
            let record = LogRecord(kind: .config, bytes: raw, ordinal: ordinal, decodedOffset: 0)
            let envelope = try normalizer.normalize(record, context: context)
            differ.apply(to: envelope, memory: memory)
            var json: [UInt8] = []
            EnvelopeWriter.append(envelope, to: &json)
            // What the matcher reads must be what is written: the detail's members as noted.
            try envelope.withDetail { detail in
                let members = try #require(envelope.detailMembers)
                var keys: [String] = []
                members.forEach(in: detail) { key, _, _ in keys.append(String(decoding: key, as: UTF8.self)); return true }
                let parsed = try JSONMembers.read(detail).map(\.key)
                #expect(keys == parsed)
            }
            return json
        }
        try JSONValidator.validate(json)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json)) as? [String: Any])
        details.append(try #require(object["detail"] as? [String: Any]))
    }
    return details
}

private func changed(_ detail: [String: Any]) -> [String: [String: Any]]? {
    (detail["configurationItemDiff"] as? [String: Any])?["changedProperties"] as? [String: [String: Any]]
}

@Suite("AWS Config: configurationItemDiff")
struct ConfigDiffTests {
    @Test("PubliclyAccessible false then true: an UPDATE of Configuration.PubliclyAccessible, and nothing else")
    func publiclyAccessible() throws {
        let result = try details([rdsItem(), rdsItem(capture: "2026-11-20T09:40:00.000Z", publiclyAccessible: true)])
        #expect(result[0]["configurationItemDiff"] == nil, "the first item of a resource has no previous one")
        let diff = try #require(result[1]["configurationItemDiff"] as? [String: Any])
        #expect(diff["changeType"] as? String == "UPDATE")
        let properties = try #require(changed(result[1]))
        #expect(Array(properties.keys) == ["Configuration.PubliclyAccessible"])
        let change = try #require(properties["Configuration.PubliclyAccessible"])
        #expect(change["previousValue"] as? Bool == false)
        #expect(change["updatedValue"] as? Bool == true)
        #expect(change["changeType"] as? String == "UPDATE")
    }

    @Test("Array elements are properties by index, whole: a relationship added is a CREATE, one removed a DELETE")
    func relationships() throws {
        let second = #","relationships":[{"resourceId":"sg-0d8b3306c1a2b3c4d","resourceType":"AWS::EC2::SecurityGroup","name":"Is associated with SecurityGroup"},{"resourceId":"sg-1","resourceType":"AWS::EC2::SecurityGroup","name":"Is associated with SecurityGroup"}]"#
        let first = rdsItem().replacingOccurrences(of: #""relationships":[{"resourceId":"sg-0d8b3306c1a2b3c4d","resourceName":null,"#,
                                                   with: #""relationships":[{"resourceId":"sg-0d8b3306c1a2b3c4d","resourceName":null,"#)
        var later = rdsItem(capture: "2026-11-20T09:40:00.000Z")
        later = later.replacingOccurrences(of: #""relationships":[{"resourceId":"sg-0d8b3306c1a2b3c4d","resourceName":null,"resourceType":"AWS::EC2::SecurityGroup","name":"Is associated with SecurityGroup"}],"#, with: "")
        later.removeLast()
        later += second + "}"
        let result = try details([first, later, rdsItem(capture: "2026-11-20T09:50:00.000Z")])
        let added = try #require(changed(result[1]))
        #expect(added["Relationships.1"]?["changeType"] as? String == "CREATE")
        #expect(added["Relationships.1"]?["previousValue"] is NSNull)
        #expect(added["Relationships.0"]?["changeType"] as? String == "UPDATE", "resourceName null was dropped")
        let removed = try #require(changed(result[2]))
        #expect(removed["Relationships.1"]?["changeType"] as? String == "DELETE")
        #expect(removed["Relationships.1"]?["updatedValue"] is NSNull)
    }

    @Test("Nested objects are named by path, every name capitalized")
    func nestedNames() throws {
        let later = rdsItem(capture: "2026-11-20T09:40:00.000Z").replacingOccurrences(of: #""port":3306"#, with: #""port":3307"#)
        let result = try details([rdsItem(), later])
        #expect(changed(result[1])?.keys.sorted() == ["Configuration.Endpoint.Port"])
    }

    @Test("A resource discovered is a CREATE with no properties, as AWS sends; a deleted one a DELETE")
    func createdAndDeleted() throws {
        let result = try details([rdsItem(status: "ResourceDiscovered"),
                                  rdsItem(capture: "2026-11-20T09:50:00.000Z", status: "ResourceDeleted")])
        let created = try #require(result[0]["configurationItemDiff"] as? [String: Any])
        #expect(created["changeType"] as? String == "CREATE")
        #expect((created["changedProperties"] as? [String: Any])?.isEmpty == true)
        #expect((result[1]["configurationItemDiff"] as? [String: Any])?["changeType"] as? String == "DELETE")
    }

    @Test("An item no later than the one remembered (a snapshot repeating it, files out of order) gets no diff and changes nothing")
    func outOfOrder() throws {
        let result = try details([rdsItem(capture: "2026-11-20T09:40:00.000Z", publiclyAccessible: true),
                                  rdsItem(), rdsItem(capture: "2026-11-20T09:40:00.000Z", publiclyAccessible: true),
                                  rdsItem(capture: "2026-11-20T09:50:00.000Z")])
        #expect(result[1]["configurationItemDiff"] == nil)
        #expect(result[2]["configurationItemDiff"] == nil)
        #expect(changed(result[3])?["Configuration.PubliclyAccessible"]?["previousValue"] as? Bool == true)
    }

    @Test("Items captured within one second are told apart by their milliseconds")
    func milliseconds() throws {
        let result = try details([rdsItem(capture: "2026-11-20T09:31:02.120Z"),
                                  rdsItem(capture: "2026-11-20T09:31:02.480Z", publiclyAccessible: true)])
        #expect(changed(result[1])?["Configuration.PubliclyAccessible"] != nil)
    }

    @Test("Another account's resource of the same id is another resource")
    func accountsApart() throws {
        let result = try details([rdsItem(), rdsItem(capture: "2026-11-20T09:40:00.000Z", publiclyAccessible: true, account: "444455556666")])
        #expect(result[1]["configurationItemDiff"] == nil)
    }

    @Test("A notification's own diff is kept, and its item remembered for the next")
    func notificationDiffKept() throws {
        let notification = #"{"configurationItemDiff":{"changedProperties":{},"changeType":"UPDATE"},"configurationItem":"#
            + rdsItem(capture: "2026-11-20T09:40:00.000Z", publiclyAccessible: true)
            + #","notificationCreationTime":"2026-11-20T09:40:01.000Z","messageType":"ConfigurationItemChangeNotification","recordVersion":"1.3"}"#
        let result = try details([rdsItem(), notification, rdsItem(capture: "2026-11-20T09:50:00.000Z")])
        #expect(changed(result[1])?.isEmpty == true)
        #expect(changed(result[2])?["Configuration.PubliclyAccessible"]?["previousValue"] as? Bool == true)
    }

    @Test("The memory holds at most its bound of resources, forgetting the longest remembered first")
    func memoryBound() throws {
        var limits = ConfigItemMemory.Limits()
        limits.maximumResources = 10
        let memory = ConfigItemMemory(limits: limits)
        for index in 0..<25 {
            memory.remember(ConfigItemMemory.Remembered(captureTime: Int64(index), properties: Array(repeating: 1, count: 100)),
                            of: Array("r\(index)".utf8))
        }
        #expect(memory.count == 10)
        #expect(memory.item(of: Array("r24".utf8)) != nil)
        #expect(memory.item(of: Array("r14".utf8)) == nil)
        var byBytes = ConfigItemMemory.Limits()
        byBytes.maximumBytes = 1_000
        let small = ConfigItemMemory(limits: byBytes)
        for index in 0..<25 {
            small.remember(ConfigItemMemory.Remembered(captureTime: 1, properties: Array(repeating: 1, count: 100)), of: Array("r\(index)".utf8))
        }
        #expect(small.bytes <= 1_000)
        #expect(small.count >= 8, "a ring of 1,000 bytes holds 8 or 9 items of 102 bytes")
    }

    @Test("Items read back from the ring are the ones written, through many turns of it, and the newest are kept")
    func ringTurns() throws {
        var limits = ConfigItemMemory.Limits()
        limits.maximumBytes = 10_000
        let memory = ConfigItemMemory(limits: limits)
        var random = SystemRandomNumberGenerator()
        var latest: [String: [UInt8]] = [:]
        for step in 0..<2_000 {
            let key = "resource-\(step % 37)"
            let item = (0..<Int.random(in: 0...700, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            memory.remember(ConfigItemMemory.Remembered(captureTime: Int64(step), properties: item), of: Array(key.utf8))
            latest[key] = item
            #expect(memory.item(of: Array(key.utf8))?.properties == item)
        }
        #expect(memory.bytes <= 10_000)
        for (key, item) in latest {
            if let kept = memory.item(of: Array(key.utf8)) { #expect(kept.properties == item, "\(key)") }
        }
    }
}

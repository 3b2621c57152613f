import Foundation
import VigilJSON

/// The EventBridge call an alert sink makes: `PutEvents` to one bus, in the JSON 1.1 protocol,
/// with each entry's own result, so that only the entries that failed are tried again.
public final class EventBridgeClient: Sendable {
    /// Entries in one `PutEvents` request, at most (EventBridge's limit).
    public static let maximumEntries = 10
    /// The most the entries of one request may add up to, by `entrySize` (256 KiB).
    public static let maximumRequestBytes = 262_144

    private let client: AWSClient
    private let endpoint: AWSEndpoint

    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    /// One event to put.
    public struct Entry: Sendable {
        public let source: String
        public let detailType: String
        /// A JSON object, as text.
        public let detail: [UInt8]

        public init(source: String, detailType: String, detail: [UInt8]) {
            self.source = source
            self.detailType = detailType
            self.detail = detail
        }

        /// The size EventBridge counts for the entry: the UTF-8 bytes of `Source`, `DetailType`
        /// and `Detail` (no `Time` or `Resources` are sent).
        public var size: Int { source.utf8.count + detailType.utf8.count + detail.count }
    }

    /// What became of one entry: its event id, or the error EventBridge gave it.
    public enum EntryResult: Sendable, Equatable {
        case put(eventID: String)
        case failed(code: String, message: String)
    }

    /// Puts `entries` (at most `maximumEntries`) on `bus` (a name or an ARN); one result per
    /// entry, in order. Throws when the request as a whole failed.
    public func putEvents(bus: String, entries: [Entry]) throws(AWSServiceError) -> [EntryResult] {
        var body: [UInt8] = Array(#"{"Entries":["#.utf8)
        for (index, entry) in entries.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += Array(#"{"EventBusName":"#.utf8)
            JSONText.appendQuoted(Array(bus.utf8), to: &body)
            body += Array(#","Source":"#.utf8)
            JSONText.appendQuoted(Array(entry.source.utf8), to: &body)
            body += Array(#","DetailType":"#.utf8)
            JSONText.appendQuoted(Array(entry.detailType.utf8), to: &body)
            body += Array(#","Detail":"#.utf8)
            JSONText.appendQuoted(entry.detail, to: &body)
            body.append(UInt8(ascii: "}"))
        }
        body += Array("]}".utf8)
        let request = AWSRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, path: "/", headers: [
            ("Content-Type", "application/x-amz-json-1.1"), ("X-Amz-Target", "AWSEvents.PutEvents"),
        ], body: body)
        let operation = "PutEvents \(bus)"
        let response = try client.send(request, operation: operation)
        guard let answer = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any],
              let results = answer["Entries"] as? [[String: Any]], results.count == entries.count else {
            throw AWSServiceError(.other, status: response.status,
                                  message: "\(operation): the answer does not give one result per entry")
        }
        return results.map { result in
            if let code = result["ErrorCode"] as? String {
                return .failed(code: code, message: result["ErrorMessage"] as? String ?? "")
            }
            return .put(eventID: result["EventId"] as? String ?? "")
        }
    }
}

import Foundation

/// The SQS calls a consumer makes, in the JSON protocol (`AmazonSQS.ReceiveMessage`, …) that
/// current SDKs use: receive with a long poll, delete, change visibility, read the queue's
/// visibility timeout.
public final class SQSClient: Sendable {
    public let queueURL: String
    private let client: AWSClient
    private let endpoint: AWSEndpoint

    /// - Parameter endpoint: where requests go; nil: the queue URL's own scheme and host.
    public init?(queueURL: String, client: AWSClient, endpoint: AWSEndpoint? = nil) {
        guard let own = SQSClient.endpoint(ofQueueURL: queueURL) else { return nil }
        self.queueURL = queueURL
        self.client = client
        self.endpoint = endpoint ?? own
    }

    /// The scheme and host of a queue URL (`https://sqs.us-east-1.amazonaws.com/123456789012/name`).
    public static func endpoint(ofQueueURL text: String) -> AWSEndpoint? {
        guard let url = URL(string: text), let scheme = url.scheme, let host = url.host,
              url.pathComponents.filter({ $0 != "/" }).count == 2 else { return nil }
        return AWSEndpoint(scheme: scheme, host: url.port.map { "\(host):\($0)" } ?? host)
    }

    /// The region a queue URL names: `sqs.REGION.amazonaws.com` or the legacy `REGION.queue.amazonaws.com`.
    public static func region(ofQueueURL text: String) -> String? {
        guard let host = URL(string: text)?.host else { return nil }
        let labels = host.split(separator: ".").map(String.init)
        if labels.count >= 4, labels[0] == "sqs", labels[2] == "amazonaws" { return labels[1] }
        if labels.count >= 4, labels[1] == "queue", labels[2] == "amazonaws" { return labels[0] }
        return nil
    }

    /// Waits up to `waitSeconds` for up to `maximum` messages (1…10); an empty array when none came.
    public func receiveMessages(maximum: Int = 10, waitSeconds: Int = 20, isCancelled: () -> Bool = { false })
        throws(AWSServiceError) -> [SQSMessage] {
        let answer = try call("ReceiveMessage", [
            "QueueUrl": queueURL,
            "MaxNumberOfMessages": min(max(maximum, 1), 10),
            "WaitTimeSeconds": min(max(waitSeconds, 0), 20),
            "AttributeNames": ["ApproximateReceiveCount", "SentTimestamp"],
            "MessageSystemAttributeNames": ["ApproximateReceiveCount", "SentTimestamp"],
        ], isCancelled: isCancelled)
        guard let messages = answer["Messages"] as? [[String: Any]] else { return [] }
        return messages.compactMap { message in
            guard let id = message["MessageId"] as? String, let handle = message["ReceiptHandle"] as? String else { return nil }
            let attributes = message["Attributes"] as? [String: Any] ?? [:]
            let count = (attributes["ApproximateReceiveCount"] as? String).flatMap { Int($0) } ?? 1
            let sent = (attributes["SentTimestamp"] as? String).flatMap { Double($0) }.map { $0 / 1000 }
            return SQSMessage(messageID: id, receiptHandle: handle, body: message["Body"] as? String ?? "",
                              receiveCount: count, sentAt: sent)
        }
    }

    /// Deletes a message: it was processed and must not come back.
    public func deleteMessage(_ message: SQSMessage) throws(AWSServiceError) {
        _ = try call("DeleteMessage", ["QueueUrl": queueURL, "ReceiptHandle": message.receiptHandle])
    }

    /// Keeps `message` hidden from other consumers for `seconds` from now (0 makes it visible again).
    public func changeVisibility(of message: SQSMessage, seconds: Int) throws(AWSServiceError) {
        _ = try call("ChangeMessageVisibility", [
            "QueueUrl": queueURL, "ReceiptHandle": message.receiptHandle, "VisibilityTimeout": min(max(seconds, 0), 43_200),
        ])
    }

    /// The queue's default visibility timeout in seconds.
    public func visibilityTimeout() throws(AWSServiceError) -> Int {
        let answer = try call("GetQueueAttributes", ["QueueUrl": queueURL, "AttributeNames": ["VisibilityTimeout"]])
        let attributes = answer["Attributes"] as? [String: Any] ?? [:]
        return (attributes["VisibilityTimeout"] as? String).flatMap { Int($0) } ?? 30
    }

    private func call(_ action: String, _ parameters: [String: Any],
                      isCancelled: () -> Bool = { false }) throws(AWSServiceError) -> [String: Any] {
        let body: Data
        do {
            body = try JSONSerialization.data(withJSONObject: parameters)
        } catch {
            throw AWSServiceError(.other, message: "\(action): the request could not be encoded")
        }
        let request = AWSRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, path: "/", headers: [
            ("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.\(action)"),
        ], body: [UInt8](body))
        let response = try client.send(request, operation: "\(action) \(queueURL)", isCancelled: isCancelled)
        guard !response.body.isEmpty else { return [:] }
        return (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] ?? [:]
    }
}

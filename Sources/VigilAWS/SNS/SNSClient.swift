import Foundation

/// The SNS call an alert sink makes: `Publish` to a topic, in SNS's query protocol
/// (form-encoded parameters, XML answers), with string message attributes that subscription
/// filter policies can select on.
public final class SNSClient: Sendable {
    /// The most a message may be, attributes included: 256 KiB (262,144 bytes), SNS's limit.
    public static let maximumMessageBytes = 262_144
    private let client: AWSClient
    private let endpoint: AWSEndpoint

    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    /// How many bytes SNS counts for `message` with `attributes`: the message and every
    /// attribute's name, data type and value (SNS's rule for the 256 KiB limit).
    public static func billedSize(message: [UInt8], attributes: [(name: String, value: String)]) -> Int {
        attributes.reduce(message.count) { $0 + $1.name.utf8.count + "String".utf8.count + $1.value.utf8.count }
    }

    /// Publishes `message` to `topicARN` with `attributes` as String message attributes; returns
    /// the message id SNS gave it.
    @discardableResult
    public func publish(topicARN: String, message: [UInt8], attributes: [(name: String, value: String)]) throws(AWSServiceError) -> String {
        var form: [(String, String)] = [("Action", "Publish"), ("Version", "2010-03-31"), ("TopicArn", topicARN),
                                        ("Message", String(decoding: message, as: UTF8.self))]
        for (index, attribute) in attributes.enumerated() {
            let prefix = "MessageAttributes.entry.\(index + 1)."
            form += [(prefix + "Name", attribute.name), (prefix + "Value.DataType", "String"),
                     (prefix + "Value.StringValue", attribute.value)]
        }
        let body = form.map { "\(AWSPercentEncoding.encode($0.0))=\(AWSPercentEncoding.encode($0.1))" }.joined(separator: "&")
        let request = AWSRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, path: "/",
                                 headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                 body: Array(body.utf8))
        let response = try client.send(request, operation: "Publish \(topicARN)")
        return XMLElements(response.body).text("MessageId") ?? ""
    }
}

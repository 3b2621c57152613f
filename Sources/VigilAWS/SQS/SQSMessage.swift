/// A message received from a queue, with what is needed to delete it or keep it hidden.
public struct SQSMessage: Sendable, Equatable {
    public let messageID: String
    /// Names this receipt of the message: delete and visibility changes must use the latest one.
    public let receiptHandle: String
    public let body: String
    /// How many times the queue has handed the message out, this time included.
    public let receiveCount: Int
    /// When it was first sent, seconds since 1970.
    public let sentAt: Double?

    public init(messageID: String, receiptHandle: String, body: String, receiveCount: Int, sentAt: Double?) {
        self.messageID = messageID
        self.receiptHandle = receiptHandle
        self.body = body
        self.receiveCount = receiveCount
        self.sentAt = sentAt
    }
}

import VigilAWS

/// An SQS queue of S3 event notifications for `vigil tail --sqs`, and the S3 access to read the
/// objects it announces.
public struct QueueInput: Sendable {
    public var queue: SQSClient
    public var s3: S3Client
    /// Messages asked for per receive (1…10).
    public var maximumMessages = 10
    /// Seconds a receive waits for messages (long polling, 0…20).
    public var waitSeconds = 20
    /// Where the consumer's own threads report trouble (receiving, extending visibility).
    public var onNotice: @Sendable (String) -> Void = { StandardError.write("vigil tail: \($0)\n") }
    /// Told of what the consumer does (metrics).
    public var onEvent: (@Sendable (SQSConsumerEvent) -> Void)?

    public init(queue: SQSClient, s3: S3Client) {
        self.queue = queue
        self.s3 = s3
    }
}

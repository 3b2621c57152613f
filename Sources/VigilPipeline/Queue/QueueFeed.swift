import VigilAWS

/// The queue side of a tail: the consumer of `--sqs`, and the messages taken from it that the
/// tail's loop has yet to read.
///
/// Each message goes through `QueueMessageReading` — read, alert, commit, and only then delete —
/// one at a time, on the tail's loop, in the session of the moment. While the session is failing
/// the feed stops receiving and hands what it holds back to the queue at once, for the other
/// instances; on a stop it does the same and ends the consumer.
final class QueueFeed {
    let input: QueueInput
    let consumer: SQSConsumer
    /// Messages taken from the consumer and not read yet.
    private var pending: [SQSMessage] = []

    init(_ input: QueueInput) {
        self.input = input
        consumer = SQSConsumer(queue: input.queue, maximumMessages: input.maximumMessages,
                               waitSeconds: input.waitSeconds, onNotice: input.onNotice, onEvent: input.onEvent)
    }

    /// Reads the queue's visibility timeout and starts receiving; returns the line that says so.
    func start() throws(AWSServiceError) -> String {
        try consumer.start()
        return "consuming \(input.queue.queueURL) (visibility timeout \(consumer.visibilityTimeout) s)"
    }

    /// Reads the messages received so far, one at a time, each committed before it is deleted,
    /// until none is left or `isStopping` says so. A failure of the session releases the message it
    /// was reading and ends the turn.
    func readReady(in session: TailSession, output: TailOutput, isStopping: () -> Bool) throws(TailFailure) {
        pending += consumer.takeReady()
        let reading = QueueMessageReading(consumer: consumer, s3: input.s3, output: output)
        while !pending.isEmpty && !isStopping() {
            let message = pending.removeFirst()
            do throws(TailFailure) {
                try reading.read(message, in: session)
            } catch {
                consumer.release(message)
                throw error
            }
        }
    }

    /// The session failed: nothing is received until `resume`, and what is held goes back to the
    /// queue at once, for another instance.
    func pause() {
        consumer.setPaused(true)
        returnPending()
    }

    /// A session is running again.
    func resume() {
        consumer.setPaused(false)
    }

    /// The tail stops: receiving ends, and what is held goes back to the queue.
    func stop() {
        consumer.stop()
        returnPending()
    }

    private func returnPending() {
        for message in pending { consumer.returnToQueue(message) }
        pending = []
    }
}

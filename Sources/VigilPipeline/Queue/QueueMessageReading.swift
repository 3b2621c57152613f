import VigilAWS
import VigilIngest

/// The life of one queue message in a tail: its objects read straight from S3, their matches held
/// until the whole message is read, the alerts sent, the state committed, and only then the
/// message deleted.
///
/// A crash at any point before the delete leaves the message in the queue, to be received again
/// (by this instance or another) once its visibility timeout runs out; a process killed while
/// reading a large object has sent none of its alerts, and the consumer that reads it again sends
/// each once. The consumer's heartbeat keeps the message hidden while it is held. A message whose
/// object cannot be downloaded is released, with the error and how often the queue has handed it
/// out, and comes back after its visibility timeout; the queue's redrive policy ends one that
/// keeps failing. Test events and notifications of other changes are deleted.
///
/// A message that is no S3 notification may be an event itself: an EventBridge rule that targets
/// the queue, or an SNS topic of AWS Config or Security Hub notifications subscribed to it. Its
/// body is read as an input of its own, through the same readers as a file, and matched and
/// committed with the same delete-after-delivery guarantee. A body the readers make nothing of
/// (or only problems of) is left to the queue's redrive policy, as before.
struct QueueMessageReading {
    let consumer: SQSConsumer
    let s3: S3Client
    let output: TailOutput

    func read(_ message: SQSMessage, in session: TailSession) throws(TailFailure) {
        let objects: [S3ObjectReference]
        switch S3EventNotification.parse(message.body) {
        case .testEvent, .ignored:
            delete(message)
            return
        case .notAnS3Notification(let reason):
            if try readAsEvents(message, in: session) { return }
            output.notice("SQS message \(message.messageID) (received \(message.receiveCount) times) is neither an S3 "
                + "notification (\(reason)) nor an event Vigil reads; it is left to the queue's redrive policy")
            consumer.release(message)
            return
        case .objects(let announced):
            objects = announced
        }
        let metrics = session.metrics
        let cancellation = session.cancellation
        var held: [FoundMatch] = []
        var outcome = InputOutcome()
        for object in objects {
            let context = LogFileContext(path: object.url)
            if let reason = session.reasonToSkip(context) {
                outcome.add(.skipped(because: reason))
                continue
            }
            let bytes: S3ObjectBytes
            do {
                bytes = try S3ObjectBytes(downloading: object, from: s3, isCancelled: { cancellation.isCancelled })
            } catch {
                metrics?.metrics.s3Object(.failed)
                if !cancellation.isCancelled {
                    output.notice("SQS message \(message.messageID) (received \(message.receiveCount) times): \(error.message); "
                        + "it is read again after the queue's visibility timeout")
                }
                consumer.release(message)
                return
            }
            let read = session.readHeld(bytes.decodedInput(), context: context)
            held += read.matches
            outcome.add(read.outcome)
            if let failure = bytes.transferFailure, !cancellation.isCancelled {
                metrics?.metrics.s3Object(.failed)
                output.notice("SQS message \(message.messageID) (received \(message.receiveCount) times): the download of "
                    + "\(object.url) broke off (\(failure)); it is read again after the queue's visibility timeout")
                consumer.release(message)
                return
            }
            if outcome.wasCancelled || cancellation.isCancelled {
                // Stopping: back to the queue at once, for another instance.
                consumer.returnToQueue(message)
                return
            }
        }
        session.alert(held, of: outcome, source: "sqs")
        for _ in objects { metrics?.metrics.s3Object(.processed) }
        try session.commit()
        delete(message)
    }

    /// Reads `message`'s body as events. True when it held at least one and nothing in it was a
    /// problem: then its alerts are sent, the state committed and the message deleted. False
    /// (nothing sent) when it is not events after all, for the caller to release it.
    private func readAsEvents(_ message: SQSMessage, in session: TailSession) throws(TailFailure) -> Bool {
        // Named after the queue and message, so an alert says where its event came from.
        let context = LogFileContext(path: "\(consumer.queue.queueURL)#\(message.messageID)")
        let input = DecodedInput(bytes: Array(message.body.utf8), name: context.path)
        let read = session.readHeld(input, context: context)
        guard read.outcome.problems.isEmpty, read.outcome.recordsRead > 0 else { return false }
        session.alert(read.matches, of: read.outcome, source: "sqs")
        try session.commit()
        delete(message)
        return true
    }

    private func delete(_ message: SQSMessage) {
        do {
            try consumer.delete(message)
        } catch {
            // It comes back; its alerts are remembered as sent, so this instance does not send them again.
            output.notice("SQS message \(message.messageID) could not be deleted: \(error.message)")
        }
    }
}

import Foundation

/// Sends dead letters again: puts them back in the spool and takes them out of the dead-letter
/// file, so that the next webhook sink of their name delivers them.
///
/// Spooling commits before the file is rewritten, and both happen under the dead-letter file's
/// lock. A crash between the two leaves an alert in both places; redriving again then finds it
/// already pending (or already delivered) and only drops the line.
public enum DeadLetterRedrive {
    /// What a redrive did.
    public struct Summary: Sendable, Equatable {
        /// Dead letters put back in the spool.
        public var respooled = 0
        /// Dead letters dropped from the file without spooling: the alert is pending already, or
        /// its sink delivered it since.
        public var alreadyTaken = 0
        /// Lines left in the file because they cannot be read (their sink is unknown).
        public var unreadable = 0
    }

    /// Re-spools the dead letters of the sinks in `sinks` (all sinks when nil) and removes them
    /// from `file`.
    public static func redrive(
        sinks: Set<String>?, from file: DeadLetterFile, into spool: DeliverySpool, now: Date = Date()
    ) throws(DeadLetterError) -> Summary {
        var summary = Summary()
        try file.remove(where: { line in
            guard case .success(let letter) = line.letter else {
                summary.unreadable += 1
                return false
            }
            return sinks.map { $0.contains(letter.sink) } ?? true
        }, after: { (lines) throws(DeadLetterError) in
            let deliveries = lines.compactMap { try? $0.letter.get().pendingDelivery }
            do throws(StateError) {
                summary.respooled = try spool.enqueue(deliveries, now: now)
            } catch {
                throw DeadLetterError("The dead letters were left in place: \(error.description)")
            }
            summary.alreadyTaken = deliveries.count - summary.respooled
        })
        return summary
    }
}

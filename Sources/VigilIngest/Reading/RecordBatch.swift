import VigilJSON

/// A run of what a reader found in one input — records, problems, skips, in file order — copied
/// out of the reader's window, so that another thread can normalize and match them while the
/// reader reads on (a large input spread over cores: ARCHITECTURE.md, "Order and decisions").
///
/// A batch is a `RecordVisitor`: the reader hands it what it finds as it would hand it to the
/// pass that normalizes. `replay(into:with:)` later hands the same things, in the same order, to
/// that pass on whatever thread holds the batch; a record's bytes then lie in the batch, and its
/// member notes are taken up by the replayer's index. Records keep their ordinals and offsets, so
/// what the pass reports and counts equals what it would have from the reader itself.
///
/// Batches are reused: `removeAll()` keeps the room already allocated.
public final class RecordBatch: RecordVisitor, @unchecked Sendable {
    // @unchecked: a batch belongs to one thread at a time, handed over under a lock (the reader
    // fills it, a helper replays it, the reader takes it back to fill again); never shared.

    private enum Entry {
        case record(StoredRecord)
        case problem(InputProblem)
        case skip(SkipReason)
    }

    /// A record with its bytes and member notes as ranges of the batch's storage.
    private struct StoredRecord {
        let kind: LogRecord.Kind
        let bytes: Range<Int>
        let ordinal: Int
        let decodedOffset: Int
        /// Index in `formats`, or -1.
        let flowFormat: Int
        let ownerAccount: String?
        let members: Range<Int>?
        /// The member index's `compactLength`, which travels with the notes.
        let compactLength: Int?
        let logEvent: StoredLogEvent?
    }

    /// A CloudWatch Logs event whose `id` points into the batch's storage.
    private struct StoredLogEvent {
        let logGroup: String?
        let logStream: String?
        let id: Range<Int>?
        let timestamp: Int64?
        let placement: DatabaseAuditPlacement
    }

    private var entries: [Entry] = []
    private var bytes: [UInt8] = []
    private var notes: [Int] = []
    /// The flow formats of the batch's records, each once: a record names its format by index,
    /// since retaining the one format object shared by every record of a file on several threads
    /// at once made its reference count the slowest thing a spread flow read did.
    private var formats: [FlowLogFormat] = []
    /// Records held (entries less problems and skips).
    public private(set) var recordCount = 0

    public init() {}

    /// Bytes of records held.
    public var byteCount: Int { bytes.count }

    /// Whether nothing is held.
    public var isEmpty: Bool { entries.isEmpty }

    /// Empties the batch, keeping its room.
    public func removeAll() {
        entries.removeAll(keepingCapacity: true)
        bytes.removeAll(keepingCapacity: true)
        notes.removeAll(keepingCapacity: true)
        formats.removeAll(keepingCapacity: true)
        recordCount = 0
    }

    // MARK: - RecordVisitor: filled by the reader

    public func visit(_ record: LogRecord) {
        let start = bytes.count
        bytes.append(contentsOf: record.bytes)
        var members: Range<Int>?
        let compactLength = record.members?.compactLength
        if let index = record.members {
            let first = notes.count
            index.appendNotes(to: &notes)
            members = first..<notes.count
        }
        var logEvent: StoredLogEvent?
        if let event = record.logEvent {
            var id: Range<Int>?
            if let eventID = event.id {
                let idStart = bytes.count
                bytes.append(contentsOf: eventID)
                id = idStart..<bytes.count
            }
            logEvent = StoredLogEvent(logGroup: event.logGroup, logStream: event.logStream, id: id,
                                      timestamp: event.timestamp, placement: event.placement)
        }
        var format = -1
        if let flowFormat = record.flowFormat {
            if formats.isEmpty || formats[formats.count - 1] !== flowFormat { formats.append(flowFormat) }
            format = formats.count - 1
        }
        entries.append(.record(StoredRecord(kind: record.kind, bytes: start..<(start + record.bytes.count),
                                            ordinal: record.ordinal, decodedOffset: record.decodedOffset,
                                            flowFormat: format, ownerAccount: record.ownerAccount,
                                            members: members, compactLength: compactLength, logEvent: logEvent)))
        recordCount += 1
    }

    public func report(_ problem: InputProblem) {
        entries.append(.problem(problem))
    }

    public func skip(_ reason: SkipReason) {
        entries.append(.skip(reason))
    }

    // MARK: - Handing on

    /// Hands everything held to `visitor`, in the order it came, with what `replayer` (the
    /// thread's own) lends: a record's member notes are taken up by its index just before the
    /// record is handed on, so the index is valid, like the bytes, during that visit only; a flow
    /// record comes with the replayer's own copy of its format.
    public func replay<Visitor: RecordVisitor>(into visitor: inout Visitor, with replayer: BatchReplayer) {
        let members = replayer.members
        let formats = formats.map { replayer.ownCopy(of: $0) }
        bytes.withUnsafeBytes { storage in
            notes.withUnsafeBufferPointer { notes in
                for entry in entries {
                    switch entry {
                    case .record(let stored):
                        var index: ObjectMemberIndex?
                        if let range = stored.members {
                            members.takeNotes(UnsafeBufferPointer(rebasing: notes[range]), compactLength: stored.compactLength)
                            index = members
                        }
                        let logEvent = stored.logEvent.map { event in
                            CloudWatchLogEvent(logGroup: event.logGroup, logStream: event.logStream,
                                               id: event.id.map { UnsafeRawBufferPointer(rebasing: storage[$0]) },
                                               timestamp: event.timestamp, placement: event.placement)
                        }
                        visitor.visit(LogRecord(kind: stored.kind, bytes: UnsafeRawBufferPointer(rebasing: storage[stored.bytes]),
                                                ordinal: stored.ordinal, decodedOffset: stored.decodedOffset,
                                                flowFormat: stored.flowFormat >= 0 ? formats[stored.flowFormat] : nil,
                                                ownerAccount: stored.ownerAccount,
                                                members: index, logEvent: logEvent))
                    case .problem(let problem):
                        visitor.report(problem)
                    case .skip(let reason):
                        visitor.skip(reason)
                    }
                }
            }
        }
    }
}

/// What a thread replaying batches keeps from batch to batch (`RecordBatch.replay`): the member
/// index records are handed with, and its own copy of each flow format, so that the records of a
/// file do not retain and release one shared object from several threads at once.
public final class BatchReplayer {
    let members = ObjectMemberIndex()
    /// Each format seen, held so that its identity is not reused, with this thread's copy.
    private var copies: [(original: FlowLogFormat, copy: FlowLogFormat)] = []

    public init() {}

    func ownCopy(of format: FlowLogFormat) -> FlowLogFormat {
        if let found = copies.first(where: { $0.original === format }) { return found.copy }
        let copy = format.unsharedCopy()
        copies.append((format, copy))
        return copy
    }
}

import VigilJSON

/// Reads one decoded input and hands its records, in order, to a `RecordVisitor`.
///
/// The input's form is recognized by content (ARCHITECTURE.md), once, from its first bytes, by
/// `LogFormatRecognizer`, which tries each `LogFormatReader` it lists: a CloudTrail log file or
/// another object holding an array of records (streamed element by element, so a file of hundreds
/// of megabytes is never held whole), a bare array, JSON Lines, a stream of pretty-printed JSON
/// values, base64 CloudWatch Logs payloads, VPC flow log lines. Each form's reader lives in its own
/// file under `Formats/`; this class and its extensions here hold what they share: the window and
/// where reading is in it, lines and JSON values found in it however the input is cut, and the
/// hand-off of each record (validated strictly, classified, counted) to the visitor.
///
/// A bad record is reported with its offset and ordinal and skipped, and reading resumes at the
/// next record.
public final class LogFileReader {
    let window: DecodedWindow
    let path: String
    let limits: ReaderLimits
    /// Where reading is, in window offsets.
    var position = 0
    /// The start of the record being read, kept across refills; nil between records.
    var mark: Int?
    /// The ordinal the next record gets.
    var ordinal = 0
    var boundary = JSONValueBoundary()
    /// Room for records that are embedded as strings (lookup-events, CloudWatch Logs messages).
    var embedded: [UInt8] = []
    /// Where the members of the object last validated lie, handed on with its record.
    let memberIndex = ObjectMemberIndex()
    /// The range `readValue` returned last was validated (into `memberIndex`) as it was found.
    var lastValueIsValidated = false

    /// The input is read to where it ends now, but more may come (a file still being written):
    /// the unfinished end is held back rather than read or reported (see `endedEarly`).
    public let endIsProvisional: Bool
    private let cancellation: ReadCancellation?
    /// With `endIsProvisional`: the input ended before its last record was complete (a line
    /// without its newline, an array, object or record still open, a gzip stream cut inside a
    /// member, or too little to tell the format yet), so reading stopped before that record and
    /// nothing about the unfinished end was reported. Read the file again when it has grown.
    public private(set) var endedEarly = false
    /// The read stopped because `cancellation` was cancelled.
    public private(set) var wasCancelled = false

    /// A reader of `input`. `endIsProvisional`: the input may still grow (see `endedEarly`);
    /// records then get the same ordinals as in a later read of the longer input. `cancellation`
    /// stops the read early (checked as the window is refilled). `decodeAhead`: decode on a thread
    /// of its own while this one reads the records (see `DecodedWindow`), for large files when
    /// there is a core to spare; the records and problems are the same either way.
    ///
    /// The input belongs to the reader until `read(into:)` returns: only then may its offsets be
    /// looked at (with `decodeAhead`, another thread decodes it until then).
    public convenience init(input: DecodedInput, limits: ReaderLimits = ReaderLimits(), endIsProvisional: Bool = false,
                            cancellation: ReadCancellation? = nil, decodeAhead: Bool = false) {
        self.init(input: input, limits: limits, endIsProvisional: endIsProvisional, cancellation: cancellation,
                  aheadLayout: decodeAhead ? .standard : nil)
    }

    /// With `aheadLayout`, decodes ahead in a ring of that layout (tests use small ones).
    init(input: DecodedInput, limits: ReaderLimits = ReaderLimits(), endIsProvisional: Bool = false,
         cancellation: ReadCancellation? = nil, aheadLayout: DecodeAhead.Layout?) {
        window = DecodedWindow(input: input, ahead: aheadLayout)
        path = input.path
        self.limits = limits
        self.endIsProvisional = endIsProvisional
        self.cancellation = cancellation
    }

    /// Records consumed so far (handed out, or reported and skipped): the ordinal the next record
    /// gets. After a read that ended early, a later read resumes at this ordinal.
    public var recordsRead: Int { ordinal }

    /// Reads the whole input. Problems are reported to the visitor; nothing is thrown.
    public func read<Visitor: RecordVisitor>(into visitor: inout Visitor) {
        LogFormatRecognizer.read(self, into: &visitor)
        // Decode to the end even when the records are done (after a container's closing
        // bracket, say), so that a damaged gzip trailer or stream is still found and reported.
        mark = nil
        position = window.end
        while readMore() { position = window.end }
        // The input is the caller's again (a decode-ahead thread has ended).
        window.stopDecoding()
        // Damage found before a cancellation is still damage: it is reported either way.
        if var problem = window.inputProblem {
            if endIsProvisional && window.endedInsideMember {
                endedEarly = true
            } else {
                // The records decoded before the damage went on as they were found: holding them
                // until a checksum vouched for them would mean holding a whole gzip member (a whole
                // file, often), so the problem says they were read instead.
                if ordinal > 0 { problem.reason += "; the \(ListedProblems.grouped(ordinal)) records before it were read" }
                visitor.report(problem)
            }
        }
    }

    /// Whether the end just met is not the input's own: a provisional end, or a cancelled read.
    /// Notes a provisional one in `endedEarly`; the caller then stops without reporting or
    /// counting the unfinished record, so that it gets the next ordinal when it is complete.
    ///
    /// - Damage that is not a cut (a corrupt gzip member, a read error) is final: it does not
    ///   go away when the file grows, and is reported as in a final read.
    /// - A gzip stream cut inside a member (a file still being copied) is not final.
    /// - A gzip stream that ended after a whole member is taken as final: members are written
    ///   whole, so what one holds is complete (S3 log files often lack a last newline, and need
    ///   no waiting).
    func endIsNotFinal() -> Bool {
        if wasCancelled { return true }
        guard endIsProvisional else { return false }
        if window.inputProblem != nil {
            guard window.endedInsideMember else { return false }
        } else if window.encoding == .gzip {
            return false
        }
        endedEarly = true
        return true
    }

    /// Reports a problem that is the input ending inside something, unless that end is not final.
    func reportEnd<Visitor: RecordVisitor>(_ problem: InputProblem, into visitor: inout Visitor) {
        if endIsNotFinal() { return }
        visitor.report(problem)
    }

    /// The input has no content (nothing, whitespace, a byte order mark): an empty file, unless
    /// the end is not final (a file just created, whose first bytes are still to come).
    func skipEmpty<Visitor: RecordVisitor>(into visitor: inout Visitor) {
        guard window.inputProblem == nil, !endIsNotFinal() else { return }
        visitor.skip(.emptyFile)
    }

    // MARK: - Window mechanics

    /// Makes at least `count` bytes available from `position`, if the input has them.
    func ensure(_ count: Int) -> Bool {
        while window.end - position < count {
            guard readMore() else { return window.end - position >= count }
        }
        return true
    }

    /// Reads more input, keeping the bytes from the record being read (or from `position`).
    /// Returns false when no more bytes came.
    func readMore() -> Bool {
        if wasCancelled { return false }
        if let cancellation, cancellation.isCancelled {
            wasCancelled = true
            // Not a buffer more: a decode-ahead thread stops now, not at the end of the file.
            window.stopDecoding()
            return false
        }
        let keep = min(mark ?? position, position)
        let heldBefore = window.end - keep
        guard let shift = window.refill(keepingFrom: keep) else { return false }
        position -= shift
        if mark != nil { mark! -= shift }
        return window.end - (keep - shift) > heldBefore
    }

    /// Skips whitespace, reading more as needed; false at the end of the input.
    func skipWhitespace() -> Bool {
        while true {
            position = JSONBytes.skipWhitespace(window.bytes, from: position)
            if position < window.end { return true }
            guard readMore() else { return false }
        }
    }

    /// Reports the record starting at window offset `offset` as over the size limit, and counts it.
    func reportOversized<Visitor: RecordVisitor>(at offset: Int, what: String, into visitor: inout Visitor) {
        visitor.report(problem(.oversizedRecord, at: offset, record: ordinal,
                               reason: "\(what) larger than the record size limit of \(limits.maximumRecordSize) bytes"))
        ordinal += 1
    }

    func problem(_ kind: InputProblem.Kind, at offset: Int, record: Int? = nil, reason: String) -> InputProblem {
        InputProblem(kind, path: path, offset: window.decodedOffset(of: offset), record: record, reason: reason)
    }

    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }
}

/// One input's content as decoded bytes, whatever its stored encoding: a gzip file (single or
/// multi-member, as S3 delivers AWS logs) is inflated, anything else passes through unchanged.
///
/// Reading streams: one chunk buffer of stored bytes is reused for the whole input and decoded
/// bytes are written straight into the caller's buffer, so memory stays bounded (the chunk plus
/// zlib's 32 KiB window) whatever the file size. The encoding is recognized by the gzip magic bytes
/// `1f 8b`, never by the file name.
///
/// Measured (release build, 200 MB of CloudTrail-like JSON Lines gzipped at level 6, 256 KiB
/// destination): about 500 MB/s decoded, the same as a plain C loop over zlib's inflate and about
/// twice `gzip -dc`; the Swift layer adds nothing measurable.
///
/// Damage is reported as an `InputProblem` with the offset where it was found, after every byte
/// decoded before it has been delivered. Use from one thread at a time.
public final class DecodedInput {
    /// How the stored bytes are encoded.
    public enum Encoding: Sendable {
        /// Not gzip: the stored bytes are the content.
        case plain
        /// One or more concatenated gzip members.
        case gzip
    }

    /// Where a read stands.
    private enum State {
        case decoding
        /// Damage was found after a read had produced bytes; the next read throws this.
        case failing(InputProblem)
        /// The end of the input was reached or a problem was thrown; reads return 0.
        case finished
    }

    /// The path given to `init(path:)`, or the name given to `init(bytes:name:)`.
    public let path: String
    /// Known after the first read: gzip when the input starts with the magic bytes 1f 8b, else plain.
    public private(set) var encoding: Encoding?
    /// Stored (compressed) bytes consumed so far.
    public private(set) var fileOffset: Int = 0
    /// Decoded bytes delivered so far.
    public private(set) var decodedOffset: Int = 0
    /// Size of the stored input when known (fstat), for progress.
    public let storedSize: Int?
    /// The stored input ended inside a gzip member: the file is truncated, or still being
    /// written. (A tail waits for such a file instead of reporting it at once.)
    public private(set) var endedInsideMember = false

    /// The library that decodes gzip input.
    public let engine: GzipEngine
    private let stored: StoredInput
    /// Stored bytes read ahead of decoding. Allocated once and reused, so reading allocates nothing.
    private let chunk: UnsafeMutableRawBufferPointer
    /// The stored bytes in `chunk` not yet consumed: `chunkStart..<chunkEnd`.
    private var chunkStart = 0
    private var chunkEnd = 0
    /// The stored input has reported its end.
    private var storedEnded = false
    /// Created when the input turns out to be gzip; reset for each further member.
    private var inflater: GzipInflater?
    /// A gzip member has begun and its trailer has not been read yet.
    private var inMember = false
    private var state = State.decoding

    /// Opens `path`. Throws .unreadable InputProblem (with path) if it cannot be opened.
    ///
    /// - Parameter chunkSize: how many stored bytes are read from the file at a time. 256 KiB
    ///   keeps the number of `read` calls and zlib calls low without holding much memory.
    /// - Parameter storedLimit: read at most this many stored bytes, as if the file ended there
    ///   (a tail counting the records of the part of a file it was told to skip).
    /// - Parameter engine: the gzip decoder (ISA-L where installed, else zlib).
    public init(path: String, chunkSize: Int = 256 * 1024, storedLimit: Int? = nil,
                engine: GzipEngine = .preferred) throws(InputProblem) {
        self.engine = engine
        stored = try StoredInput(path: path, limit: storedLimit)
        self.path = path
        storedSize = stored.storedSize
        // At least two bytes: the gzip magic is looked at in the chunk.
        chunk = .allocate(byteCount: max(chunkSize, 2), alignment: 16)
    }

    /// Decodes bytes already in memory; `name` is used as the path in problems.
    public init(bytes: [UInt8], name: String, engine: GzipEngine = .preferred) {
        self.engine = engine
        stored = StoredInput(bytes: bytes, name: name)
        path = name
        storedSize = bytes.count
        // A CloudWatch Logs payload is small; no need for a chunk larger than the input.
        chunk = .allocate(byteCount: max(min(bytes.count, 256 * 1024), 2), alignment: 16)
    }

    /// Decodes bytes as `stream` delivers them (an S3 object while it downloads); `name` is used
    /// as the path in problems, `storedSize` for progress.
    public init(stream: any StoredByteStream, name: String, storedSize: Int?, chunkSize: Int = 256 * 1024,
                engine: GzipEngine = .preferred) {
        self.engine = engine
        stored = StoredInput(stream: stream, name: name, storedSize: storedSize)
        path = name
        self.storedSize = storedSize
        chunk = .allocate(byteCount: max(chunkSize, 2), alignment: 16)
    }

    deinit {
        chunk.deallocate()
    }

    /// Writes up to destination.count decoded bytes into `destination` and returns how many; 0 only
    /// at the end of the input (and after an error has been thrown). If damage is found after some
    /// bytes were produced in a call, that call returns those bytes and the NEXT call throws, so every
    /// byte decoded before the damage is delivered. After throwing once, further calls return 0.
    ///
    /// An empty `destination` returns 0 without reading.
    public func read(into destination: UnsafeMutableRawBufferPointer) throws(InputProblem) -> Int {
        switch state {
        case .finished:
            return 0
        case .failing(let problem):
            state = .finished
            throw problem
        case .decoding:
            break
        }
        guard destination.count > 0 else { return 0 }

        if encoding == nil {
            do {
                try fillChunk(toHold: 2)
            } catch {
                state = .finished
                throw error
            }
            encoding = startsWithGzipMagic() ? .gzip : .plain
        }
        let produced = encoding == .gzip ? inflate(into: destination) : passThrough(into: destination)
        decodedOffset += produced
        if produced == 0 {
            // Nothing delivered: either the end of the input, or damage to report now.
            if case .failing(let problem) = state {
                state = .finished
                throw problem
            }
            state = .finished
        }
        return produced
    }

    // MARK: Plain

    /// Copies what is left in the chunk (the bytes read to look for the magic), then reads the file
    /// straight into `destination`: a plain input is never copied twice.
    private func passThrough(into destination: UnsafeMutableRawBufferPointer) -> Int {
        var produced = 0
        let buffered = min(chunkEnd - chunkStart, destination.count)
        if buffered > 0 {
            destination.baseAddress!.copyMemory(from: chunk.baseAddress! + chunkStart, byteCount: buffered)
            chunkStart += buffered
            produced = buffered
        }
        if produced < destination.count && !storedEnded {
            do {
                let count = try stored.read(into: UnsafeMutableRawBufferPointer(rebasing: destination[produced...]))
                if count == 0 { storedEnded = true }
                produced += count
            } catch {
                state = .failing(error)
            }
        }
        fileOffset += produced
        return produced
    }

    // MARK: Gzip

    /// Inflates until `destination` is full, the input ends, or damage is found (recorded in
    /// `state` for `read` to throw once the bytes before it are delivered).
    private func inflate(into destination: UnsafeMutableRawBufferPointer) -> Int {
        var produced = 0
        while produced < destination.count {
            if !inMember {
                // At the start, or after a member's trailer: the input must end here or another
                // member must begin (`cat a.gz b.gz` is one valid gzip stream).
                do {
                    try fillChunk(toHold: 2)
                } catch {
                    state = .failing(error)
                    break
                }
                if chunkStart == chunkEnd { break }  // the end, after whole members
                if chunkEnd - chunkStart < 2 && storedEnded && chunk[chunkStart] == 0x1f {
                    // One byte of a next member's magic: maybe a member being appended.
                    endedInsideMember = true
                }
                guard startsWithGzipMagic() else {
                    state = .failing(problem(.corruptCompression, "unexpected bytes after the gzip stream"))
                    break
                }
                if let inflater {
                    inflater.reset()
                } else {
                    do {
                        inflater = try GzipInflater(path: path, engine: engine)
                    } catch {
                        state = .failing(error)
                        break
                    }
                }
                inMember = true
            }
            if chunkStart == chunkEnd && !storedEnded {
                do {
                    try refillChunk()
                } catch {
                    state = .failing(error)
                    break
                }
                continue
            }
            // With the stored input all consumed, this call only drains what the decoder still
            // holds: output it decoded from consumed input but had no room for (ISA-L holds tens of
            // KiB when the destination fills; zlib the rest of a match). Only when nothing is left
            // is the member cut short, so every byte before the cut is delivered, whatever the
            // destination sizes.
            let step = inflater!.inflate(
                from: UnsafeRawBufferPointer(rebasing: chunk[chunkStart..<chunkEnd]),
                into: UnsafeMutableRawBufferPointer(rebasing: destination[produced...]))
            chunkStart += step.consumed
            fileOffset += step.consumed
            produced += step.produced
            switch step.outcome {
            case .progressing:
                if step.consumed == 0 && step.produced == 0 {
                    if chunkStart == chunkEnd {
                        // The stored input ended inside the member, and nothing decoded is left.
                        endedInsideMember = true
                        state = .failing(problem(.corruptCompression, "gzip stream ends early (file truncated?)"))
                    } else {
                        // Both buffers had room, so the decoder must have moved; if not, stop rather than spin.
                        state = .failing(problem(.corruptCompression, "gzip decoding made no progress"))
                    }
                }
            case .memberEnded:
                inMember = false
            case .failed(let kind, let reason):
                state = .failing(problem(kind, reason))
            }
            if case .failing = state { break }
        }
        return produced
    }

    /// A problem at the current stored offset: where zlib stopped, or where the input ended.
    private func problem(_ kind: InputProblem.Kind, _ reason: String) -> InputProblem {
        InputProblem(kind, path: path, offset: fileOffset, in: .file, reason: reason)
    }

    // MARK: Chunk

    private func startsWithGzipMagic() -> Bool {
        chunkEnd - chunkStart >= 2 && chunk[chunkStart] == 0x1f && chunk[chunkStart + 1] == 0x8b
    }

    /// Reads until the chunk holds at least `count` unconsumed bytes or the input ends. Needed
    /// where a magic number may straddle two reads (short reads, members ending near a chunk's end).
    private func fillChunk(toHold count: Int) throws(InputProblem) {
        while chunkEnd - chunkStart < count && !storedEnded {
            try refillChunk()
        }
    }

    /// Moves the unconsumed bytes to the front of the chunk and reads more stored bytes after them.
    private func refillChunk() throws(InputProblem) {
        let pending = chunkEnd - chunkStart
        if chunkStart > 0 {
            if pending > 0 {
                chunk.baseAddress!.copyMemory(from: chunk.baseAddress! + chunkStart, byteCount: pending)
            }
            chunkStart = 0
            chunkEnd = pending
        }
        let count = try stored.read(into: UnsafeMutableRawBufferPointer(rebasing: chunk[chunkEnd...]))
        if count == 0 {
            storedEnded = true
        }
        chunkEnd += count
    }
}

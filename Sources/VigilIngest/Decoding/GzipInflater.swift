internal import CIsal
internal import CZlib

/// A gzip member decoder, decoding from a caller's input buffer straight into a caller's output
/// buffer: Intel ISA-L's igzip where it is installed (about twice zlib's speed on gzipped logs:
/// 885–944 MB/s against 411–448 MB/s on 200 MB of CloudTrail here), else zlib's inflate.
/// Which of them a process uses, and why, is `GzipEngineChoice.current`.
///
/// It knows nothing of files or offsets: each call reports how many bytes it consumed and produced
/// and whether the member ended or the data was bad, and `DecodedInput` turns that into offsets and
/// `InputProblem`s. Multi-member streams are handled by the caller with `reset()` after each
/// member's end, because only the caller can see whether the bytes that follow are another member.
final class GzipInflater {
    /// How a call to `inflate` ended.
    enum Outcome {
        /// More input or more output room is needed to go on.
        case progressing
        /// The member's trailer (CRC-32 and length) was read and checked.
        case memberEnded
        /// zlib refused the data or could not go on; decoding this input must stop.
        case failed(InputProblem.Kind, reason: String)
    }

    /// What one call to `inflate` did.
    struct Step {
        /// Input bytes zlib took.
        var consumed: Int
        /// Decoded bytes zlib wrote.
        var produced: Int
        var outcome: Outcome
    }

    /// ISA-L's state, when ISA-L decodes; else nil and `stream` does.
    private let isal: OpaquePointer?
    /// The zlib stream, on the heap: zlib keeps a pointer back to it in its state and refuses a
    /// stream that has moved (`inflateStateCheck`), so it must never live in a movable Swift value.
    private let stream: UnsafeMutablePointer<z_stream>

    /// Sets up the decoder for gzip. Throws `.unreadable` (with `path`) if it cannot start, which
    /// only happens when memory runs out or the zlib library is incompatible.
    init(path: String, engine: GzipEngine = .preferred) throws(InputProblem) {
        isal = engine == .isal ? vigil_isal_create() : nil
        stream = .allocate(capacity: 1)
        stream.initialize(to: z_stream())
        // windowBits 15 + 16: a 32 KiB window (the deflate maximum) and gzip framing only, so a raw
        // zlib or deflate stream is reported as corrupt rather than guessed at.
        // `inflateInit2` is a C macro, not imported by Swift; this is what it expands to.
        let status = inflateInit2_(stream, 15 + 16, zlibVersion(), CInt(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            stream.deinitialize(count: 1)
            stream.deallocate()
            throw InputProblem(.unreadable, path: path, reason: "zlib could not start decompressing: \(Self.describe(status, message: nil))")
        }
    }

    deinit {
        if let isal { vigil_isal_destroy(isal) }
        inflateEnd(stream)
        stream.deinitialize(count: 1)
        stream.deallocate()
    }

    /// Gets ready for the next member of a multi-member stream, keeping the allocated window.
    func reset() {
        if let isal {
            vigil_isal_reset(isal)
        } else {
            inflateReset(stream)
        }
    }

    /// Decodes from `input` into `output` until one of them runs out, the member ends, or the data
    /// is found bad. Bytes written before a failure are counted in `produced` and are valid output
    /// of the stream up to the damage.
    func inflate(from input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer) -> Step {
        if let isal { return inflateWithISAL(isal, from: input, into: output) }
        // zlib counts in 32-bit `uInt`; a larger buffer is simply used in part.
        let inputCount = min(input.count, Int(UInt32.max))
        let outputCount = min(output.count, Int(UInt32.max))
        // zlib's `next_in` is not `const` unless built with ZLIB_CONST; it never writes through it.
        stream.pointee.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.pointee.avail_in = uInt(inputCount)
        stream.pointee.next_out = output.baseAddress?.assumingMemoryBound(to: Bytef.self)
        stream.pointee.avail_out = uInt(outputCount)

        let status = CZlib.inflate(stream, Z_NO_FLUSH)

        let consumed = inputCount - Int(stream.pointee.avail_in)
        let produced = outputCount - Int(stream.pointee.avail_out)
        // Don't leave pointers into the caller's buffers behind.
        stream.pointee.next_in = nil
        stream.pointee.next_out = nil
        let outcome: Outcome
        switch status {
        case Z_OK, Z_BUF_ERROR:
            // Z_BUF_ERROR only says no progress was possible with the buffers given; the caller
            // sees consumed == produced == 0 and decides.
            outcome = .progressing
        case Z_STREAM_END:
            outcome = .memberEnded
        case Z_DATA_ERROR:
            outcome = .failed(.corruptCompression, reason: "corrupt gzip data: \(Self.describe(status, message: stream.pointee.msg))")
        case Z_MEM_ERROR:
            outcome = .failed(.unreadable, reason: "out of memory while decompressing")
        default:
            // Z_NEED_DICT cannot happen for gzip framing; Z_STREAM_ERROR would be a bug here. Either
            // way the input cannot be decoded further, and saying so beats trapping.
            outcome = .failed(.corruptCompression, reason: "gzip decoding failed: \(Self.describe(status, message: stream.pointee.msg))")
        }
        return Step(consumed: consumed, produced: produced, outcome: outcome)
    }

    private func inflateWithISAL(_ isal: OpaquePointer, from input: UnsafeRawBufferPointer,
                                 into output: UnsafeMutableRawBufferPointer) -> Step {
        var consumed = 0
        var produced = 0
        let outcome = vigil_isal_inflate(isal, input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                                         output.baseAddress?.assumingMemoryBound(to: UInt8.self), output.count,
                                         &consumed, &produced)
        switch outcome {
        case VIGIL_ISAL_MEMBER_ENDED:
            return Step(consumed: consumed, produced: produced, outcome: .memberEnded)
        case VIGIL_ISAL_FAILED:
            let message = String(cString: vigil_isal_error_message(isal))
            return Step(consumed: consumed, produced: produced, outcome: .failed(.corruptCompression, reason: "corrupt gzip data: \(message)"))
        default:
            return Step(consumed: consumed, produced: produced, outcome: .progressing)
        }
    }

    /// zlib's own message when it gave one (e.g. "incorrect data check"), else the status's meaning.
    private static func describe(_ status: CInt, message: UnsafeMutablePointer<CChar>?) -> String {
        if let message { return String(cString: message) }
        switch status {
        case Z_DATA_ERROR: return "invalid compressed data"
        case Z_MEM_ERROR: return "out of memory"
        case Z_VERSION_ERROR: return "incompatible zlib version"
        case Z_NEED_DICT: return "a preset dictionary is required"
        case Z_STREAM_ERROR: return "invalid stream state"
        default: return "zlib status \(status)"
        }
    }
}

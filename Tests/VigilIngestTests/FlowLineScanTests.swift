import Testing
@testable import VigilIngest

/// The word-at-a-time scans of a flow log line against byte-at-a-time references, on random
/// words drawn mostly from the bytes that matter (separators, their neighbours, zero, non-ASCII).
@Suite("Flow line scans eight bytes at a time")
struct FlowLineScanTests {
    static let alphabet: [UInt8] = [0x20, 0x09, 0x00, 0x21, 0x1F, 0x08, 0x0A, 0x29, 0x41, 0x30, 0x7F, 0x80, 0xA0, 0x89, 0xFF, 0x2D]

    /// xorshift, so that every run checks the same words.
    struct Random {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        mutating func next() -> UInt64 {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return state
        }
    }

    @Test func theLowestSeparatorIsFoundExactly() {
        var random = Random()
        for _ in 0..<200_000 {
            var bytes: [UInt8] = []
            for _ in 0..<8 {
                let pick = random.next()
                bytes.append(pick % 4 == 0 ? UInt8(truncatingIfNeeded: pick >> 8) : Self.alphabet[Int(pick >> 16) % Self.alphabet.count])
            }
            let word = bytes.withUnsafeBytes { UInt64(littleEndian: $0.loadUnaligned(as: UInt64.self)) }
            let expected = bytes.firstIndex { $0 == 0x20 || $0 == 0x09 }
            let bits = FlowLogLineWriter.separatorBits(word)
            #expect((bits == 0 ? nil : bits.trailingZeroBitCount >> 3) == expected, "\(bytes)")
        }
    }

    @Test func aLineIsASCIIExactlyWhenNoByteHasItsHighBit() {
        var random = Random()
        for length in 0..<40 {
            for _ in 0..<200 {
                var bytes = (0..<length).map { _ in UInt8(truncatingIfNeeded: random.next()) & 0x7F }
                #expect(bytes.withUnsafeBufferPointer(FlowLogLineWriter.isASCII))
                guard length > 0 else { continue }
                bytes[Int(random.next() % UInt64(length))] |= 0x80
                #expect(!bytes.withUnsafeBufferPointer(FlowLogLineWriter.isASCII), "\(bytes)")
            }
        }
    }

    /// Lines whose fields straddle the eight-byte words, separated by runs of spaces and tabs,
    /// give the fields a split on those bytes gives.
    @Test func linesSplitAsByteByByte() throws {
        var random = Random()
        var writer = FlowLogLineWriter()
        let format = FlowLogFormat.defaultV2
        for _ in 0..<2_000 {
            // Numbers without leading zeros (their spelling is kept), strings of any length.
            var fields = (0..<14).map { _ in "1" + String(repeating: "7", count: Int(random.next() % 17)) }
            fields[2] = "eni-" + String(repeating: "a", count: Int(random.next() % 12))
            fields[3] = "10.0.\(random.next() % 256).\(random.next() % 256)"
            fields[4] = "ü" + String(repeating: "b", count: Int(random.next() % 9))
            fields[12] = random.next() % 2 == 0 ? "ACCEPT" : "REJECT"
            fields[13] = "OK"
            var line = random.next() % 4 == 0 ? "  " : ""
            for (index, field) in fields.enumerated() {
                if index > 0 { line += [" ", "  ", "\t", " \t "][Int(random.next() % 4)] }
                line += field
            }
            if random.next() % 3 == 0 { line += " \t" }
            var seen: [String] = []
            try Array(line.utf8).withUnsafeBytes { bytes in
                _ = try writer.read(bytes, format: format)
                let everyField = (0..<Int32(format.fields.count)).map { $0 }
                everyField.withUnsafeBufferPointer { positions in
                    writer.forEachPresentField(bytes, format: format, at: positions) { _, _, value in
                        seen.append(String(decoding: value, as: UTF8.self))
                    }
                }
            }
            #expect(seen == fields, "\(line)")
        }
    }
}

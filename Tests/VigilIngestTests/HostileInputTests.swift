import Foundation
import Testing
@testable import VigilIngest

// Inputs made to exhaust memory: a few KB of gzip that decode to megabytes of one string or of
// whitespace, where the reader used to keep every byte while skipping them. Each is read inline
// and ahead (in a small ring, and the standard one), with a small record-size limit, and must
// keep the window within a few times that limit whatever the input's size, keep the good record
// before the hostile part, and report what it skipped with its offset and reason.

@Suite("Hostile inputs: skipping stays within the record-size limit in every framing")
struct HostileInputTests {
    static let limit = 64 << 10
    /// Far larger than the limit: a reader keeping it would show it in the window's capacity.
    static let hostileSize = 6 << 20
    static let layouts: [DecodeAhead.Layout?] = [nil, DecodeAheadTests.small, .standard]

    /// A hostile input, and what reading it must come to.
    struct Case: CustomStringConvertible {
        var name: String
        var bytes: [UInt8]
        /// The problems expected, in order.
        var problems: [InputProblem.Kind]
        /// The records expected besides the first (one after the hostile part).
        var recordsAfter = 0
        var description: String { name }
    }

    static let good = Fixture.cloudTrail(0)

    static func filler(_ byte: UInt8) -> [UInt8] { [UInt8](repeating: byte, count: hostileSize) }

    static let cases: [Case] = [
        Case(name: "a string element in an array of records",
             bytes: Array(("[" + good + #", ""#).utf8) + filler(UInt8(ascii: "x")) + Array((#"", "# + good + "]").utf8),
             problems: [.unrecognizedRecord], recordsAfter: 1),
        Case(name: "a string element in a CloudTrail log file",
             bytes: Array((#"{"Records":["# + good + #", ""#).utf8) + filler(UInt8(ascii: "x"))
                + Array((#""]}"#).utf8),
             problems: [.unrecognizedRecord]),
        Case(name: "an object followed by endless spaces",
             bytes: Array(good.utf8) + filler(UInt8(ascii: " ")),
             problems: []),
        Case(name: "an object followed by endless spaces, then another",
             bytes: Array(good.utf8) + filler(UInt8(ascii: " ")) + Array(good.utf8),
             problems: [], recordsAfter: 1),
        Case(name: "a line of JSON Lines holding a huge string",
             bytes: Array((good + "\n" + #"{"a":""#).utf8) + filler(UInt8(ascii: "x")) + Array(("\"}\n" + good + "\n").utf8),
             problems: [.oversizedRecord], recordsAfter: 1),
        Case(name: "a huge string line between objects one per line",
             bytes: Array((good + "\n\"").utf8) + filler(UInt8(ascii: "x")) + Array(("\"\n" + good).utf8),
             problems: [.oversizedRecord], recordsAfter: 1),
        Case(name: "a huge string between objects",
             bytes: Array((good + " \"").utf8) + filler(UInt8(ascii: "x")) + Array(("\"\n" + good).utf8),
             problems: [.malformedRecord, .oversizedRecord], recordsAfter: 1),
        Case(name: "a huge record in an array of records",
             bytes: Array(("[" + good + #", {"a":""#).utf8) + filler(UInt8(ascii: "x")) + Array((#""}, "# + good + "]").utf8),
             problems: [.oversizedRecord], recordsAfter: 1),
    ]

    @Test("Memory stays bounded and the good records are kept", arguments: cases, layouts)
    func bounded(input: Case, layout: DecodeAhead.Layout?) throws {
        let reader = LogFileReader(input: DecodedInput(bytes: Harness.gzip(input.bytes), name: "hostile.gz"),
                                   limits: ReaderLimits(maximumRecordSize: Self.limit), aheadLayout: layout)
        let ring = reader.window.decoder?.capacity ?? 0
        let (collector, largest) = Harness.readNotingLargestWindow(reader)
        #expect(collector.recordCount == 1 + input.recordsAfter)
        #expect(collector.problems.map(\.kind) == input.problems)
        for problem in collector.problems {
            #expect(problem.path == "hostile.gz")
            #expect(problem.offset != nil)
        }
        // The limit, with room for the inline window's read size (256 KiB) as it grows by doubling.
        #expect(largest <= ring + (2 << 20), "window grew to \(largest) bytes")
    }
}

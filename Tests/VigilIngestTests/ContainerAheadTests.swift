import Testing
@testable import VigilIngest

/// The members a reader passes over before a container's array (`{"fileVersion":…,
/// "configurationItems":[`) are validated, and looked for in a fixed prefix, so that what a file
/// gives never depends on how much of it the window happens to hold. fuzz-records-gzip found both:
/// a `{"fileVer` whose string ran over a newline for 30 KB gave a Config item when the whole file
/// was in the window and a malformed record when it was decoded ahead into 4 KiB buffers.
@Suite("What comes before a container's array")
struct ContainerAheadTests {
    static let small = DecodeAhead.Layout(buffers: 2, bufferSize: 4_096, headroom: 1_024)

    /// The same bytes gzipped and read whole, in a ring of 4 KiB buffers, and plain.
    static func reads(_ text: String) -> [Collector] {
        let gzip = Harness.gzip(Array(text.utf8))
        var whole = Collector()
        LogFileReader(input: DecodedInput(bytes: gzip, name: "input")).read(into: &whole)
        var ahead = Collector()
        LogFileReader(input: DecodedInput(bytes: gzip, name: "input"), aheadLayout: small).read(into: &ahead)
        return [whole, ahead, Harness.read(text)]
    }

    @Test("A key holding a raw newline is not passed over: the object is read whole and reported")
    func keyWithNewline() {
        let text = "{\"fileVer\nsion\":\"1.0\",\"configurationItems\":[" + rdsItem() + "]}"
        for read in Self.reads(text) {
            #expect(read.records.isEmpty)
            #expect(read.problems.map(\.kind) == [.malformedRecord])
        }
    }

    @Test("A string member running past the prefix gives the same records however the file is decoded")
    func longLeadingMember() {
        let text = "{\"fileVersion\":\"" + String(repeating: "1", count: 6_000) + "\",\"configurationItems\":["
            + rdsItem() + "," + rdsItem(capture: "2026-11-20T10:00:00.000Z") + "]}"
        let reads = Self.reads(text)
        for read in reads {
            #expect(read.problems.isEmpty)
            #expect(read.kinds == [.config, .config])
            #expect(read.records.map(\.text) == reads[0].records.map(\.text))
        }
    }

    @Test("The fuzzer's input: an unterminated key over many lines reads the same every way")
    func fuzzerInput() {
        var text = "{\n    \"fileVer"
        for index in 0..<300 {
            text += "2 111122223333 eni-0d83306ab12cd34ef 10.0.4.22 10.0.12.34 \(49_000 + index) 3306 6 14 4928 1795165801 1795165861 ACCEPT OK\n"
        }
        text += "\": \"1.0\", \"configurationItems\": [" + rdsItem() + "]}"
        let reads = Self.reads(text)
        for read in reads {
            #expect(read.records.isEmpty)
            #expect(read.problems.map(\.kind) == [.malformedRecord])
            #expect(read.problems.map(\.offset) == reads[0].problems.map(\.offset))
        }
    }
}

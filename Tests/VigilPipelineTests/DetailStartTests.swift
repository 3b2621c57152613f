import Foundation
import Testing
import VigilAlerts
import VigilIngest

/// `EnvelopeWriter` says where an event's `detail` starts, and key paths into the detail look
/// from there (`EventPath.value(in:detailStart:)`): every path must find what the walk from the
/// event's start finds.
@Suite("Key paths from the detail's start")
struct DetailStartTests {
    @Test("every leaf, object and array element of every sample event's detail, and paths outside it or missing")
    func sameValuesAsFromTheStart() throws {
        let paths = LazyEnvelopeDifferentialTests.sampleFiles
        var compared = 0
        for path in paths {
            var collector = LazyEnvelopeDifferentialTests.EventCollector(path: path)
            LogFileReader(input: try DecodedInput(path: path)).read(into: &collector)
            for (event, detailStart) in zip(collector.events, collector.detailStarts) {
                let detailStart = try #require(detailStart, "\(path): an envelope Vigil writes has its detail's start")
                #expect(event[detailStart] == UInt8(ascii: "{"))
                let object = try #require(try JSONSerialization.jsonObject(with: Data(event)) as? [String: Any])
                var texts = ["$.detail", "detail", "$.source", "$.resources[0]", "$.detail.no-such-member", "$.detail[0]", "$"]
                Self.paths(of: object["detail"] as Any, under: "$.detail", into: &texts)
                try event.withUnsafeBytes { bytes in
                    for text in texts {
                        let eventPath = try EventPath(text)
                        #expect(eventPath.value(in: bytes, detailStart: detailStart) == eventPath.value(in: bytes), "\(text)")
                        compared += 1
                    }
                }
            }
        }
        #expect(compared > 10_000)
    }

    /// Every value's path under `prefix`, members in brackets as JSON strings (any name can be written so).
    static func paths(of value: Any, under prefix: String, into texts: inout [String]) {
        texts.append(prefix)
        if let object = value as? [String: Any] {
            for (key, member) in object {
                let quoted = String(decoding: try! JSONSerialization.data(withJSONObject: key, options: .fragmentsAllowed), as: UTF8.self)
                paths(of: member, under: prefix + "[" + quoted + "]", into: &texts)
            }
        } else if let array = value as? [Any] {
            for (index, element) in array.enumerated().prefix(3) { paths(of: element, under: prefix + "[\(index)]", into: &texts) }
        }
    }
}

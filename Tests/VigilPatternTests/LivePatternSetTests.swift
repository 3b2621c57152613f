import Testing
import VigilPattern

/// Patterns added to and removed from a live set take effect for matchers made afterwards,
/// and concurrent readers always see a whole set.
@Suite("LivePatternSet")
struct LivePatternSetTests {
    let event = #"{"source":"aws.rds","detail":{"eventName":"DeleteDBInstance"}}"#

    @Test func addingAndRemovingChangesWhatMatches() throws {
        let live = LivePatternSet()
        #expect(try live.current.matchingNames(json: event) == [])
        live.insert(name: "rds", pattern: try EventPattern(json: #"{"source":["aws.rds"]}"#))
        live.insert(name: "delete", pattern: try EventPattern(json: #"{"detail":{"eventName":[{"prefix":"Delete"}]}}"#))
        #expect(try live.current.matchingNames(json: event) == ["rds", "delete"])
        live.insert(name: "rds", pattern: try EventPattern(json: #"{"source":["aws.ec2"]}"#))
        #expect(try live.current.matchingNames(json: event) == ["delete"])
        #expect(live.remove(name: "delete"))
        #expect(!live.remove(name: "delete"))
        #expect(try live.current.matchingNames(json: event) == [])
    }

    @Test func readersSeeWholeSetsWhileWritersChangeThem() async throws {
        let live = LivePatternSet()
        let patterns = try (0..<50).map { ("p\($0)", try EventPattern(json: #"{"source":["aws.rds"]}"#)) }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for round in 0..<20 {
                    live.replaceAll(with: round.isMultiple(of: 2) ? patterns : [])
                }
            }
            for _ in 0..<2 {
                group.addTask {
                    for _ in 0..<200 {
                        let count = (try? live.current.matchingNames(json: event).count) ?? -1
                        #expect(count == 0 || count == 50)
                    }
                }
            }
        }
    }
}

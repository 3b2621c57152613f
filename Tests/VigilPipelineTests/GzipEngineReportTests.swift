import Foundation
import Testing
import VigilIngest

/// `vigil --version` and the replay summary say which gzip decoder runs and why, on the built binary.
@Suite struct GzipEngineReportTests {
    /// What this machine gives when zlib is not requested.
    static var unrequested: String {
        GzipEngine.available.contains(.isal) ? "gzip: ISA-L (libisal.so.2)" : "gzip: zlib (libisal.so.2 not found)"
    }

    @Test func versionNamesTheGzipDecoderAndWhy() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        for (environment, expected) in [("", Self.unrequested), ("zlib", "gzip: zlib (VIGIL_INFLATE=zlib)")] {
            let run = try VigilProcess(vigil, ["--version"], outputIn: scratch, label: "version\(environment)",
                                       environment: ["VIGIL_INFLATE": environment])
            #expect(run.waitForExit(within: 20) == 0, "\(run.errorOutput)")
            let lines = try String(contentsOf: run.standardOutput, encoding: .utf8).split(separator: "\n").map(String.init)
            #expect(lines.count == 2, "\(lines)")
            #expect(lines.first?.hasPrefix("vigil ") == true)
            #expect(lines.last == expected)
        }
    }

    @Test func theReplaySummaryNamesTheGzipDecoder() throws {
        let vigil = try VigilExecutable.url()
        let scratch = try PipelineFixtures.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: scratch) }
        let run = try VigilProcess(vigil, ["replay", "--rules", PipelineFixtures.rules, PipelineFixtures.sampleLogs],
                                   outputIn: scratch, label: "replay", environment: ["VIGIL_INFLATE": "zlib"])
        #expect(run.waitForExit(within: 30) == 0, "\(run.errorOutput)")
        #expect(run.errorOutput.split(separator: "\n").contains("  gzip: zlib (VIGIL_INFLATE=zlib)"), "\(run.errorOutput)")
    }
}

import Foundation
import Testing
import VigilIngest

// Which gzip decoder a process uses and why (`GzipEngineChoice`), and the ISA-L declarations the
// C layer carries (Sources/CIsal/igzip_inflate.h) against the header of the installed library.

@Suite("Gzip engine: chosen at run time, and said why")
struct GzipEngineChoiceTests {
    @Test("ISA-L when its library opens, zlib when it does not or when VIGIL_INFLATE=zlib asks")
    func decision() {
        let isal = GzipEngineChoice.decide(requested: nil, library: "libisal.so.2", libraryOpens: true)
        #expect(isal.engine == .isal)
        #expect(isal.description == "gzip: ISA-L (libisal.so.2)")

        let missing = GzipEngineChoice.decide(requested: nil, library: "libisal.so.2", libraryOpens: false)
        #expect(missing.engine == .zlib)
        #expect(missing.description == "gzip: zlib (libisal.so.2 not found)")

        var asked = false
        let requested = GzipEngineChoice.decide(requested: "zlib", library: "libisal.so.2",
                                                libraryOpens: { asked = true; return true }())
        #expect(requested.engine == .zlib)
        #expect(requested.description == "gzip: zlib (VIGIL_INFLATE=zlib)")
        #expect(!asked, "with zlib requested, the library is not opened")

        // Only "zlib" is a request; anything else leaves the choice to the library.
        #expect(GzipEngineChoice.decide(requested: "isal", library: "libisal.so.2", libraryOpens: true).engine == .isal)
        #expect(GzipEngineChoice.decide(requested: "", library: "libisal.so.2", libraryOpens: false).engine == .zlib)
    }

    @Test("This process's choice follows its environment and what the machine has")
    func current() {
        let choice = GzipEngineChoice.current
        #expect(GzipEngine.preferred == choice.engine)
        if ProcessInfo.processInfo.environment["VIGIL_INFLATE"] == "zlib" {
            #expect(choice.reason == .zlibRequested)
        } else if GzipEngine.available.contains(.isal) {
            #expect(choice.engine == .isal && choice.reason == .libraryOpened("libisal.so.2"))
        } else {
            #expect(choice.engine == .zlib && choice.reason == .libraryNotFound("libisal.so.2"))
        }
    }

    /// The vendored header, and an installed one to hold it against.
    static let vendored = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Sources/CIsal/igzip_inflate.h").path
    static let installed = "/usr/include/isa-l/igzip_lib.h"
    static let compiler = "/usr/bin/cc"
    static var canCompare: Bool {
        FileManager.default.fileExists(atPath: installed) && FileManager.default.isExecutableFile(atPath: compiler)
    }

    @Test("The vendored struct inflate_state and constants are the installed header's, member by member",
          .enabled(if: canCompare, "needs libisal-dev's header and a C compiler"))
    func layoutMatchesTheInstalledHeader() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-isal-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("layout.c")
        try Data(Self.layoutProgram.utf8).write(to: source)
        let fromInstalled = try Self.compileAndRun(source, header: "<isa-l/igzip_lib.h>", in: directory)
        let fromVendored = try Self.compileAndRun(source, header: "\"\(Self.vendored)\"", in: directory)
        #expect(fromInstalled.contains("size "), "\(fromInstalled)")
        #expect(fromVendored == fromInstalled)
    }

    /// Prints the size and alignment of `struct inflate_state`, every member's offset and size, and
    /// the value of every constant the C layer uses.
    static let layoutProgram = #"""
        #include <stddef.h>
        #include <stdio.h>
        #include HEADER
        #define MEMBER(m) printf(#m " %zu %zu\n", offsetof(struct inflate_state, m), sizeof(((struct inflate_state *)0)->m));
        #define CONSTANT(c) printf(#c " %d\n", (int)(c));
        int main(void) {
            printf("size %zu align %zu\n", sizeof(struct inflate_state), _Alignof(struct inflate_state));
            MEMBER(next_out) MEMBER(avail_out) MEMBER(total_out) MEMBER(next_in) MEMBER(read_in)
            MEMBER(avail_in) MEMBER(read_in_length) MEMBER(lit_huff_code) MEMBER(dist_huff_code)
            MEMBER(block_state) MEMBER(dict_length) MEMBER(bfinal) MEMBER(crc_flag) MEMBER(crc)
            MEMBER(hist_bits) MEMBER(type0_block_len) MEMBER(count) MEMBER(dict_id)
            MEMBER(write_overflow_lits) MEMBER(write_overflow_len) MEMBER(copy_overflow_length)
            MEMBER(copy_overflow_distance) MEMBER(wrapper_flag) MEMBER(tmp_in_size) MEMBER(tmp_out_valid)
            MEMBER(tmp_out_processed) MEMBER(tmp_in_buffer) MEMBER(tmp_out_buffer)
            CONSTANT(ISAL_GZIP) CONSTANT(ISAL_BLOCK_FINISH) CONSTANT(ISAL_DECOMP_OK) CONSTANT(ISAL_END_INPUT)
            CONSTANT(ISAL_OUT_OVERFLOW) CONSTANT(ISAL_INCORRECT_CHECKSUM) CONSTANT(ISAL_UNSUPPORTED_METHOD)
            CONSTANT(ISAL_INVALID_WRAPPER) CONSTANT(ISAL_INVALID_BLOCK) CONSTANT(ISAL_INVALID_SYMBOL)
            CONSTANT(ISAL_INVALID_LOOKBACK)
            return 0;
        }
        """#

    /// Compiles `source` with `HEADER` defined as `header`, runs it, and returns what it printed.
    static func compileAndRun(_ source: URL, header: String, in directory: URL) throws -> String {
        let binary = directory.appendingPathComponent("layout-\(UUID().uuidString)").path
        let compile = try run(compiler, ["-DHEADER=\(header)", source.path, "-o", binary])
        #expect(compile.status == 0, "\(compile.output)")
        return try run(binary, []).output
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}

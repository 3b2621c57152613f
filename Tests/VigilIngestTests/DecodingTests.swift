import Foundation
import Testing
import VigilIngest

// Fixtures are made at test time: text from a seeded generator, gzip from zlib's deflate (the same
// library gzip(1) uses), damage by editing bytes. Nothing is read from the network or the repo.

@Suite("Decoding: gzip and plain inputs")
struct DecodingTests {
    // MARK: Round trips

    @Test("A plain file passes through unchanged, whatever the destination size", arguments: [4096, 1 << 20])
    func plainRoundTrip(bufferSize: Int) throws {
        let text = Self.text(bytes: 3 << 20, seed: 1)
        try Self.withDirectory { directory in
            let path = try Self.write(text, to: directory, name: "flow.log")
            let input = try DecodedInput(path: path)
            #expect(input.storedSize == text.count)
            let result = Self.readAll(input, bufferSize: bufferSize)
            #expect(result.problem == nil)
            #expect(result.bytes == text)
            #expect(input.encoding == .plain)
            #expect(input.fileOffset == text.count)
            #expect(input.decodedOffset == text.count)
        }
    }

    @Test("A gzip file decodes to the original bytes, whatever the destination size and engine",
          arguments: [4096, 1 << 20], GzipEngine.available)
    func gzipRoundTrip(bufferSize: Int, engine: GzipEngine) throws {
        let text = Self.text(bytes: 3 << 20, seed: 2)
        let compressed = Harness.gzip(text)
        try Self.withDirectory { directory in
            // The name says nothing: the magic bytes decide.
            let path = try Self.write(compressed, to: directory, name: "records.json")
            let input = try DecodedInput(path: path, engine: engine)
            #expect(input.encoding == nil)
            #expect(input.storedSize == compressed.count)
            let result = Self.readAll(input, bufferSize: bufferSize)
            #expect(result.problem == nil)
            #expect(result.bytes == text)
            #expect(input.encoding == .gzip)
            #expect(input.fileOffset == compressed.count)
            #expect(input.decodedOffset == text.count)
        }
    }

    @Test("One byte at a time, through tiny chunks, still decodes every byte", arguments: GzipEngine.available)
    func oneByteDestination(engine: GzipEngine) throws {
        let text = Self.text(bytes: 150_000, seed: 3)
        let compressed = Harness.gzip(text)
        try Self.withDirectory { directory in
            let gzipPath = try Self.write(compressed, to: directory, name: "a.gz")
            let plainPath = try Self.write(text, to: directory, name: "a.txt")
            for chunkSize in [2, 7, 256 * 1024] {
                let gzip = Self.readAll(try DecodedInput(path: gzipPath, chunkSize: chunkSize, engine: engine), bufferSize: 1)
                #expect(gzip.problem == nil)
                #expect(gzip.bytes == text)
            }
            let plain = Self.readAll(try DecodedInput(path: plainPath, chunkSize: 7), bufferSize: 1)
            #expect(plain.problem == nil)
            #expect(plain.bytes == text)
        }
    }

    @Test("Concatenated gzip members decode as one stream", arguments: GzipEngine.available)
    func multiMember(engine: GzipEngine) throws {
        let parts = [Self.text(bytes: 300_000, seed: 4), [], Self.text(bytes: 1, seed: 5), Self.text(bytes: 200_000, seed: 6)]
        let compressed = parts.flatMap { Harness.gzip($0) }
        let expected = parts.flatMap { $0 }
        try Self.withDirectory { directory in
            let path = try Self.write(compressed, to: directory, name: "cat.gz")
            // Small and odd chunk sizes put member boundaries, and their magic bytes, across reads.
            for (chunkSize, bufferSize) in [(2, 4096), (3, 1 << 20), (7, 4096), (4096, 100), (256 * 1024, 1 << 20)] {
                let input = try DecodedInput(path: path, chunkSize: chunkSize, engine: engine)
                let result = Self.readAll(input, bufferSize: bufferSize)
                #expect(result.problem == nil, "chunk \(chunkSize)")
                #expect(result.bytes == expected, "chunk \(chunkSize)")
                #expect(input.fileOffset == compressed.count)
            }
        }
    }

    @Test("A gzip header with a file name (as gzip(1) writes) is accepted", arguments: GzipEngine.available)
    func headerWithFileName(engine: GzipEngine) {
        let text = Self.text(bytes: 10_000, seed: 7)
        var compressed = Harness.gzip(text)
        compressed[3] |= 0x08  // FLG.FNAME
        compressed.insert(contentsOf: Array("CloudTrail_2024.json\0".utf8), at: 10)
        let result = Self.readAll(DecodedInput(bytes: compressed, name: "named", engine: engine), bufferSize: 4096)
        #expect(result.problem == nil)
        #expect(result.bytes == text)
    }

    // MARK: Damage

    @Test("A truncated gzip file delivers an exact prefix, then reports where the input ended", arguments: GzipEngine.available)
    func truncated(engine: GzipEngine) throws {
        let text = Self.text(bytes: 400_000, seed: 8)
        let compressed = Harness.gzip(text)
        let n = compressed.count
        let cuts = [2, 3, 5, 9, 10, 11, 20, n / 3, n / 2, n - 9, n - 8, n - 5, n - 1]
        try Self.withDirectory { directory in
            for cut in cuts {
                let path = try Self.write(Array(compressed[..<cut]), to: directory, name: "cut-\(cut).gz")
                for bufferSize in [4096, 1 << 20] {
                    let input = try DecodedInput(path: path, engine: engine)
                    let result = Self.readAll(input, bufferSize: bufferSize)
                    #expect(input.encoding == .gzip)
                    #expect(text.starts(with: result.bytes), "cut \(cut)")
                    let problem = try #require(result.problem, "cut \(cut)")
                    #expect(problem.kind == .corruptCompression)
                    #expect(problem.path == path)
                    #expect(problem.offset == cut)
                    #expect(problem.offsetSpace == .file)
                    #expect(problem.reason == "gzip stream ends early (file truncated?)")
                    #expect(input.decodedOffset == result.bytes.count)
                }
            }
        }
    }

    @Test("The bytes before damage come first; the next read throws; then reads return 0", arguments: GzipEngine.available)
    func deferredProblem(engine: GzipEngine) throws {
        let text = Self.text(bytes: 100_000, seed: 9)
        let compressed = Array(Harness.gzip(text).dropLast(4))
        let input = DecodedInput(bytes: compressed, name: "short.gz", engine: engine)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        let first = try input.read(into: buffer)
        #expect(first == text.count)
        #expect(Array(UnsafeRawBufferPointer(rebasing: buffer[..<first])) == text)
        #expect(throws: InputProblem.self) { try input.read(into: buffer) }
        #expect(try input.read(into: buffer) == 0)
        #expect(try input.read(into: buffer) == 0)
    }

    @Test("A damaged byte in the compressed data is reported, not trapped on", arguments: GzipEngine.available)
    func corruptedByte(engine: GzipEngine) {
        let text = Self.text(bytes: 400_000, seed: 10)
        let compressed = Harness.gzip(text)
        for position in [2, 10, 200, compressed.count / 2, compressed.count - 20] {
            var damaged = compressed
            damaged[position] ^= 0x5a
            let result = Self.readAll(DecodedInput(bytes: damaged, name: "damaged.gz", engine: engine), bufferSize: 64 * 1024)
            let problem = result.problem
            #expect(problem?.kind == .corruptCompression, "byte \(position)")
            #expect(problem?.path == "damaged.gz")
            #expect((problem?.offset).map { $0 <= damaged.count } == true, "byte \(position)")
            #expect(problem?.reason.hasPrefix("corrupt gzip data: ") == true, "byte \(position)")
        }
    }

    @Test("A wrong CRC-32 or length in the trailer is reported after all the data", arguments: GzipEngine.available)
    func badTrailer(engine: GzipEngine) {
        let text = Self.text(bytes: 200_000, seed: 11)
        let compressed = Harness.gzip(text)
        // ISA-L reports a wrong length as a failed check too, without telling which.
        let lengthMessage = engine == .zlib ? "incorrect length check" : "incorrect data check"
        for (position, message) in [(compressed.count - 6, "incorrect data check"), (compressed.count - 2, lengthMessage)] {
            var damaged = compressed
            damaged[position] ^= 0x01
            let result = Self.readAll(DecodedInput(bytes: damaged, name: "trailer.gz", engine: engine), bufferSize: 1 << 20)
            #expect(result.bytes == text)
            #expect(result.problem?.kind == .corruptCompression)
            #expect(result.problem?.reason == "corrupt gzip data: \(message)")
            #expect(result.problem?.offsetSpace == .file)
        }
    }

    @Test("Bytes after the last member that are not another member are reported", arguments: [
        Array("garbage\n".utf8), [0x1f], [0x00, 0x00, 0x00, 0x00], [0x8b, 0x1f],
    ], GzipEngine.available)
    func trailingGarbage(trailer: [UInt8], engine: GzipEngine) {
        let text = Self.text(bytes: 50_000, seed: 12)
        let compressed = Harness.gzip(text)
        let result = Self.readAll(DecodedInput(bytes: compressed + trailer, name: "trailing.gz", engine: engine), bufferSize: 4096)
        #expect(result.bytes == text)
        #expect(result.problem?.kind == .corruptCompression)
        #expect(result.problem?.offset == compressed.count)
        #expect(result.problem?.reason == "unexpected bytes after the gzip stream")
    }

    @Test("A second member with gzip magic but a bad header is corrupt", arguments: GzipEngine.available)
    func badSecondHeader(engine: GzipEngine) {
        let text = Self.text(bytes: 50_000, seed: 13)
        let compressed = Harness.gzip(text)
        let result = Self.readAll(DecodedInput(bytes: compressed + [0x1f, 0x8b, 0x07, 0, 0, 0, 0, 0, 0, 0, 1, 2], name: "x.gz",
                                               engine: engine),
                                  bufferSize: 4096)
        #expect(result.bytes == text)
        #expect(result.problem?.kind == .corruptCompression)
        #expect(result.problem?.reason == "corrupt gzip data: unknown compression method")
    }

    // MARK: Edge inputs

    @Test("A zero-byte file is plain and empty")
    func emptyFile() throws {
        try Self.withDirectory { directory in
            let input = try DecodedInput(path: try Self.write([], to: directory, name: "empty.gz"))
            #expect(input.storedSize == 0)
            let result = Self.readAll(input, bufferSize: 4096)
            #expect(result.problem == nil)
            #expect(result.bytes.isEmpty)
            #expect(input.encoding == .plain)
        }
    }

    @Test("Input too short for the magic, or with only half of it, is plain", arguments: [[0x1f], [0x8b], [0x1f, 0x8c], [0x1f, 0x1f, 0x8b]])
    func notQuiteMagic(bytes: [UInt8]) throws {
        try Self.withDirectory { directory in
            let input = try DecodedInput(path: try Self.write(bytes, to: directory, name: "short"))
            let result = Self.readAll(input, bufferSize: 1)
            #expect(result.problem == nil)
            #expect(result.bytes == bytes)
            #expect(input.encoding == .plain)
        }
    }

    @Test("A path that does not exist is unreadable")
    func missingFile() throws {
        try Self.withDirectory { directory in
            let path = directory.appendingPathComponent("nope.gz").path
            let problem = try #require(throws: InputProblem.self) { try DecodedInput(path: path) }
            #expect(problem.kind == .unreadable)
            #expect(problem.path == path)
            #expect(problem.reason == "No such file or directory")
        }
    }

    @Test("A directory is unreadable")
    func directoryPath() throws {
        try Self.withDirectory { directory in
            let problem = try #require(throws: InputProblem.self) { try DecodedInput(path: directory.path) }
            #expect(problem.kind == .unreadable)
            #expect(problem.path == directory.path)
            #expect(problem.reason == "Is a directory")
        }
    }

    @Test("Bytes in memory decode like a file, named in problems")
    func inMemory() {
        let text = Self.text(bytes: 120_000, seed: 14)
        let gzip = DecodedInput(bytes: Harness.gzip(text), name: "cloudwatch-payload")
        #expect(gzip.path == "cloudwatch-payload")
        #expect(Self.readAll(gzip, bufferSize: 4096).bytes == text)
        #expect(gzip.encoding == .gzip)

        let plain = DecodedInput(bytes: text, name: "plain")
        #expect(Self.readAll(plain, bufferSize: 1000).bytes == text)
        #expect(plain.encoding == .plain)

        let empty = DecodedInput(bytes: [], name: "empty")
        let emptyResult = Self.readAll(empty, bufferSize: 16)
        #expect(emptyResult.bytes.isEmpty && emptyResult.problem == nil)
        #expect(empty.encoding == .plain)

        let truncated = Self.readAll(DecodedInput(bytes: Array(Harness.gzip(text).prefix(500)), name: "payload"), bufferSize: 4096)
        #expect(text.starts(with: truncated.bytes))
        #expect(truncated.problem?.path == "payload")
        #expect(truncated.problem?.offset == 500)
    }

    // MARK: Helpers

    /// Everything `input` delivers with a destination of `bufferSize`, and the problem that ended
    /// it, if any. Checks that reads after the end or after a problem return 0.
    static func readAll(_ input: DecodedInput, bufferSize: Int) -> (bytes: [UInt8], problem: InputProblem?) {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: bufferSize, alignment: 16)
        defer { buffer.deallocate() }
        var bytes: [UInt8] = []
        var problem: InputProblem?
        while true {
            do {
                let count = try input.read(into: buffer)
                if count == 0 { break }
                #expect(count <= bufferSize)
                bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[..<count]))
            } catch {
                problem = error
                break
            }
        }
        #expect((try? input.read(into: buffer)) == 0)
        return (bytes, problem)
    }

    /// Varied JSON-lines text, the same for the same seed: enough vocabulary and numbers that
    /// deflate makes real Huffman blocks and back-references, not one long run.
    static func text(bytes count: Int, seed: UInt64) -> [UInt8] {
        let words = ["AssumeRole", "GetObject", "PutBucketPolicy", "ConsoleLogin", "DescribeInstances", "ACCEPT",
                     "REJECT", "us-east-1", "eu-west-3", "s3.amazonaws.com", "iam.amazonaws.com", "Root", "IAMUser",
                     "AccessDenied", "ModifyDBSnapshotAttribute", "CreateAccessKey", "aws-cli/2.15", "é", "\\u00e9"]
        var state = seed &* 0x9E37_79B9_7F4A_7C15 | 1
        func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        var out: [UInt8] = []
        out.reserveCapacity(count + 200)
        while out.count < count {
            let line = #"{"eventName":"\#(words[Int(next() % UInt64(words.count))])","sourceIPAddress":"\#(next() % 256).\#(next() % 256).\#(next() % 256).\#(next() % 256)","n":\#(next()),"detail":"\#(words[Int(next() % UInt64(words.count))])"}"#
            out.append(contentsOf: line.utf8)
            out.append(0x0a)
        }
        return Array(out.prefix(count))
    }

    /// Runs `body` with a fresh temporary directory, removed afterwards.
    static func withDirectory(_ body: (URL) throws -> Void) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-decoding-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try body(directory)
    }

    static func write(_ bytes: [UInt8], to directory: URL, name: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(bytes).write(to: url)
        return url.path
    }
}

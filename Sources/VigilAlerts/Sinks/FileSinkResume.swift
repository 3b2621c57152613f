#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What a file sink finds after its checkpoint when it starts again after a crash: the ids of
/// the alerts it wrote there, which will come again (the tail reprocesses the records whose
/// checkpoint had not moved) and must not be written twice, and whether the last line is torn.
///
/// Where to look, given the checkpoint's file (device and inode) and size:
///
/// * the current file is the checkpoint's: from the checkpoint's size to the end, or all of it
///   when it is now shorter (someone truncated it);
/// * the checkpoint's file was rotated away to `PATH.n`: that file from the checkpoint's size,
///   the newer rotated files `PATH.(n-1)` … `PATH.1` whole, and the current file whole;
/// * no file has the checkpoint's inode (rotated past `keep`, or replaced by someone else): the
///   current file whole. Scanning the older files too could drop alerts written before the
///   checkpoint, which would lose them; scanning less can only repeat some.
///
/// Memory stays bounded by the number of alerts, not their size: only the first bytes of each
/// line are kept while reading (the id comes first), and only the ids after that.
struct FileSinkResume {
    /// Ids of the whole alert lines after the checkpoint, with how many times each was written.
    var writtenIDs: [String: Int] = [:]
    /// Where the current file's whole lines end, when its last line is torn (no newline).
    var tornLineStart: Int?

    /// Bytes of a line kept to look for its id: `AlertWriter` writes it first, at byte 7.
    private static let linePrefixLimit = 512
    private static let chunkSize = 64 * 1024

    /// Examines the files of `settings.path` after `checkpoint`. `current` is the status of the
    /// file the sink has open.
    static func examine(after checkpoint: SinkCheckpoint, settings: FileSinkSettings, current: stat,
                        sink: String) throws(SinkError) -> FileSinkResume {
        let path = settings.path
        func isCheckpointFile(_ status: stat) -> Bool {
            UInt64(status.st_dev) == checkpoint.device && UInt64(status.st_ino) == checkpoint.inode
        }
        func start(in status: stat) -> Int {
            Int(status.st_size) >= checkpoint.size ? checkpoint.size : 0
        }
        // (file, offset to start from), oldest first; the current file is always the last.
        var regions: [(path: String, from: Int)] = []
        if isCheckpointFile(current) {
            regions.append((path, start(in: current)))
        } else {
            var newer: [String] = []
            for index in 1...max(settings.keep, 1) {
                let rotated = "\(path).\(index)"
                var status = stat()
                guard stat(rotated, &status) == 0 else { break }  // rotation keeps the numbers contiguous
                if isCheckpointFile(status) {
                    regions.append((rotated, start(in: status)))
                    regions += newer.reversed().map { ($0, 0) }
                    break
                }
                newer.append(rotated)
            }
            regions.append((path, 0))
        }
        var resume = FileSinkResume()
        for (index, region) in regions.enumerated() {
            let isCurrent = index == regions.count - 1
            let tornLineStart = try resume.collectIDs(in: region.path, from: region.from,
                                                      expecting: isCurrent ? current : nil, sink: sink)
            if isCurrent { resume.tornLineStart = tornLineStart }
        }
        return resume
    }

    /// Reads `path` from `offset` to its end and counts the id of every whole line; returns where
    /// the whole lines end when the last line is torn. `expecting`, when given, is the status of
    /// the file the sink has open, which the file read must be.
    private mutating func collectIDs(in path: String, from offset: Int, expecting: stat?,
                                     sink: String) throws(SinkError) -> Int? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw SinkError(sink: sink, reason: "Cannot read \(path) to resume after the last checkpoint: \(DurableFiles.lastError()).")
        }
        defer { close(descriptor) }
        if let expecting {
            var status = stat()
            guard fstat(descriptor, &status) == 0, status.st_dev == expecting.st_dev, status.st_ino == expecting.st_ino else {
                throw SinkError(sink: sink, reason: "\(path) was replaced while the sink was resuming after the last checkpoint.")
            }
        }
        var chunk = [UInt8](repeating: 0, count: Self.chunkSize)
        var line: [UInt8] = []
        line.reserveCapacity(Self.linePrefixLimit)
        var position = offset
        var lineStart = offset
        var lineLength = 0
        while true {
            let count = chunk.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress!, $0.count, off_t(position)) }
            if count < 0 {
                if errno == EINTR { continue }
                throw SinkError(sink: sink, reason: "Cannot read \(path) to resume after the last checkpoint: \(DurableFiles.lastError()).")
            }
            if count == 0 { break }
            var segmentStart = 0
            for index in 0..<count where chunk[index] == 0x0A {
                append(chunk[segmentStart..<index], to: &line)
                if let id = Self.alertID(in: line) { writtenIDs[id, default: 0] += 1 }
                line.removeAll(keepingCapacity: true)
                lineLength = 0
                segmentStart = index + 1
                lineStart = position + index + 1
            }
            append(chunk[segmentStart..<count], to: &line)
            lineLength += count - segmentStart
            position += count
        }
        return lineLength > 0 ? lineStart : nil
    }

    /// Keeps at most `linePrefixLimit` bytes of a line.
    private func append(_ bytes: ArraySlice<UInt8>, to line: inout [UInt8]) {
        let room = Self.linePrefixLimit - line.count
        if room > 0 { line.append(contentsOf: bytes.prefix(room)) }
    }

    /// The value of the line's first `"id"` member when it is a string of hex digits, as
    /// `AlertWriter` writes it (`{"id":"<hex>",…`); nil for any other line. Byte-level, without
    /// a JSON parser: only the start of the line is kept, and the rest need not be read.
    static func alertID(in line: [UInt8]) -> String? {
        let name = Array(#""id""#.utf8)
        guard line.count > name.count,
              let found = line.indices.dropLast(name.count - 1).first(where: { line[$0..<($0 + name.count)].elementsEqual(name) })
        else { return nil }
        var index = found + name.count
        func skipSpaces() {
            while index < line.count, line[index] == 0x20 || line[index] == 0x09 { index += 1 }
        }
        skipSpaces()
        guard index < line.count, line[index] == UInt8(ascii: ":") else { return nil }
        index += 1
        skipSpaces()
        guard index < line.count, line[index] == UInt8(ascii: "\"") else { return nil }
        index += 1
        let start = index
        while index < line.count, line[index] != UInt8(ascii: "\"") {
            let byte = line[index] | 0x20  // lower case for letters
            guard (0x30...0x39).contains(line[index]) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte) else { return nil }
            index += 1
        }
        guard index < line.count, index > start, index - start <= 64 else { return nil }
        return String(decoding: line[start..<index], as: UTF8.self)
    }
}

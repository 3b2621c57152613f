import Foundation

/// Where a file sink's durable output ended at a flush: the file (by path, and by device and
/// inode, which survive a rotation's rename) and how many bytes it held.
///
/// A tail saves it with its own checkpoint, in the same transaction. After a crash, a file sink
/// made with it (`FileSink(name:settings:resumingAfter:)`) knows that whatever follows it was
/// written for records whose checkpoint did not move, and which will be processed again: it cuts
/// a torn last line and drops the alerts it finds there when they come again.
public struct SinkCheckpoint: Sendable, Hashable, Codable {
    /// The sink's name.
    public var sink: String
    /// The file the sink appends to (its configured path).
    public var path: String
    public var device: UInt64
    public var inode: UInt64
    /// Bytes in the file at that flush, all of them synced.
    public var size: Int
    /// Alerts written before `size` by a run that crashed before its checkpoint moved, which have
    /// not come again yet (id → times written). They will come again, when the records of the
    /// lost batch are read again, and must be dropped then, even though the checkpoint has
    /// moved past them since.
    public var expectedRepeats: [String: Int]

    public init(sink: String, path: String, device: UInt64, inode: UInt64, size: Int, expectedRepeats: [String: Int] = [:]) {
        self.sink = sink
        self.path = path
        self.device = device
        self.inode = inode
        self.size = size
        self.expectedRepeats = expectedRepeats
    }

    private enum CodingKeys: String, CodingKey {
        case sink, path, device, inode, size, expectedRepeats
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        sink = try container.decode(String.self, forKey: .sink)
        path = try container.decode(String.self, forKey: .path)
        device = try container.decode(UInt64.self, forKey: .device)
        inode = try container.decode(UInt64.self, forKey: .inode)
        size = try container.decode(Int.self, forKey: .size)
        expectedRepeats = try container.decodeIfPresent([String: Int].self, forKey: .expectedRepeats) ?? [:]
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(sink, forKey: .sink)
        try container.encode(path, forKey: .path)
        try container.encode(device, forKey: .device)
        try container.encode(inode, forKey: .inode)
        try container.encode(size, forKey: .size)
        if !expectedRepeats.isEmpty { try container.encode(expectedRepeats, forKey: .expectedRepeats) }
    }

    /// One line of JSON, for a TEXT column: `{"device":…,"inode":…,"path":"…","sink":"…","size":…}`.
    public var encoded: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding strings and integers cannot fail.
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    /// Reads `encoded`; nil when the text is not a checkpoint.
    public init?(encoded: String) {
        guard let decoded = try? JSONDecoder().decode(Self.self, from: Data(encoded.utf8)), decoded.size >= 0 else {
            return nil
        }
        self = decoded
    }
}

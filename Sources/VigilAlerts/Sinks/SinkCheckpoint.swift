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

    public init(sink: String, path: String, device: UInt64, inode: UInt64, size: Int) {
        self.sink = sink
        self.path = path
        self.device = device
        self.inode = inode
        self.size = size
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

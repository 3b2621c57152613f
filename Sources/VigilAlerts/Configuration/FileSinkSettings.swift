/// Where a file sink appends and when it rotates.
public struct FileSinkSettings: Sendable, Equatable {
    /// Rotated files kept when the configuration does not say.
    public static let defaultKeep = 5

    /// The file alerts are appended to, as JSON Lines.
    public let path: String
    /// Start a new file before a line would take the current one past this size; nil never
    /// rotates. A line longer than this still goes whole, alone in its file.
    public let rotateBytes: Int?
    /// Rotated files kept: `PATH.1` (the newest) to `PATH.keep`; older ones are deleted.
    public let keep: Int

    public init(path: String, rotateBytes: Int? = nil, keep: Int = FileSinkSettings.defaultKeep) {
        self.path = path
        self.rotateBytes = rotateBytes
        self.keep = keep
    }
}

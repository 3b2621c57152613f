import Foundation

/// A fresh directory under the system's temporary directory, removed when dropped.
final class ScratchDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "vigil-delivery-\(UUID().uuidString)"
    }

    /// A path inside the directory (which is created by whoever first needs it, as the state
    /// directory is by `StateDatabase`).
    func appending(_ name: String) -> String {
        path + "/" + name
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }
}

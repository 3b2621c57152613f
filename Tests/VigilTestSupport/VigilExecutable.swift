import Foundation

/// The `vigil` binary of the build that made these tests, for tests that run it as a user does.
///
/// SwiftPM puts executables and the test bundle in the same products directory (`.build/debug`,
/// or `<scratch path>/debug` with `--scratch-path`), so it is looked for next to the running test
/// bundle rather than at a fixed path. `VIGIL_EXECUTABLE` overrides the search.
public enum VigilExecutable {
    public struct NotFound: Error, CustomStringConvertible {
        public let searched: [String]
        public var description: String {
            "The vigil executable was not found next to the test bundle (looked at \(searched.joined(separator: ", "))). "
                + "Build it with the same scratch path first, e.g. swift build --scratch-path .build-sinks, "
                + "or set VIGIL_EXECUTABLE to its path."
        }
    }

    public static func url() throws -> URL {
        if let path = ProcessInfo.processInfo.environment["VIGIL_EXECUTABLE"] { return URL(fileURLWithPath: path) }
        var directories: [URL] = []
        // Linux runs the `.xctest` file itself; macOS runs a bundle, whose executable is three
        // levels down (`X.xctest/Contents/MacOS/X`), from a helper in the same products directory.
        if let executable = Bundle.main.executableURL?.resolvingSymlinksInPath() {
            directories.append(executable.deletingLastPathComponent())
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            directories.append(bundle.bundleURL.deletingLastPathComponent())
        }
        let candidates = directories.map { $0.appendingPathComponent("vigil").path }
        for candidate in candidates where FileManager.default.isExecutableFile(atPath: candidate) {
            return URL(fileURLWithPath: candidate)
        }
        throw NotFound(searched: candidates)
    }
}

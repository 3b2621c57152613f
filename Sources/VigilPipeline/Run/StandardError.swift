#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Unbuffered writes to standard error: problems, progress and summaries.
public enum StandardError {
    public static func write(_ text: String) {
        var text = text
        text.withUTF8 { bytes in
            var offset = 0
            while offset < bytes.count {
                let result = Glibc.write(STDERR_FILENO, bytes.baseAddress! + offset, bytes.count - offset)
                if result < 0 && errno == EINTR { continue }
                if result <= 0 { return }
                offset += result
            }
        }
    }

    public static var isTerminal: Bool { isatty(STDERR_FILENO) != 0 }
}

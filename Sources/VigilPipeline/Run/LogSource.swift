import VigilAWS
import VigilIngest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One input of a run: a log file on disk, or an object in S3 read straight from the bucket.
///
/// Both go through the same readers, normalization and alerts; an object's name is its
/// `s3://bucket/key` URL, which alerts carry as their provenance, and, since the key keeps AWS's
/// `AWSLogs/…` layout, its alert ids equal those of the same file synced to disk.
public enum LogSource: Sendable, Hashable {
    case file(String)
    case object(S3ObjectReference)

    /// The path, or the `s3://` URL.
    public var name: String {
        switch self {
        case .file(let path): path
        case .object(let object): object.url
        }
    }

    /// The stored size when known without reading (a file's `stat`, a listing's size).
    var storedSize: Int? {
        switch self {
        case .file(let path):
            var info = stat()
            return stat(path, &info) == 0 ? Int(info.st_size) : nil
        case .object(let object):
            return object.size
        }
    }

    /// The decoded content: the file opened, or the object decoded as it downloads.
    /// A download that fails is an `.unreadable` problem naming the object and AWS's reason.
    func open(s3: S3Client?, isCancelled: @escaping @Sendable () -> Bool = { false }) throws(InputProblem) -> DecodedInput {
        switch self {
        case .file(let path):
            return try DecodedInput(path: path)
        case .object(let object):
            guard let s3 else {
                throw InputProblem(.unreadable, path: object.url, reason: "no S3 access was set up")
            }
            do {
                return try S3ObjectBytes(downloading: object, from: s3, isCancelled: isCancelled).decodedInput()
            } catch {
                throw InputProblem(.unreadable, path: object.url, reason: error.message)
            }
        }
    }
}

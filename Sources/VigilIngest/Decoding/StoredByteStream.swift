/// Stored bytes that arrive over time, read front to back: an S3 object as its download proceeds.
///
/// `read` blocks until bytes are there, and returns 0 at the end; a failure of the source (a
/// connection cut mid-object) is thrown as an `.unreadable` problem with the offset reached.
public protocol StoredByteStream: AnyObject {
    func read(into buffer: UnsafeMutableRawBufferPointer) throws(InputProblem) -> Int
}

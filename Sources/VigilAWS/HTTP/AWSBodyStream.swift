import Foundation

/// The body of an answer as it arrives, for objects too large to hold whole: the transport
/// appends, one reader takes, and the download is paused while the reader is behind.
///
/// Pausing keeps memory bounded (about `highWater` bytes a download) however large the object
/// and however slow its reader: the transport suspends the task when the buffer passes
/// `highWater` and the reader resumes it once it has taken the buffer below `lowWater`.
public final class AWSBodyStream: @unchecked Sendable {
    public let status: Int
    /// Header values by lowercased name.
    public let headers: [String: String]

    private let condition = NSCondition()
    private var chunks: [Data] = []
    private var firstChunkOffset = 0
    private var buffered = 0
    private var ended = false
    private var failure: AWSTransportError?
    private var isPaused = false
    private var isCancelled = false
    private let highWater: Int
    private let lowWater: Int
    /// Seconds a read waits for the next bytes before it gives up.
    private let idleTimeout: Double
    private let pause: @Sendable () -> Void
    private let resume: @Sendable () -> Void
    private let cancelTransfer: @Sendable () -> Void
    /// Body bytes handed to the reader so far.
    public private(set) var delivered = 0

    public init(status: Int, headers: [String: String], highWater: Int = 8 << 20, idleTimeout: Double = 60,
                pause: @escaping @Sendable () -> Void = {}, resume: @escaping @Sendable () -> Void = {},
                cancel: @escaping @Sendable () -> Void = {}) {
        self.status = status
        var lowered: [String: String] = [:]
        for (name, value) in headers { lowered[name.lowercased()] = value }
        self.headers = lowered
        self.highWater = highWater
        lowWater = highWater / 4
        self.idleTimeout = idleTimeout
        self.pause = pause
        self.resume = resume
        cancelTransfer = cancel
    }

    /// A stream of bytes already complete (a transport without streaming, tests).
    public convenience init(response: AWSResponse) {
        self.init(status: response.status, headers: response.headers)
        append(Data(response.body))
        finish(nil)
    }

    // MARK: - The transport's side

    /// Adds bytes that arrived; pauses the transfer when the reader is behind.
    public func append(_ data: Data) {
        guard !data.isEmpty else { return }
        condition.lock()
        chunks.append(data)
        buffered += data.count
        let shouldPause = buffered > highWater && !isPaused && !ended
        if shouldPause { isPaused = true }
        condition.signal()
        condition.unlock()
        if shouldPause { pause() }
    }

    /// The transfer ended, completely (`nil`) or not.
    public func finish(_ error: AWSTransportError?) {
        condition.lock()
        if !ended {
            ended = true
            failure = error
        }
        condition.broadcast()
        condition.unlock()
    }

    // MARK: - The reader's side

    /// Copies up to `buffer.count` bytes into `buffer`; 0 at the end of the body. Throws when
    /// the transfer failed or nothing arrived for `idleTimeout` seconds.
    public func read(into buffer: UnsafeMutableRawBufferPointer) throws(AWSTransportError) -> Int {
        guard buffer.count > 0 else { return 0 }
        condition.lock()
        var waitedSince: Date?
        while chunks.isEmpty && !ended {
            let since = waitedSince ?? Date()
            waitedSince = since
            if !condition.wait(until: since.addingTimeInterval(idleTimeout)) && chunks.isEmpty && !ended {
                condition.unlock()
                cancel()
                throw AWSTransportError(.timedOut, "no bytes arrived for \(Int(idleTimeout)) s")
            }
        }
        if chunks.isEmpty {
            let failure = failure
            condition.unlock()
            if let failure { throw failure }
            return 0
        }
        var copied = 0
        while copied < buffer.count, let first = chunks.first {
            let available = first.count - firstChunkOffset
            let count = min(available, buffer.count - copied)
            first.withUnsafeBytes { bytes in
                buffer.baseAddress!.advanced(by: copied).copyMemory(from: bytes.baseAddress!.advanced(by: firstChunkOffset),
                                                                     byteCount: count)
            }
            copied += count
            if count == available {
                chunks.removeFirst()
                firstChunkOffset = 0
            } else {
                firstChunkOffset += count
            }
        }
        buffered -= copied
        delivered += copied
        let shouldResume = isPaused && buffered < lowWater
        if shouldResume { isPaused = false }
        condition.unlock()
        if shouldResume { resume() }
        return copied
    }

    /// The whole rest of the body (for error answers, which are small).
    public func readAll(limit: Int = 1 << 20) -> [UInt8] {
        var body: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while body.count < limit {
            let count = (try? buffer.withUnsafeMutableBytes { try read(into: $0) }) ?? 0
            if count == 0 { break }
            body += buffer[..<count]
        }
        return body
    }

    /// Stops the transfer; later reads end.
    public func cancel() {
        condition.lock()
        let wasRunning = !isCancelled && !ended
        isCancelled = true
        if !ended {
            ended = true
            failure = AWSTransportError(.cancelled, "the download was cancelled")
        }
        condition.broadcast()
        condition.unlock()
        if wasRunning { cancelTransfer() }
    }

    deinit {
        if !ended { cancelTransfer() }
    }
}

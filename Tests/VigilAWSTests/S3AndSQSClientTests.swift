import Foundation
import Testing
import VigilTestSupport
@testable import VigilAWS

/// The S3 and SQS clients against moto's implementation of the APIs, on 127.0.0.1.
@Suite("S3 and SQS clients against moto", .serialized)
struct S3AndSQSClientTests {
    let moto: MotoServer
    let s3: S3Client
    let transport = URLSessionTransport()

    init() throws {
        moto = try MotoServer()
        let endpoint = try #require(AWSEndpoint(url: moto.endpoint))
        let credentials = StaticCredentials(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing", source: "test"))
        s3 = S3Client(client: AWSClient(service: "s3", region: "us-east-1", credentials: credentials, transport: transport),
                      endpoint: endpoint)
    }

    func sqs(_ queueURL: String) throws -> SQSClient {
        let credentials = StaticCredentials(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing", source: "test"))
        let client = AWSClient(service: "sqs", region: "us-east-1", credentials: credentials, transport: transport)
        return try #require(SQSClient(queueURL: queueURL, client: client, endpoint: AWSEndpoint(url: moto.endpoint)))
    }

    func upload(_ bytes: [UInt8], bucket: String, key: String) throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-moto-\(UUID().uuidString)")
        try Data(bytes).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        try moto.fixture("put", bucket, key, file.path)
    }

    @Test func listsByPrefixAndDelimiterAcrossPagesAndReadsObjects() throws {
        _ = try moto.fixture("setup", "logs", "unused", "30")
        let keys = (0..<7).map { "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/2\($0 % 3)/file \($0)+é&=.json.gz" }
        for (index, key) in keys.enumerated() {
            try upload(Array("object \(index)".utf8), bucket: "logs", key: key)
        }
        try upload([1, 2, 3], bucket: "logs", key: "elsewhere/x")

        let folders = try s3.listFolders(bucket: "logs", prefix: "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/")
        #expect(folders == (0..<3).map { "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/2\($0)/" })

        var listed: [String] = []
        var token: String?
        var pages = 0
        repeat {
            let page = try s3.listObjects(bucket: "logs", prefix: "AWSLogs/", continuationToken: token, maximumKeys: 3)
            listed += page.objects.map(\.key)
            token = page.continuationToken
            pages += 1
        } while token != nil
        #expect(pages == 3)
        #expect(listed.sorted() == keys.sorted())
        #expect(try s3.listAllObjects(bucket: "logs", prefix: "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/21/").count == 2)

        for (index, key) in keys.enumerated() {
            #expect(try S3ObjectReader(s3: s3, bucket: "logs", key: key).readAll() == Array("object \(index)".utf8))
        }
    }

    @Test func missingBucketKeyAndQueueAreNamedPlainly() throws {
        _ = try moto.fixture("setup", "present", "queue", "30")
        let missingKey = #expect(throws: AWSServiceError.self) { try S3ObjectReader(s3: s3, bucket: "present", key: "no/such.json.gz") }
        #expect(missingKey?.kind == .noSuchKey)
        #expect(missingKey?.message.contains("s3://present/no/such.json.gz") == true)
        let missingBucket = #expect(throws: AWSServiceError.self) { try s3.listFolders(bucket: "absent", prefix: "") }
        #expect(missingBucket?.kind == .noSuchBucket)
        let queue = try sqs("\(moto.endpoint)/123456789012/no-such-queue")
        let missingQueue = #expect(throws: AWSServiceError.self) { try queue.receiveMessages(waitSeconds: 0) }
        #expect(missingQueue?.kind == .noSuchQueue)
    }

    @Test func receivesNotificationsChangesVisibilityAndDeletes() throws {
        let url = try moto.fixture("setup", "notified", "events", "30")
        let queue = try sqs(url)
        #expect(try queue.visibilityTimeout() == 30)
        try upload(Array("x".utf8), bucket: "notified", key: "AWSLogs/1/a b.json.gz")
        var messages: [SQSMessage] = []
        for _ in 0..<5 where messages.count < 2 {
            messages += try queue.receiveMessages(maximum: 10, waitSeconds: 1)
        }
        // moto, like S3, sends a test event when notifications are configured, then the object's.
        #expect(messages.count == 2)
        #expect(messages.contains { $0.body.contains("s3:TestEvent") })
        // The key arrives form-encoded, as S3 sends it (moto encodes the slashes too).
        #expect(messages.contains { $0.body.contains("ObjectCreated") && $0.body.contains("a+b.json.gz") }, "\(messages.map(\.body))")
        #expect(messages.allSatisfy { $0.receiveCount == 1 && $0.sentAt != nil })

        // Hidden messages come back after their visibility is cut to zero, counted again.
        try queue.changeVisibility(of: messages[0], seconds: 0)
        let again = try queue.receiveMessages(waitSeconds: 1)
        #expect(again.map(\.messageID) == [messages[0].messageID])
        #expect(again.first?.receiveCount == 2)
        try queue.deleteMessage(again[0])
        try queue.deleteMessage(messages[1])
        #expect(try moto.fixture("depth", url) == "0 0")
    }
}

/// Retries and error mapping, over a transport that answers from a script.
@Suite("AWS client retries and errors")
struct AWSClientRetryTests {
    final class ScriptedTransport: AWSHTTPTransport, @unchecked Sendable {
        private let lock = NSLock()
        private var answers: [Result<AWSResponse, AWSTransportError>]
        private(set) var requests: [AWSRequest] = []

        init(_ answers: [Result<AWSResponse, AWSTransportError>]) {
            self.answers = answers
        }

        func send(_ request: AWSRequest, timeout: Double) throws(AWSTransportError) -> AWSResponse {
            lock.lock()
            defer { lock.unlock() }
            requests.append(request)
            return try answers.removeFirst().get()
        }
    }

    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func add() { lock.withLock { value += 1 } }
        var count: Int { lock.withLock { value } }
    }

    static let credentials = StaticCredentials(AWSCredentials(accessKeyID: "AKID", secretAccessKey: "SECRET", source: "test"))
    static let fast = AWSRetryPolicy(maximumAttempts: 4, firstDelay: 0.001, maximumDelay: 0.002)

    static func xml(_ status: Int, _ code: String, _ message: String = "m") -> Result<AWSResponse, AWSTransportError> {
        .success(AWSResponse(status: status, headers: [:], body: Array("<Error><Code>\(code)</Code><Message>\(message)</Message></Error>".utf8)))
    }

    static let ok = Result<AWSResponse, AWSTransportError>.success(AWSResponse(status: 200, headers: [:], body: Array("fine".utf8)))

    func client(_ transport: ScriptedTransport, retries: Counter? = nil) -> AWSClient {
        AWSClient(service: "s3", region: "us-east-1", credentials: Self.credentials, transport: transport,
                  retryPolicy: Self.fast, onRetry: { _ in retries?.add() })
    }

    @Test func throttlingServerErrorsAndTimeoutsAreRetried() throws {
        let transport = ScriptedTransport([Self.xml(503, "SlowDown"), .failure(AWSTransportError(.timedOut, "slow")),
                                           Self.xml(500, "InternalError"), Self.ok])
        let retries = Counter()
        let response = try client(transport, retries: retries).send(AWSRequest(method: "GET", host: "h"), operation: "GetObject")
        #expect(response.body == Array("fine".utf8))
        #expect(transport.requests.count == 4)
        #expect(retries.count == 3)
        // Each attempt is signed afresh.
        #expect(transport.requests.allSatisfy { $0.header("Authorization")?.hasPrefix("AWS4-HMAC-SHA256") == true })
    }

    @Test func retriesRunOutWithTheLastErrorAndTheCount() {
        let transport = ScriptedTransport(Array(repeating: Self.xml(503, "SlowDown"), count: 4))
        let error = #expect(throws: AWSServiceError.self) {
            try client(transport).send(AWSRequest(method: "GET", host: "h"), operation: "GetObject s3://b/k")
        }
        #expect(error?.kind == .throttled)
        #expect(error?.message == "GetObject s3://b/k: throttled by AWS (SlowDown) (after 4 attempts)")
    }

    @Test func refusalsAreNotRetriedAndSayWhatToDo() {
        let cases: [(Result<AWSResponse, AWSTransportError>, AWSServiceError.Kind, String)] = [
            (Self.xml(403, "AccessDenied", "Access Denied"), .accessDenied, "access denied"),
            (Self.xml(403, "InvalidAccessKeyId"), .invalidCredentials, "not accepted"),
            (Self.xml(404, "NoSuchBucket"), .noSuchBucket, "no such bucket"),
            (.success(AWSResponse(status: 400, headers: ["x-amzn-query-error": "AWS.SimpleQueueService.NonExistentQueue;Sender"],
                                  body: Array(#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}"#.utf8))),
             .noSuchQueue, "no such queue"),
            (.success(AWSResponse(status: 400, headers: [:],
                                  body: Array(#"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"gone"}"#.utf8))),
             .noSuchQueue, "no such queue"),
            (.success(AWSResponse(status: 301, headers: ["x-amz-bucket-region": "eu-west-1"], body: [])), .wrongRegion,
             "pass --aws-region eu-west-1"),
        ]
        for (answer, kind, phrase) in cases {
            let transport = ScriptedTransport([answer])
            let error = #expect(throws: AWSServiceError.self) { try client(transport).send(AWSRequest(method: "GET", host: "h"), operation: "op") }
            #expect(error?.kind == kind)
            #expect(error?.message.contains(phrase) == true, "\(error?.message ?? "")")
            #expect(error?.message.contains("SECRET") == false)
            #expect(transport.requests.count == 1)
        }
    }

    @Test func expiredCredentialsAreTriedOnceMoreThenReported() {
        let renewed = ScriptedTransport([Self.xml(400, "ExpiredToken"), Self.ok])
        #expect(throws: Never.self) { try client(renewed).send(AWSRequest(method: "GET", host: "h"), operation: "op") }
        let stale = ScriptedTransport([Self.xml(400, "ExpiredToken"), Self.xml(400, "ExpiredToken")])
        let error = #expect(throws: AWSServiceError.self) { try client(stale).send(AWSRequest(method: "GET", host: "h"), operation: "op") }
        #expect(error?.kind == .expiredCredentials)
        #expect(stale.requests.count == 2)
    }

    @Test func backoffIsBoundedFullJitter() {
        let policy = AWSRetryPolicy(maximumAttempts: 10, firstDelay: 0.5, maximumDelay: 4)
        #expect(policy.delay(beforeRetry: 1, random: 0.999) < 0.5)
        #expect(policy.delay(beforeRetry: 3, random: 0.5) == 1)
        #expect(policy.delay(beforeRetry: 9, random: 0.999) < 4)
        #expect(policy.delay(beforeRetry: 9, random: 0) == 0)
    }
}

/// Objects read in ranged parts while the next part downloads, against moto.
@Suite("S3 object reads", .serialized)
struct S3ObjectReadTests {
    /// 16 MiB that do not repeat within a part, in parts of an odd size (the last one short), read
    /// slowly at first so that the part ahead is done long before it is taken; then sizes at
    /// the edges: empty, smaller than a part, exactly two parts.
    @Test func objectsComeWholeWhateverTheirSizeAgainstThePartSize() throws {
        let moto = try MotoServer()
        _ = try moto.fixture("setup", "streams", "unused", "30")
        let credentials = StaticCredentials(AWSCredentials(accessKeyID: "testing", secretAccessKey: "testing", source: "test"))
        let s3 = S3Client(client: AWSClient(service: "s3", region: "us-east-1", credentials: credentials, transport: URLSessionTransport()),
                          endpoint: AWSEndpoint(url: moto.endpoint))
        let partSize = (3 << 20) + 1
        for (name, size) in [("big", 16 << 20), ("empty", 0), ("small", 1000), ("two-parts", 2 * partSize)] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13) }
            let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-part-\(UUID().uuidString)")
            try Data(bytes).write(to: file)
            defer { try? FileManager.default.removeItem(at: file) }
            try moto.fixture("put", "streams", "\(name)/object.bin", file.path)

            let reader = try S3ObjectReader(s3: s3, bucket: "streams", key: "\(name)/object.bin", partSize: partSize)
            #expect(reader.size == size, "\(name)")
            var received: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 1 << 20)
            var reads = 0
            while true {
                let count = try buffer.withUnsafeMutableBytes { try reader.read(into: $0) }
                if count == 0 { break }
                received += buffer[..<count]
                reads += 1
                if reads < 3 { Thread.sleep(forTimeInterval: 0.3) }
            }
            #expect(received.count == size, "\(name)")
            #expect(received == bytes, "\(name)")
            #expect(reader.delivered == size)
        }
        let missing = #expect(throws: AWSServiceError.self) { try S3ObjectReader(s3: s3, bucket: "streams", key: "no/such") }
        #expect(missing?.kind == .noSuchKey)
    }
}

extension S3ObjectReader {
    /// The whole object (small test objects).
    func readAll() throws -> [UInt8] {
        var whole: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = try buffer.withUnsafeMutableBytes { try read(into: $0) }
            if count == 0 { return whole }
            whole += buffer[..<count]
        }
    }
}

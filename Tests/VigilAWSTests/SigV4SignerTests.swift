import Foundation
import Testing
@testable import VigilAWS

/// Vigil's Signature Version 4 against botocore's, on the same requests at the same instant.
/// botocore is installed with pip (`.ci/run`); the helper script fixes its clock.
@Suite("SigV4 signing")
struct SigV4SignerTests {
    struct Case {
        var service: String
        var region: String
        var request: AWSRequest
        var credentials: AWSCredentials
        var time: Date
    }

    static let key = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                                    source: "test")
    static let temporary = AWSCredentials(accessKeyID: "ASIAEXAMPLE", secretAccessKey: "c2VjcmV0/with+symbols=",
                                          sessionToken: "FwoGZXIvYXdzEJr//////////wEaDA+token=", source: "test")
    static let instant = Date(timeIntervalSince1970: 1_795_000_000)

    static let cases: [Case] = [
        // SQS, query protocol: a long poll for up to 10 messages.
        Case(service: "sqs", region: "us-east-1",
             request: AWSRequest(method: "POST", host: "sqs.us-east-1.amazonaws.com", path: "/123456789012/vigil-logs",
                                 headers: [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
                                 body: Array("Action=ReceiveMessage&MaxNumberOfMessages=10&WaitTimeSeconds=20&Version=2012-11-05".utf8)),
             credentials: key, time: instant),
        // SQS, JSON protocol, temporary credentials.
        Case(service: "sqs", region: "eu-west-1",
             request: AWSRequest(method: "POST", host: "sqs.eu-west-1.amazonaws.com", path: "/",
                                 headers: [("X-Amz-Target", "AmazonSQS.DeleteMessage"), ("Content-Type", "application/x-amz-json-1.0")],
                                 body: Array(#"{"QueueUrl":"https://sqs.eu-west-1.amazonaws.com/1/q","ReceiptHandle":"AQE+x/y=="}"#.utf8)),
             credentials: temporary, time: instant.addingTimeInterval(86_399)),
        // S3 GetObject: a key with spaces, a plus, non-ASCII and reserved characters.
        Case(service: "s3", region: "eu-west-1",
             request: AWSRequest(method: "GET", host: "logs-bucket.s3.eu-west-1.amazonaws.com",
                                 path: "/" + AWSPercentEncoding.encode("AWSLogs/1/CloudTrail/eu-west-1/2026/11/23/a b+c=d&é~.json.gz",
                                                                       keepingSlashes: true)),
             credentials: key, time: instant),
        // S3 ListObjectsV2 by day prefix with a continuation token, on a local endpoint with a port.
        Case(service: "s3", region: "us-east-1",
             request: AWSRequest(method: "GET", scheme: "http", host: "127.0.0.1:45123", path: "/logs-bucket",
                                 query: [("list-type", "2"), ("prefix", "AWSLogs/123456789012/CloudTrail/us-east-1/2026/11/23/"),
                                         ("continuation-token", "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM="),
                                         ("max-keys", "1000")],
                                 headers: [("User-Agent", "vigil/1"), ("X-Custom", "  two   spaces\tand a tab ")]),
             credentials: temporary, time: instant),
        // An empty query value and repeated names sort by value.
        Case(service: "s3", region: "ap-southeast-2",
             request: AWSRequest(method: "GET", host: "b.s3.ap-southeast-2.amazonaws.com", path: "/",
                                 query: [("versions", ""), ("prefix", "b"), ("prefix", "a")]),
             credentials: key, time: instant),
    ]

    /// What botocore set on each case's request.
    static func botocoreHeaders(_ cases: [Case]) throws -> [[String: String?]] {
        let input: [[String: Any]] = cases.map { testCase in
            var entry: [String: Any] = [
                "service": testCase.service, "region": testCase.region, "method": testCase.request.method,
                "url": testCase.request.url, "headers": testCase.request.headers.map { [$0.name, $0.value] },
                "body": Data(testCase.request.body).base64EncodedString(), "accessKeyID": testCase.credentials.accessKeyID,
                "secret": testCase.credentials.secretAccessKey, "time": testCase.time.timeIntervalSince1970,
            ]
            entry["token"] = testCase.credentials.sessionToken
            return entry
        }
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Support/botocore_sign.py")
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script.path]
        let stdin = Pipe()
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        stdin.fileHandleForWriting.write(try JSONSerialization.data(withJSONObject: input))
        try stdin.fileHandleForWriting.close()
        let output = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = stderr.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw SignerTestFailure("botocore helper failed (is botocore installed? .ci/run installs it): "
                                    + String(decoding: errors, as: UTF8.self))
        }
        let decoded = try JSONSerialization.jsonObject(with: output) as! [[String: Any]]
        return decoded.map { $0.mapValues { $0 as? String } }
    }

    struct SignerTestFailure: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test("every case is signed exactly as botocore signs it")
    func agreesWithBotocore() throws {
        let expected = try Self.botocoreHeaders(Self.cases)
        #expect(expected.count == Self.cases.count)
        for (testCase, botocore) in zip(Self.cases, expected) {
            var request = testCase.request
            SigV4Signer(service: testCase.service, region: testCase.region).sign(&request, with: testCase.credentials, at: testCase.time)
            for name in ["Authorization", "X-Amz-Date", "X-Amz-Security-Token", "X-Amz-Content-SHA256"] {
                #expect(request.header(name) == botocore[name] ?? nil, "\(name) of \(testCase.request.method) \(testCase.request.url)")
            }
        }
    }

    @Test("a changed byte anywhere changes the signature")
    func signatureCoversTheRequest() {
        func signature(_ change: (inout AWSRequest) -> Void) -> String? {
            var request = Self.cases[0].request
            change(&request)
            SigV4Signer(service: "sqs", region: "us-east-1").sign(&request, with: Self.key, at: Self.instant)
            return request.header("Authorization")
        }
        let original = signature { _ in }
        #expect(signature { $0.body[0] ^= 1 } != original)
        #expect(signature { $0.path += "x" } != original)
        #expect(signature { $0.query.append(("a", "b")) } != original)
        #expect(signature { $0.setHeader("Content-Type", "text/plain") } != original)
        #expect(signature { $0.setHeader("User-Agent", "other") } == original, "User-Agent is not signed")
    }

    @Test("the AWS percent-encoding keeps only unreserved characters")
    func percentEncoding() {
        #expect(AWSPercentEncoding.encode("a b+c=d/é~-_.") == "a%20b%2Bc%3Dd%2F%C3%A9~-_.")
        #expect(AWSPercentEncoding.encode("AWSLogs/1/x y", keepingSlashes: true) == "AWSLogs/1/x%20y")
    }

    @Test("credentials never show their secret or token")
    func credentialsAreRedacted() {
        let text = "\(Self.temporary)"
        #expect(!text.contains(Self.temporary.secretAccessKey))
        #expect(!text.contains(Self.temporary.sessionToken!))
        #expect(text.contains("ASIAEXAMPLE"))
    }
}

import Crypto
import Foundation

/// Signs requests with AWS Signature Version 4, as botocore does (the tests compare the two on
/// the same requests).
///
/// No AWS SDK for Swift is available here, so the algorithm is written out, step by step as AWS
/// documents it: a canonical request, a string to sign over its hash, a key derived from the
/// secret by HMAC-SHA256 over the date, region, service and `aws4_request`, and the signature in
/// an `Authorization` header.
///
/// S3 differs from the other services in two ways, both botocore's: the path is signed as sent
/// (other services percent-encode it once more), and the payload hash travels in an
/// `X-Amz-Content-SHA256` header.
public struct SigV4Signer: Sendable {
    public let service: String
    public let region: String

    /// Headers that proxies and clients may change or add, never signed (botocore's list).
    private static let unsignedHeaders: Set<String> = ["expect", "user-agent", "x-amzn-trace-id"]
    /// The payload hash S3 accepts for a body that is not hashed (streamed uploads).
    public static let unsignedPayload = "UNSIGNED-PAYLOAD"

    public init(service: String, region: String) {
        self.service = service
        self.region = region
    }

    /// Adds `X-Amz-Date`, the session token, S3's payload hash and the `Authorization` header
    /// to `request`, signed with `credentials` at `date`.
    ///
    /// - Parameter payloadHash: the hex SHA-256 of the body, or `unsignedPayload`; computed from
    ///   the body when nil.
    public func sign(_ request: inout AWSRequest, with credentials: AWSCredentials, at date: Date,
                     payloadHash: String? = nil) {
        let (amzDate, day) = Self.timestamps(date)
        request.headers.removeAll { $0.name.lowercased() == "authorization" }
        request.setHeader("X-Amz-Date", amzDate)
        if let token = credentials.sessionToken {
            request.setHeader("X-Amz-Security-Token", token)
        }
        let hash = payloadHash ?? Self.hex(SHA256.hash(data: request.body))
        if service == "s3" {
            request.setHeader("X-Amz-Content-SHA256", hash)
        }
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let (canonical, signedHeaders) = canonicalRequest(request, payloadHash: hash)
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Array(canonical.utf8)))]
            .joined(separator: "\n")
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8),
                                                                 using: signingKey(secret: credentials.secretAccessKey, day: day)))
        request.setHeader("Authorization",
                          "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
                              + "SignedHeaders=\(signedHeaders), Signature=\(signature)")
    }

    /// The canonical request and the list of signed header names.
    func canonicalRequest(_ request: AWSRequest, payloadHash: String) -> (String, String) {
        var byName: [String: [String]] = [:]
        for (name, value) in request.headers {
            let lowered = name.lowercased()
            guard !Self.unsignedHeaders.contains(lowered) else { continue }
            // Values are trimmed and runs of spaces inside them become one, as AWS specifies.
            byName[lowered, default: []].append(value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " "))
        }
        if byName["host"] == nil { byName["host"] = [request.host] }
        let names = byName.keys.sorted()
        let canonicalHeaders = names.map { "\($0):\(byName[$0]!.joined(separator: ","))\n" }.joined()
        let signedHeaders = names.joined(separator: ";")
        let path = service == "s3" ? request.path : AWSPercentEncoding.encode(request.path, keepingSlashes: true)
        let canonical = [request.method.uppercased(), path, request.canonicalQueryString, canonicalHeaders, signedHeaders,
                         payloadHash].joined(separator: "\n")
        return (canonical, signedHeaders)
    }

    private func signingKey(secret: String, day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }

    /// `20260123T045607Z` and `20260123`, in UTC.
    static func timestamps(_ date: Date) -> (String, String) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let parts = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { value! < 10 ? "0\(value!)" : "\(value!)" }
        let day = "\(parts.year!)\(two(parts.month))\(two(parts.day))"
        return ("\(day)T\(two(parts.hour))\(two(parts.minute))\(two(parts.second))Z", day)
    }

    static func hex<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        let digits = Array("0123456789abcdef".utf8)
        var output: [UInt8] = []
        for byte in bytes {
            output.append(digits[Int(byte >> 4)])
            output.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: output, as: UTF8.self)
    }
}

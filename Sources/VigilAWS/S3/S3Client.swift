import Foundation

/// The S3 calls Vigil makes: listing keys under a prefix (ListObjectsV2) and reading objects as
/// they download (GetObject).
///
/// Buckets are addressed virtual-hosted style on AWS (`bucket.s3.REGION.amazonaws.com`), path
/// style (`host/bucket/key`) on an `--endpoint-url` and for bucket names with dots, which do not
/// fit the wildcard certificate.
public final class S3Client: Sendable {
    private let client: AWSClient
    private let endpoint: AWSEndpoint?

    public init(client: AWSClient, endpoint: AWSEndpoint? = nil) {
        self.client = client
        self.endpoint = endpoint
    }

    /// One page of a listing.
    public struct ListPage: Sendable {
        public var objects: [S3ObjectReference] = []
        /// With a delimiter: the folders directly under the prefix, each ending with it.
        public var commonPrefixes: [String] = []
        /// Where the next page starts; nil on the last page.
        public var continuationToken: String?
    }

    /// Lists the keys under `prefix` in `bucket`, page by page (1,000 keys a page).
    ///
    /// - Parameter maximumKeys: at most this many keys on the page (S3's default and ceiling: 1,000).
    public func listObjects(bucket: String, prefix: String, delimiter: String? = nil, continuationToken: String? = nil,
                            maximumKeys: Int? = nil, isCancelled: () -> Bool = { false }) throws(AWSServiceError) -> ListPage {
        var request = baseRequest(method: "GET", bucket: bucket, key: nil)
        request.query = [("list-type", "2"), ("prefix", prefix)]
        if let delimiter { request.query.append(("delimiter", delimiter)) }
        if let continuationToken { request.query.append(("continuation-token", continuationToken)) }
        if let maximumKeys { request.query.append(("max-keys", String(maximumKeys))) }
        let response = try client.send(request, operation: "ListObjectsV2 s3://\(bucket)/\(prefix)", isCancelled: isCancelled)
        let xml = XMLElements(response.body)
        var page = ListPage()
        for entry in xml.all("Contents") {
            guard let key = entry.text("Key") else { continue }
            page.objects.append(S3ObjectReference(bucket: bucket, key: key, size: entry.text("Size").flatMap { Int($0) },
                                                  eTag: entry.text("ETag").map { $0.trimmingCharacters(in: ["\""]) }))
        }
        page.commonPrefixes = xml.all("CommonPrefixes").compactMap { $0.text("Prefix") }
        if xml.text("IsTruncated") == "true" {
            page.continuationToken = xml.text("NextContinuationToken")
        }
        return page
    }

    /// Every key under `prefix`, all pages.
    public func listAllObjects(bucket: String, prefix: String,
                               isCancelled: () -> Bool = { false }) throws(AWSServiceError) -> [S3ObjectReference] {
        var objects: [S3ObjectReference] = []
        var token: String?
        repeat {
            let page = try listObjects(bucket: bucket, prefix: prefix, continuationToken: token, isCancelled: isCancelled)
            objects += page.objects
            token = page.continuationToken
        } while token != nil && !isCancelled()
        return objects
    }

    /// The folders directly under `prefix` (a listing with delimiter `/`), all pages.
    public func listFolders(bucket: String, prefix: String) throws(AWSServiceError) -> [String] {
        var folders: [String] = []
        var token: String?
        repeat {
            let page = try listObjects(bucket: bucket, prefix: prefix, delimiter: "/", continuationToken: token)
            folders += page.commonPrefixes
            token = page.continuationToken
        } while token != nil
        return folders
    }

    /// `count` bytes of `key` from `offset` (fewer at the end of the object), with the object's
    /// whole size from `Content-Range`; an empty object is an empty part.
    public func getObjectPart(bucket: String, key: String, from offset: Int, count: Int,
                              isCancelled: () -> Bool = { false }) throws(AWSServiceError) -> (bytes: [UInt8], size: Int?) {
        var request = baseRequest(method: "GET", bucket: bucket, key: key)
        request.headers.append((name: "Range", value: "bytes=\(offset)-\(offset + count - 1)"))
        let response: AWSResponse
        do {
            response = try client.send(request, operation: "GetObject s3://\(bucket)/\(key)", isCancelled: isCancelled)
        } catch where error.status == 416 && offset == 0 {
            // S3 answers a range of an empty object InvalidRange.
            return ([], 0)
        }
        // `Content-Range: bytes 0-8388607/16777216`; a server that ignores Range answers 200 with all of it.
        let size = response.headers["content-range"].flatMap { $0.split(separator: "/").last.flatMap { Int($0) } }
        if response.status == 200 && response.headers["content-range"] == nil {
            let whole = response.body
            let end = min(whole.count, offset + count)
            return (offset < end ? Array(whole[offset..<end]) : [], whole.count)
        }
        return (response.body, size)
    }

    private func baseRequest(method: String, bucket: String, key: String?) -> AWSRequest {
        let encodedKey = key.map { "/" + AWSPercentEncoding.encode($0, keepingSlashes: true) } ?? "/"
        if let endpoint {
            return AWSRequest(method: method, scheme: endpoint.scheme, host: endpoint.host,
                              path: "/\(bucket)\(key == nil ? "" : encodedKey)")
        }
        let region = client.region
        if bucket.contains(".") {
            return AWSRequest(method: method, host: "s3.\(region).amazonaws.com", path: "/\(bucket)\(key == nil ? "" : encodedKey)")
        }
        return AWSRequest(method: method, host: "\(bucket).s3.\(region).amazonaws.com", path: encodedKey)
    }
}

import Foundation

/// The Security Hub call an alert sink makes: `BatchImportFindings` (REST JSON, `POST
/// /findings/import`), with the findings Security Hub refused named one by one.
public final class SecurityHubClient: Sendable {
    /// Findings in one request, at most (Security Hub's limit).
    public static let maximumFindings = 100
    /// The largest finding Security Hub takes: 240 KiB.
    public static let maximumFindingBytes = 240 * 1_024
    /// What one request may carry in all: Vigil's bound, so that 100 findings of the largest size
    /// are split over several requests rather than sent as one of 24 MiB.
    public static let maximumRequestBytes = 6 * 1_024 * 1_024

    private let client: AWSClient
    private let endpoint: AWSEndpoint

    public init(client: AWSClient, endpoint: AWSEndpoint) {
        self.client = client
        self.endpoint = endpoint
    }

    /// A finding Security Hub did not import, and why.
    public struct FailedFinding: Sendable, Equatable {
        public let id: String
        public let code: String
        public let message: String
    }

    /// Imports `findings` (each an ASFF finding as JSON text); returns those refused. Throws when
    /// the request as a whole failed.
    public func batchImportFindings(_ findings: [[UInt8]]) throws(AWSServiceError) -> [FailedFinding] {
        var body: [UInt8] = Array(#"{"Findings":["#.utf8)
        for (index, finding) in findings.enumerated() {
            if index > 0 { body.append(UInt8(ascii: ",")) }
            body += finding
        }
        body += Array("]}".utf8)
        let request = AWSRequest(method: "POST", scheme: endpoint.scheme, host: endpoint.host, path: "/findings/import",
                                 headers: [("Content-Type", "application/json")], body: body)
        let operation = "BatchImportFindings"
        let response = try client.send(request, operation: operation)
        guard let answer = (try? JSONSerialization.jsonObject(with: Data(response.body))) as? [String: Any] else {
            throw AWSServiceError(.other, status: response.status, message: "\(operation): the answer is not a JSON object")
        }
        let failed = answer["FailedFindings"] as? [[String: Any]] ?? []
        return failed.map { entry in
            FailedFinding(id: entry["Id"] as? String ?? "", code: entry["ErrorCode"] as? String ?? "",
                          message: entry["ErrorMessage"] as? String ?? "")
        }
    }
}

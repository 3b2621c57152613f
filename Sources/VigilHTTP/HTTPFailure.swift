import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Why a request got no HTTP answer, in words made from URLSession's error code alone: its own
/// descriptions repeat the whole URL, whose path or query may hold a token.
public enum HTTPFailure {
    /// A sentence, without its final period, saying what became of a request to `endpoint` (a host,
    /// or host and port) that failed with `code`.
    public static func sentence(_ code: URLError.Code?, endpoint: String) -> String {
        switch code {
        case .timedOut?: "No answer from \(endpoint) in time"
        case .cancelled?: "The request to \(endpoint) was cancelled"
        case .cannotConnectToHost?: "\(endpoint) refused the connection"
        case .networkConnectionLost?: "\(endpoint) closed the connection before answering"
        case .cannotFindHost?, .dnsLookupFailed?: "The host name of \(endpoint) could not be resolved"
        case .notConnectedToInternet?: "There is no network route to \(endpoint)"
        case .secureConnectionFailed?, .serverCertificateUntrusted?, .serverCertificateHasBadDate?,
             .serverCertificateHasUnknownRoot?, .serverCertificateNotYetValid?:
            "The TLS connection to \(endpoint) failed: its certificate is not trusted or the handshake failed"
        case .badServerResponse?, .zeroByteResource?, .cannotParseResponse?:
            "\(endpoint) closed the connection without a valid HTTP answer"
        case let code?: "The request to \(endpoint) failed (URLError \(code.rawValue))"
        case nil: "The request to \(endpoint) failed"
        }
    }
}

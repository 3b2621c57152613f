import Foundation

/// Why the metrics server could not be set up or started. Each case reads as a fact.
public enum MetricsServerError: Error, Equatable, CustomStringConvertible, LocalizedError {
    /// The listen address is not `ADDR:PORT`; `problem` says what is wrong with it.
    case invalidListenAddress(String, problem: String)
    /// Binding or listening on `address` failed; `reason` says why (port in use, no such address, …).
    case cannotListen(address: String, reason: String)
    /// ``MetricsServer/start()`` was called on a server that is already serving.
    case alreadyStarted

    /// A sentence for people.
    public var description: String {
        switch self {
        case .invalidListenAddress(let text, let problem):
            return "metrics listen address '\(text)' is invalid: \(problem); "
                + "expected ADDR:PORT such as 127.0.0.1:9464, [::1]:9464, 0.0.0.0:9464 or :9464"
        case .cannotListen(let address, let reason):
            return "cannot serve metrics on \(address): \(reason)"
        case .alreadyStarted:
            return "the metrics server is already started"
        }
    }

    /// The same sentence, for `localizedDescription`.
    public var errorDescription: String? { description }
}

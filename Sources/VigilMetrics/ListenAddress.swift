#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

// The address of `--metrics-listen`, read and checked before anything is bound.

extension MetricsServer {
    /// Parses `--metrics-listen`: `"127.0.0.1:9464"`, `"[::1]:9464"`, `"0.0.0.0:9464"`, `":9464"`
    /// (all IPv4 interfaces, returned as `0.0.0.0`) or `"localhost:9464"` (returned as `127.0.0.1`).
    ///
    /// Host names other than `localhost` are refused rather than resolved: a listen address names
    /// an interface of this machine, and a name that resolves differently later would move it.
    /// - Returns: The IP address without brackets and the port, 0…65535.
    /// - Throws: ``MetricsServerError/invalidListenAddress(_:problem:)`` saying what is wrong.
    public static func parseListenAddress(_ text: String) throws -> (host: String, port: Int) {
        func invalid(_ problem: String) -> MetricsServerError {
            .invalidListenAddress(text, problem: problem)
        }
        guard !text.isEmpty else { throw invalid("it is empty") }

        let host: String
        let portText: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else {
                throw invalid("the '[' of the IPv6 address is not closed")
            }
            host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw invalid("the port is missing after ']'") }
            portText = rest.dropFirst()
            guard isIPv6(host) else { throw invalid("'\(host)' is not an IPv6 address") }
        } else {
            guard let colon = text.lastIndex(of: ":") else {
                throw invalid("the port is missing")
            }
            let name = text[..<colon]
            portText = text[text.index(after: colon)...]
            if name.contains(":") {
                throw invalid("an IPv6 address must be in brackets, as in [::1]:9464")
            } else if name.isEmpty {
                host = "0.0.0.0"
            } else if name == "localhost" {
                host = "127.0.0.1"
            } else if isIPv4(String(name)) {
                host = String(name)
            } else {
                throw invalid("'\(name)' is not an IP address (give 127.0.0.1, 0.0.0.0 or [::1], not a host name)")
            }
        }
        guard !portText.isEmpty else { throw invalid("the port is missing") }
        guard portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
              let port = Int(portText), port <= 65_535
        else {
            throw invalid("the port '\(portText)' is not a number from 0 to 65535")
        }
        return (host, port)
    }

    private static func isIPv4(_ text: String) -> Bool {
        var address = in_addr()
        return inet_pton(AF_INET, text, &address) == 1
    }

    private static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return inet_pton(AF_INET6, text, &address) == 1
    }
}

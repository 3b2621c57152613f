/// Decides the reply to a request: `GET /metrics`, `GET /healthz`, 404 for other paths, 405 for
/// other methods on those two.
struct Routes: Sendable {
    let metrics: VigilMetrics
    let health: HealthCheck

    /// The Content-Type Prometheus expects for the text format it scrapes.
    static let metricsContentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The reply to a request line such as `GET /metrics?x=1 HTTP/1.1`.
    func reply(toRequestLine line: String) -> Reply {
        let parts = line.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[2].hasPrefix("HTTP/1."), parts[1].hasPrefix("/") else {
            return Reply(status: 400, body: "bad request: expected 'GET /metrics HTTP/1.1'\n")
        }
        let target = parts[1]
        let path = target[..<(target.firstIndex(of: "?") ?? target.endIndex)]
        guard path == "/metrics" || path == "/healthz" else {
            return Reply(status: 404, body: "not found: the endpoints are /metrics and /healthz\n")
        }
        guard parts[0] == "GET" else {
            return Reply(status: 405, extraHeaders: [("Allow", "GET")], body: "method not allowed: use GET\n",
                         omitsBody: parts[0] == "HEAD")
        }
        if path == "/metrics" {
            return Reply(status: 200, contentType: Self.metricsContentType, body: metrics.exposition())
        }
        switch health.status() {
        case .healthy:
            return Reply(status: 200, body: "ok\n")
        case .unhealthy(let reason):
            return Reply(status: 503, body: "unhealthy: \(reason)\n")
        }
    }
}

/// A webhook sink as configured: its delivery settings, and the headers whose values are
/// secrets and so come from the environment when the sink is made, never from the file.
public struct WebhookSinkSettings: Sendable, Equatable {
    /// Everything but the headers in `headerVariables`.
    public let configuration: WebhookConfiguration
    /// Header name → the environment variable holding its value (`{"env": "PAGER_TOKEN"}` in
    /// the file), such as an `Authorization` the receiver wants.
    public let headerVariables: [String: String]

    public init(configuration: WebhookConfiguration, headerVariables: [String: String] = [:]) {
        self.configuration = configuration
        self.headerVariables = headerVariables
    }

    /// The configuration with the headers read from `environment`; throws naming the header and
    /// the variable (never the value) when a variable is unset or its value is not a valid
    /// header value.
    public func resolved(environment: [String: String]) throws(WebhookConfigurationError) -> WebhookConfiguration {
        guard !headerVariables.isEmpty else { return configuration }
        var headers = configuration.headers
        for (header, variable) in headerVariables.sorted(by: { $0.key < $1.key }) {
            guard let value = environment[variable], !value.isEmpty else {
                throw WebhookConfigurationError(
                    "The environment variable \(variable), which holds the value of header \(header), is not set.")
            }
            headers[header] = value
        }
        return try configuration.changing(headers: headers)
    }
}

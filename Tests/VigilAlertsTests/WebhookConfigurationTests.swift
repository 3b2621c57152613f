import Testing
import VigilAlerts

@Suite struct WebhookConfigurationTests {
    @Test func defaultsAreEventBridgesOwn() throws {
        let configuration = try WebhookConfiguration(url: "https://hooks.example.com/vigil")
        #expect(configuration.timeout == 5)
        #expect(configuration.maximumRetryAttempts == 185)
        #expect(configuration.maximumEventAge == 86_400)
        #expect(configuration.firstRetryDelay == 1)
        #expect(configuration.maximumRetryDelay == 60)
        #expect(configuration.concurrency == 4)
        #expect(configuration.deliveredRetention == 7 * 86_400)
    }

    @Test(arguments: ["http://127.0.0.1:8080/hook", "http://localhost/hook", "http://[::1]:9000/", "https://example.com/"])
    func httpsAnywhereAndHTTPToLoopbackAreAccepted(url: String) throws {
        _ = try WebhookConfiguration(url: url)
    }

    @Test(arguments: ["http://example.com/hook", "http://10.0.0.1/hook", "http://127.0.0.1.example.com/",
                      "ftp://127.0.0.1/", "/relative/path", "https://"])
    func plainHTTPElsewhereAndOtherSchemesAreRefused(url: String) {
        #expect(throws: WebhookConfigurationError.self) { try WebhookConfiguration(url: url) }
    }

    @Test(arguments: [("http://127.0.0.1:99999/", "99999"), ("https://example.com:0/hook", "0"),
                      ("https://example.com:65536/", "65536")])
    func aPortOutsideOneTo65535IsRefusedWithIt(url: String, port: String) {
        do {
            _ = try WebhookConfiguration(url: url)
            Issue.record("\(url) was accepted")
        } catch {
            #expect(error.description == "The webhook URL \(url) has port \(port); a port is 1 to 65535.")
        }
    }

    @Test func aSinkSpecificationWithAnInvalidPortIsRefused() {
        #expect(throws: SinkError.self) { try SinkDefinition(specification: "webhook:http://127.0.0.1:99999/") }
    }

    @Test func headersVigilSetsItselfOrThatCouldInjectLinesAreRefused() throws {
        _ = try WebhookConfiguration(url: "https://example.com/", headers: ["Authorization": "Bearer token"])
        for headers in [["webhook-signature": "v1,x"], ["Content-Type": "text/plain"], ["X-Token": "a\r\nHost: evil"],
                        ["Bad Name": "x"]] {
            do {
                _ = try WebhookConfiguration(url: "https://example.com/", headers: headers)
                Issue.record("\(headers.keys) should be refused")
            } catch {
                // The message names the header but never repeats its value, which may be a token.
                #expect(!error.description.contains("evil") && !error.description.contains("v1,x"))
            }
        }
    }

    @Test func printingAConfigurationShowsNoTokens() throws {
        let configuration = try WebhookConfiguration(
            url: "https://user:pw@hooks.example.com/vigil?token=abc123", secretEnvironmentVariable: "HOOK_SECRET",
            headers: ["Authorization": "Bearer xyz789"])
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [String(describing: configuration), String(reflecting: configuration), dumped] {
            #expect(text.contains("hooks.example.com/vigil") && text.contains("Authorization") && text.contains("HOOK_SECRET"))
            #expect(!text.contains("abc123") && !text.contains("xyz789") && !text.contains("pw@"), "\(text)")
        }
    }

    @Test func settingsOutOfRangeAreRefused() {
        #expect(throws: WebhookConfigurationError.self) { try WebhookConfiguration(url: "https://e.com/", timeout: 0) }
        #expect(throws: WebhookConfigurationError.self) { try WebhookConfiguration(url: "https://e.com/", maximumRetryAttempts: -1) }
        #expect(throws: WebhookConfigurationError.self) { try WebhookConfiguration(url: "https://e.com/", concurrency: 0) }
        #expect(throws: WebhookConfigurationError.self) {
            try WebhookConfiguration(url: "https://e.com/", firstRetryDelay: 10, maximumRetryDelay: 1)
        }
    }
}

import Testing
import VigilAlerts

@Suite struct WebhookSignerTests {
    @Test func matchesTheStandardWebhooksTestVector() throws {
        // The example of the Standard Webhooks specification and its reference libraries
        // (github.com/standard-webhooks/standard-webhooks); recomputed independently with
        // Python: base64(hmac.new(b64decode("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"),
        // b'msg_p5jXN8AQM9LWM0D4loKWxJek.1614265330.{"test": 2432232314}', sha256).digest()).
        let signer = try WebhookSigner(secret: "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")
        let signature = signer.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                         body: Array(#"{"test": 2432232314}"#.utf8))
        #expect(signature == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
    }

    @Test func aSecretWithoutThePrefixIsUsedAsItsBytes() throws {
        // Computed with Python: base64(hmac.new(b"not-a-whsec-secret",
        // b'0123456789abcdef0123456789abcdef.1700000000.{"id":"0123456789abcdef0123456789abcdef","rule":"r"}',
        // sha256).digest()).
        let signer = try WebhookSigner(secret: "not-a-whsec-secret")
        let id = "0123456789abcdef0123456789abcdef"
        let headers = signer.headers(id: id, timestamp: 1_700_000_000, body: Array(#"{"id":"\#(id)","rule":"r"}"#.utf8))
        #expect(headers.map(\.name) == ["webhook-id", "webhook-timestamp", "webhook-signature"])
        #expect(headers.map(\.value) == [id, "1700000000", "v1,QDWOr7nM24NXihrtf1sjEuHjmGS/AyIRYV3QZx9dojc="])
    }

    @Test func theSecretIsReadFromTheNamedEnvironmentVariable() throws {
        let fromEnvironment = try WebhookSigner.fromEnvironment(
            variable: "HOOK_SECRET", environment: ["HOOK_SECRET": "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"])
        #expect(fromEnvironment.signature(id: "msg_p5jXN8AQM9LWM0D4loKWxJek", timestamp: 1_614_265_330,
                                          body: Array(#"{"test": 2432232314}"#.utf8))
            == "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=")
        #expect(throws: WebhookConfigurationError.self) {
            try WebhookSigner.fromEnvironment(variable: "HOOK_SECRET", environment: [:])
        }
    }

    @Test func theSecretAppearsInNoDescriptionOrError() throws {
        let secret = "whsec_c2VjcmV0LWtleS1ub3QtZm9yLWxvZ3M="
        let signer = try WebhookSigner(secret: secret)
        for text in [String(describing: signer), String(reflecting: signer), "\(signer)"] {
            #expect(!text.contains("c2VjcmV0"))
            #expect(text.contains("redacted"))
        }
        var dumped = ""
        dump(signer, to: &dumped)
        #expect(!dumped.contains("c2VjcmV0") && !dumped.contains("secret-key"))

        let malformed = "whsec_!!not base64 but secret!!"
        do {
            _ = try WebhookSigner.fromEnvironment(variable: "HOOK_SECRET", environment: ["HOOK_SECRET": malformed])
            Issue.record("a whsec_ secret that is not base64 should be refused")
        } catch {
            #expect(!error.description.contains("not base64 but secret"))
            #expect(error.description.contains("HOOK_SECRET"))
        }
    }
}

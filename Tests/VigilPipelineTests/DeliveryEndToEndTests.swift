import Foundation
import Testing
import VigilTestSupport

/// The delivery promise, checked on the built `vigil` binary as a user runs it: "Under a webhook
/// that fails, times out and rate-limits at random, every alert arrives exactly once by id, or
/// sits in the dead-letter file with its reason; none is lost across a kill and restart."
@Suite struct DeliveryEndToEndTests {
    @Test(.timeLimit(.minutes(1)))
    func underRandomFaultsAndAKillEveryAlertArrivesOrIsDeadLettered() throws {
        let vigil = try VigilExecutable.url()
        // The alerts to expect: the same replay into a file.
        let scenario = try DeliveryScenario(records: 300, vigil: vigil)
        defer { scenario.remove() }
        let (scratch, input, rules, expected) = (scenario.scratch, scenario.input, scenario.rules, scenario.expected)
        try #require(expected.count == 300)

        // The receiver refuses one alert in sixteen for good (404) and meets the others with
        // faults at random until an attempt gets through. Keeping the two apart makes the outcome
        // exact: a refused alert can only be dead-lettered, any other only delivered.
        let refused = expected.filter { $0.hasPrefix("0") }
        try #require(!refused.isEmpty)
        let faults = RandomFaults(seed: 2_026_11_23, choices: [
            (50, .status(200)),
            (6, .status(500, body: "internal error")),
            (6, .status(503)),
            (6, .status(429, headers: ["Retry-After": "0"])),
            (4, .hang(seconds: 0.5)),
            (4, .close),
        ])
        let server = try FaultInjectingServer { request in
            refused.contains(request.alertID ?? "") ? .status(404, body: "no such hook") : faults.next()
        }
        defer { server.stop() }
        let configuration = scratch.appendingPathComponent("vigil.json")
        try Data("""
            {"sinks": {"hook": {"type": "webhook", "url": "\(server.url)", "timeout": "0.3s",
                                "firstRetryDelay": "0.05s", "maxRetryDelay": "0.2s"}}}
            """.utf8).write(to: configuration)
        let state = scratch.appendingPathComponent("state").path
        let arguments = ["replay", "--config", configuration.path, "--rules", rules.path, "--sink", "hook",
                         "--state", state, input.path]
        func accepted() -> [String] {
            server.requests.filter(\.response.isAcceptance).compactMap(\.alertID)
        }

        // Killed while delivering: some alerts delivered, others pending, a few in flight.
        let first = try VigilProcess(vigil, arguments, outputIn: scratch, label: "first")
        let underWay = Polling.eventually(within: 15) { Set(accepted()).count >= 40 || !first.process.isRunning }
        first.kill()
        try #require(underWay, "no delivery got through: \(first.errorOutput)")
        let acceptedBeforeKill = Set(accepted()).count
        try #require(first.process.terminationReason == .uncaughtSignal, "vigil ended before the kill: \(first.errorOutput)")
        #expect(acceptedBeforeKill < expected.count - refused.count, "killed mid-delivery")

        // Restarted on the same state: it finishes what the first left, and the replay's alerts
        // already delivered or pending are not spooled twice. Rows the first had claimed wait
        // for their lease to lapse (2 × timeout + 10 s) before they are tried again.
        let second = try VigilProcess(vigil, arguments, outputIn: scratch, label: "second")
        let status = second.waitForExit(within: 40)
        #expect(status == 1, "exit 1: some alerts were dead-lettered. \(second.errorOutput)")

        let delivered = Set(accepted())
        let letters = try DeliveryScenario.objects(inLinesOf: state + "/dead-letters.jsonl")
        let deadLettered = Set(letters.compactMap { $0["id"] as? String })
        #expect(delivered.union(deadLettered) == expected, "every alert arrived or is in the dead-letter file, none missing")
        #expect(delivered == expected.subtracting(refused), "every alert the receiver would take arrived")
        #expect(deadLettered == refused, "every refused alert is dead-lettered, and only those")
        for letter in letters {
            #expect(letter["ERROR_CODE"] as? String == "HTTP_404")
            #expect((letter["ERROR_MESSAGE"] as? String)?.contains("no such hook") == true, "the reason is kept")
            #expect(letter["sink"] as? String == "hook")
        }
        #expect(second.errorOutput.contains("dead-letters.jsonl"), "the summary says where the dead letters are")
        #expect(server.requests.allSatisfy { $0.path == "/hook" && $0.method == "POST" })
        // Every kind of fault was met, not only the happy path.
        for fault in [ServerResponse.hang(seconds: 0.5), .close, .status(503), .status(500, body: "internal error")] {
            #expect(server.requests.contains { $0.response == fault }, "\(fault)")
        }
    }
}

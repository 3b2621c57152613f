import Foundation
import Synchronization
import Testing
import VigilAlerts
import VigilIngest
import VigilPipeline
import VigilTestSupport

@Suite struct DeliveryRouterTests {
    @Test func aSlowSinkDoesNotStallTheOthersAndReplayWaitsForIt() throws {
        let slowLog = DeliveryLog()
        let fastLog = DeliveryLog()
        let gate = DispatchSemaphore(value: 0)
        let finished = DispatchSemaphore(value: 0)
        let alertCount = Mutex(0)
        Thread {
            let router = AlertRouter(defaultSinks: [
                SinkQueue(GatedSink(name: "slow", log: slowLog, gate: gate), capacity: 100),
                SinkQueue(GatedSink(name: "fast", log: fastLog), capacity: 100),
            ], namedSinks: [])
            let loaded = RuleLoader.load(paths: [PipelineFixtures.rules])
            let summary = Replay(rules: RuleSet(loaded.rules), router: router,
                                 options: Replay.Options(paths: [PipelineFixtures.sampleLogs])).run { _ in }
            alertCount.withLock { $0 = summary.alerts }
            finished.signal()
        }.start()

        // The sample logs' alerts; all reach the fast sink while the slow one has none.
        let allArrived = Polling.eventually(within: 10) { fastLog.alertIDs.count == SampleReplayTests.alertCount }
        #expect(allArrived, "the fast sink got \(fastLog.alertIDs.count) alerts")
        #expect(slowLog.all.isEmpty)
        #expect(finished.wait(timeout: .now() + 0.2) == .timedOut, "replay waits for the slow sink")
        gate.signal()
        #expect(finished.wait(timeout: .now() + 10) == .success)
        #expect(alertCount.withLock { $0 } == SampleReplayTests.alertCount)
        #expect(slowLog.alertIDs == fastLog.alertIDs, "the slow sink got the same alerts, in the same order")
        #expect(slowLog.all.last == "#finish" && fastLog.all.last == "#finish")
    }
}

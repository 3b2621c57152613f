import Foundation
import Testing
@testable import VigilAlerts

/// Claims of several spooled alerts at once, for transports that send batches (EventBridge,
/// Security Hub): as many due rows as the batch limits allow, and always one.
@Suite struct DeliveryBatchClaimTests {
    func spool(with bodySizes: [Int], in scratch: ScratchDirectory) throws -> DeliverySpool {
        let spool = try DeliverySpool(database: try StateDatabase(directory: scratch.path))
        let now = Date()
        for (index, size) in bodySizes.enumerated() {
            try spool.enqueue([PendingDelivery(sink: "bus", alertID: "a\(index)", rule: "r", body: Array(repeating: 0x61, count: size),
                                               contentType: "application/json", severity: "low")],
                              now: now.addingTimeInterval(Double(index) * 0.001 - 10))
        }
        return spool
    }

    @Test func aClaimTakesTheEarliestDueRowsUpToTheCountAndBytes() throws {
        let scratch = ScratchDirectory()
        let spool = try spool(with: Array(repeating: 100, count: 25), in: scratch)
        let limit = DeliveryBatchLimit(count: 10, bytes: 1_000, entryOverhead: 16)
        let first = try spool.claimDue(sink: "bus", now: Date(), lease: 60, limit: limit)
        #expect(first.map(\.alertID) == (0..<8).map { "a\($0)" }, "8 × (100 + 16) fits in 1,000 bytes, 9 do not")
        #expect(first.allSatisfy { $0.attempts == 1 && $0.severity == "low" })
        let second = try spool.claimDue(sink: "bus", now: Date(), lease: 60, limit: DeliveryBatchLimit(count: 10))
        #expect(second.map(\.alertID) == (8..<18).map { "a\($0)" }, "claimed rows are held; at most 10")
        #expect(try spool.claimDue(sink: "other", now: Date(), lease: 60, limit: limit).isEmpty)
    }

    @Test func aRowLargerThanTheByteLimitIsClaimedAloneForTheTransportToRefuse() throws {
        let scratch = ScratchDirectory()
        let spool = try spool(with: [5_000, 10], in: scratch)
        let limit = DeliveryBatchLimit(count: 10, bytes: 1_000)
        #expect(try spool.claimDue(sink: "bus", now: Date(), lease: 60, limit: limit).map(\.alertID) == ["a0"])
        #expect(try spool.claimDue(sink: "bus", now: Date(), lease: 60, limit: limit).map(\.alertID) == ["a1"])
    }
}

import Testing
@testable import VigilPipeline

@Suite("The table of sent alert ids")
struct AlertIDTableTests {
    @Test("holds what a Set holds: random ids, ids sharing their low bits, and 0, through growth")
    func agreesWithSet() {
        var generator = SystemRandomNumberGenerator()
        var table = AlertIDTable()
        var reference = Set<UInt128>()
        var candidates: [UInt128] = [0, 1, UInt128(1) << 64, UInt128(UInt64.max)]
        for _ in 0..<20_000 { candidates.append(UInt128(generator.next() as UInt64) << 64 | UInt128(generator.next() as UInt64)) }
        // Ids whose low bits are equal all land on one run of slots.
        for high in 0..<2_000 { candidates.append(UInt128(high + 1) << 64 | 0x5A5A) }
        candidates.shuffle()
        for id in candidates + candidates.prefix(5_000) {
            let inserted = table.insert(id)
            #expect(inserted == reference.insert(id).inserted)
        }
        #expect(table.count == reference.count)
        for id in candidates { #expect(table.contains(id)) }
        for _ in 0..<5_000 {
            let absent = UInt128(generator.next() as UInt64) << 64 | UInt128(generator.next() as UInt64)
            #expect(table.contains(absent) == reference.contains(absent))
        }
    }
}

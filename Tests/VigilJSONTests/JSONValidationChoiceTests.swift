import Foundation
import Testing
@testable import VigilJSON

/// Which validator proves records well-formed (`JSONValidationChoice`): AVX2 where the CPU has it,
/// the scalar one without it or when `VIGIL_JSON_VALIDATION=scalar` asks (CI runs the tests once
/// more that way, `.ci/run`, so both routes are exercised on one machine).
@Suite("JSON validation route: chosen at run time, and said why")
struct JSONValidationChoiceTests {
    @Test("AVX2 when the CPU has it, scalar when it does not or when VIGIL_JSON_VALIDATION=scalar asks")
    func decision() {
        let vector = JSONValidationChoice.decide(requested: nil, cpuHasAVX2: true)
        #expect(vector.route == .avx2)
        #expect(vector.description == "JSON validation: AVX2")

        let lacking = JSONValidationChoice.decide(requested: nil, cpuHasAVX2: false)
        #expect(lacking.route == .scalar)
        #expect(lacking.description == "JSON validation: scalar (no AVX2)")

        let requested = JSONValidationChoice.decide(requested: "scalar", cpuHasAVX2: true)
        #expect(requested.route == .scalar)
        #expect(requested.description == "JSON validation: scalar (VIGIL_JSON_VALIDATION=scalar)")

        // Only "scalar" is a request; anything else leaves the choice to the CPU.
        #expect(JSONValidationChoice.decide(requested: "avx2", cpuHasAVX2: true).route == .avx2)
        #expect(JSONValidationChoice.decide(requested: "", cpuHasAVX2: false).route == .scalar)
    }

    @Test("This process's choice follows its environment and its CPU")
    func current() {
        let choice = JSONValidationChoice.current
        if ProcessInfo.processInfo.environment["VIGIL_JSON_VALIDATION"] == "scalar" {
            #expect(choice.reason == .scalarRequested)
        } else if JSONValidationChoice.cpuHasAVX2 {
            #expect(choice.route == .avx2 && choice.reason == .cpuHasAVX2)
        } else {
            #expect(choice.route == .scalar && choice.reason == .cpuLacksAVX2)
        }
    }

    @Test("JSONValidator takes the chosen route: the vector validator proves a record only on the AVX2 route")
    func theChosenRouteIsTaken() {
        let record = Array(#"{"eventName":"GetSecretValue","requestParameters":{"secretId":"prod/db"}}"#.utf8)
        record.withUnsafeBytes { bytes in
            let members = ObjectMemberIndex()
            let proven = VectorJSONValidation.validateValue(bytes, from: 0, maximumDepth: JSONBytes.maximumDepth, members: members)
            #expect((proven != nil) == (JSONValidationChoice.current.route == .avx2))
            // Either way the validator's answer is the same.
            #expect((try? JSONValidator.validateValue(bytes, from: 0, members: members)) == record.count)
            #expect(members.count == 2)
        }
    }
}

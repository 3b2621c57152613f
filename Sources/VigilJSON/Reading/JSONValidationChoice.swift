import CSimd

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which validator proves records well-formed, decided once per process at run time: the AVX2
/// one (`Sources/CSimd`) where the CPU has AVX2 and carry-less multiplication, unless
/// `VIGIL_JSON_VALIDATION=scalar` asks for the scalar one; the scalar one otherwise.
///
/// Either way every problem is found and reported by the scalar validator, so the route changes
/// speed only. The switch is there for comparisons and so that CI, on a machine with AVX2, also
/// runs the tests along the route a machine without it takes (`.ci/run`).
public struct JSONValidationChoice: Sendable, Equatable, CustomStringConvertible {
    /// How a well-formed record is proven.
    public enum Route: String, Sendable {
        /// 64 bytes at a time (CSimd); what it does not prove, the scalar validator decides.
        case avx2 = "AVX2"
        /// Byte by byte (`JSONValidator`).
        case scalar
    }

    /// Why the route was chosen.
    public enum Reason: Sendable, Equatable {
        case cpuHasAVX2
        case cpuLacksAVX2
        /// `VIGIL_JSON_VALIDATION=scalar` is set.
        case scalarRequested
    }

    public let route: Route
    public let reason: Reason

    /// The name of the environment variable that can ask for the scalar route.
    public static let variable = "VIGIL_JSON_VALIDATION"

    /// The decision, from the value of `VIGIL_JSON_VALIDATION` (nil when unset) and whether the
    /// CPU has what the AVX2 validator needs.
    public static func decide(requested: String?, cpuHasAVX2: Bool) -> JSONValidationChoice {
        if requested == "scalar" { return JSONValidationChoice(route: .scalar, reason: .scalarRequested) }
        return cpuHasAVX2 ? JSONValidationChoice(route: .avx2, reason: .cpuHasAVX2)
                          : JSONValidationChoice(route: .scalar, reason: .cpuLacksAVX2)
    }

    /// Whether this CPU has what the AVX2 validator needs.
    public static let cpuHasAVX2 = vigil_simd_json_available() != 0

    /// This process's choice, made once, on first use.
    public static let current = decide(requested: getenv(variable).map { String(cString: $0) }, cpuHasAVX2: cpuHasAVX2)

    /// One line for people: `JSON validation: AVX2`, `JSON validation: scalar (no AVX2)`,
    /// `JSON validation: scalar (VIGIL_JSON_VALIDATION=scalar)`.
    public var description: String {
        switch reason {
        case .cpuHasAVX2: "JSON validation: AVX2"
        case .cpuLacksAVX2: "JSON validation: scalar (no AVX2)"
        case .scalarRequested: "JSON validation: scalar (\(Self.variable)=scalar)"
        }
    }
}

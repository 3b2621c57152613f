internal import CIsal

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Which library decodes gzip.
public enum GzipEngine: String, Sendable, CaseIterable {
    /// Intel ISA-L's igzip: the fastest, used wherever its library is installed.
    case isal = "ISA-L"
    /// zlib: always there.
    case zlib

    /// What a process uses unless told otherwise: `GzipEngineChoice.current`'s engine.
    public static var preferred: GzipEngine { GzipEngineChoice.current.engine }

    /// The engines this machine has.
    public static var available: [GzipEngine] {
        vigil_isal_available() != 0 ? [.isal, .zlib] : [.zlib]
    }
}

/// The gzip decoder a process uses, and why, decided at run time: ISA-L when its library
/// (libisal.so.2) opens, unless `VIGIL_INFLATE=zlib` asks for zlib (for comparisons); else zlib.
///
/// The choice is made when the process first needs it, never when Vigil is built, so a binary
/// built before ISA-L was installed uses it once it is; the replay summary and `vigil --version`
/// say which runs (`description`), so that a machine without it does not go unnoticed.
public struct GzipEngineChoice: Sendable, Equatable, CustomStringConvertible {
    /// Why the engine was chosen.
    public enum Reason: Sendable, Equatable {
        /// The ISA-L library of this name opened.
        case libraryOpened(String)
        /// The ISA-L library of this name is not installed (or could not be opened).
        case libraryNotFound(String)
        /// `VIGIL_INFLATE=zlib` is set.
        case zlibRequested
    }

    public let engine: GzipEngine
    public let reason: Reason

    /// The name of the environment variable that can ask for zlib.
    public static let variable = "VIGIL_INFLATE"

    /// The decision, from the value of `VIGIL_INFLATE` (nil when unset) and the ISA-L library's
    /// name and whether it opens (asked only when zlib was not requested).
    public static func decide(requested: String?, library: String, libraryOpens: @autoclosure () -> Bool) -> GzipEngineChoice {
        if requested == "zlib" { return GzipEngineChoice(engine: .zlib, reason: .zlibRequested) }
        return libraryOpens() ? GzipEngineChoice(engine: .isal, reason: .libraryOpened(library))
                              : GzipEngineChoice(engine: .zlib, reason: .libraryNotFound(library))
    }

    /// This process's choice, made once, on first use.
    public static let current: GzipEngineChoice = decide(
        requested: getenv(variable).map { String(cString: $0) },
        library: String(cString: vigil_isal_library_name()),
        libraryOpens: vigil_isal_available() != 0)

    /// One line for people: `gzip: ISA-L (libisal.so.2)`, `gzip: zlib (libisal.so.2 not found)`,
    /// `gzip: zlib (VIGIL_INFLATE=zlib)`.
    public var description: String {
        let why = switch reason {
        case .libraryOpened(let library): library
        case .libraryNotFound(let library): "\(library) not found"
        case .zlibRequested: "\(Self.variable)=zlib"
        }
        return "gzip: \(engine.rawValue) (\(why))"
    }
}

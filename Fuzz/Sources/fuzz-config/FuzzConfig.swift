// Seeds: only the hand-written ones in Fuzz/Seeds/fuzz-config (the README's example and variants).
// fuzz-dict: config.dict
// fuzz-max-len: 8192
import FuzzSupport
import VigilAlerts

/// A configuration file (`--config`), read as `vigil` reads one: every setting checked, sinks
/// defined and named.
///
/// Checked: no crash; a file refused says why (at least one problem, each with a reason); a file
/// accepted names every sink it defines, and each can be looked up.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    do throws(ConfigurationError) {
        let configuration = try VigilConfiguration(json: fuzzBytes(data, size), file: "fuzz.json", baseDirectory: "/etc/vigil")
        for name in configuration.sinks.keys {
            fuzzRequire((try? configuration.sinkDefinition(named: name)) != nil, "sink \(name) is defined but cannot be looked up")
        }
        _ = configuration.sinkNames
    } catch {
        fuzzRequire(!error.problems.isEmpty, "a configuration refused without a problem")
        for problem in error.problems {
            fuzzRequire(!problem.reason.isEmpty, "a configuration problem without a reason")
        }
    }
    return 0
}

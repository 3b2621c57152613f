// fuzz-seeds: files Rules shared/corpus/eventbridge
// fuzz-dict: pattern.dict
// fuzz-max-len: 16384
import FuzzSupport
import VigilAlerts
import VigilPattern

/// A rule file (Vigil's own, or EventBridge rules as AWS exports them), loaded as `vigil rules
/// validate` loads one, its rules compiled into one set as a replay does, and their inline tests
/// run as `vigil rules test` runs them.
///
/// Checked: no crash and no hang; every problem has a reason.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRules(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    ruleFile.write(fuzzBytes(data, size))
    let result = RuleLoader.load(paths: [ruleFile.path])
    for problem in result.problems + result.notices {
        fuzzRequire(!problem.reason.isEmpty, "a rule problem without a reason")
    }
    _ = RuleSet(result.rules)
    for rule in result.rules {
        _ = RuleTestRunner.run(rule)
    }
    return 0
}

/// The file every input is written to: `RuleLoader` reads paths.
let ruleFile = TemporaryFile(name: "rules.json")

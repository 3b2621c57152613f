/// Why a value of a template cannot be resolved without deploying it: the function, where in the
/// template (`Resources.rRule.Properties.EventPattern.detail.account[0]`), and what to pass.
struct TemplateResolutionProblem: Error, Sendable {
    /// The intrinsic function (`Ref`, `Fn::Sub`, …) or tag that could not be resolved.
    let function: String
    /// The path of the value in the template.
    let path: String
    let line: Int
    let reason: String
    /// The command-line option that would resolve it, e.g. `--parameter pRegion=VALUE`.
    var remedy: String? = nil

    var message: String {
        "\(function) at \(path): \(reason)" + (remedy.map { "; pass \($0)" } ?? "")
    }
}

import ArgumentParser
import VigilIngest

/// The `vigil` command: subcommands for each way Vigil is used.
@main
struct Vigil: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Detective controls for AWS logs: match CloudTrail, VPC Flow Logs, GuardDuty, AWS Config, database audit logs and Security Hub against EventBridge patterns.",
        // Which gzip decoder runs and why is decided at run time, so --version asks it then.
        version: "vigil \(release)\n\(GzipEngineChoice.current)",
        subcommands: [ReplayCommand.self, HuntCommand.self, TailCommand.self, StatusCommand.self, NormalizeCommand.self, TestPatternCommand.self, RulesCommand.self, DeadLetterCommand.self, ReportCommand.self]
    )

    /// This build's version.
    static let release = "0.1.0-dev"

    static func main() {
        HeapTuning.apply()
        main(nil)
    }
}

import ArgumentParser

/// The `vigil` command: subcommands for each way Vigil is used.
@main
struct Vigil: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vigil",
        abstract: "Detective controls for AWS logs: match CloudTrail, VPC Flow Logs and GuardDuty against EventBridge patterns.",
        subcommands: [ReplayCommand.self, TailCommand.self, StatusCommand.self, NormalizeCommand.self, TestPatternCommand.self, RulesCommand.self, DeadLetterCommand.self]
    )
}

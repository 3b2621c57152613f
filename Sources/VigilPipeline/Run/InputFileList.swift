import VigilIngest
import VigilLayout

/// The files a run reads: everything under the paths given, less the documentation that
/// archives carry beside their logs (`README…`, `*.md`) and the logs of AWS services Vigil does
/// not read (`AWSLogs/ACCOUNT/elasticloadbalancing/…`, see `AWSLogsServices`), which are counted
/// rather than reported as an unknown format. A file named explicitly is always read.
struct InputFileList {
    var files: [String] = []
    var documentation = 0
    /// Files passed over because their service is one Vigil does not read, by service folder.
    var otherServices: [String: Int] = [:]
    var problems: [InputProblem] = []

    /// The files under `paths`, never those under `skipping` (Vigil's own state directory).
    init(paths: [String], skipping directories: [String] = []) {
        let walked = LogTreeWalker(skipping: directories).files(under: paths)
        problems = walked.problems
        let named = Set(paths)
        for file in walked.files {
            let name = String(LogFileContext.fileName(of: file))
            if named.contains(file) {
                files.append(file)
            } else if PathFilter.isArchiveDocumentation(name: name) {
                documentation += 1
            } else if let service = AWSLogsServices.unreadService(of: file) {
                otherServices[service, default: 0] += 1
            } else {
                files.append(file)
            }
        }
    }

    /// What listing came to, as a run's first counts; each problem of the walk goes to `onProblem`.
    func summary(reportingTo onProblem: (InputProblem) -> Void) -> RunSummary {
        var summary = RunSummary()
        if documentation > 0 { summary.filesSkipped["documentation", default: 0] += documentation }
        for (service, count) in otherServices {
            summary.filesSkipped[Self.otherServiceLabel(service), default: 0] += count
        }
        for problem in problems {
            summary.problems[problem.kind, default: 0] += 1
            onProblem(problem)
        }
        return summary
    }

    /// How the summary names files of a service Vigil does not read.
    static func otherServiceLabel(_ service: String) -> String {
        "\(service) logs, a service Vigil does not read"
    }
}

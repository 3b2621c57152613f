import VigilIngest

/// The files a run reads: everything under the paths given, less the documentation that
/// archives carry beside their logs (`README…`, `*.md`), which is counted rather than reported
/// as an unknown format. A file named explicitly is always read.
struct InputFileList {
    var files: [String] = []
    var documentation = 0
    var problems: [InputProblem] = []

    /// The files under `paths`, never those under `skipping` (Vigil's own state directory).
    init(paths: [String], skipping directories: [String] = []) {
        let walked = LogTreeWalker(skipping: directories).files(under: paths)
        problems = walked.problems
        let named = Set(paths)
        for file in walked.files {
            let name = file.split(separator: "/").last.map(String.init) ?? file
            if !named.contains(file) && PathFilter.isArchiveDocumentation(name: name) {
                documentation += 1
            } else {
                files.append(file)
            }
        }
    }

    /// What listing came to, as a run's first counts; each problem of the walk goes to `onProblem`.
    func summary(reportingTo onProblem: (InputProblem) -> Void) -> RunSummary {
        var summary = RunSummary()
        if documentation > 0 { summary.filesSkipped["documentation", default: 0] += documentation }
        for problem in problems {
            summary.problems[problem.kind, default: 0] += 1
            onProblem(problem)
        }
        return summary
    }
}

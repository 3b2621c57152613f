import VigilIngest

/// The files a run reads: everything under the paths given, less the documentation that
/// archives carry beside their logs (`README…`, `*.md`), which is counted rather than reported
/// as an unknown format. A file named explicitly is always read.
struct InputFileList {
    var files: [String] = []
    var documentation = 0
    var problems: [InputProblem] = []

    init(paths: [String]) {
        let walked = LogTreeWalker().files(under: paths)
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
}

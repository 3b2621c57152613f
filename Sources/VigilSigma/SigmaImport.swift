import Foundation

/// `vigil rules import-sigma PATH…`: reads Sigma files and directories (`*.yml`, `*.yaml`,
/// recursively, in name order), converts each, and keeps going past damaged or refused files.
public enum SigmaImport {
    public struct Outcome: Sendable {
        public var rules: [ConvertedSigmaRule] = []
        public var problems: [SigmaProblem] = []
        /// Files read.
        public var files = 0
    }

    public static func run(paths: [String]) -> Outcome {
        var outcome = Outcome()
        var names: [String: String] = [:]
        for file in files(paths, problems: &outcome.problems) {
            outcome.files += 1
            guard let data = FileManager.default.contents(atPath: file) else {
                outcome.problems.append(SigmaProblem(file: file, kind: .damaged, reason: "cannot be read"))
                continue
            }
            guard let text = String(data: data, encoding: .utf8) else {
                outcome.problems.append(SigmaProblem(file: file, kind: .damaged, reason: "is not UTF-8 text"))
                continue
            }
            switch SigmaConverter.convert(yaml: text, file: file) {
            case .success(let rule):
                if let earlier = names[rule.name] {
                    outcome.problems.append(SigmaProblem(file: file, kind: .damaged,
                                                         reason: "its rule name \(rule.name) is already taken by \(earlier)"))
                    continue
                }
                names[rule.name] = file
                outcome.rules.append(rule)
            case .failure(let problem):
                outcome.problems.append(problem)
            }
        }
        return outcome
    }

    private static func files(_ paths: [String], problems: inout [SigmaProblem]) -> [String] {
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                problems.append(SigmaProblem(file: path, kind: .damaged, reason: "no such file or directory"))
                continue
            }
            guard isDirectory.boolValue else {
                files.append(path)
                continue
            }
            let found = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? [])
                .filter { $0.lowercased().hasSuffix(".yml") || $0.lowercased().hasSuffix(".yaml") }
                .sorted()
            files += found.map { (path as NSString).appendingPathComponent($0) }
        }
        return files
    }
}

import Foundation
import VigilPattern

/// Reads rule files (DESIGN.md): a JSON object holding one rule or an array of them, and
/// directories of such files. Every problem is collected, with file, rule and reason, rather than
/// stopping at the first, so that `vigil rules validate` can list them all.
///
/// The event pattern is read from the file's own bytes, never re-serialized, so that numbers and
/// strings keep exactly the spelling EventBridge would see.
public enum RuleLoader {
    /// Keys a rule object may have.
    static let knownKeys: Set<String> = [
        "name", "description", "severity", "state", "eventPattern", "targets", "inputTransformer",
        "dedup", "threshold", "tags", "references", "tests",
    ]
    /// Keys whose features are not built yet: a rule using them is refused rather than run
    /// without them (a threshold rule run without its threshold would alert on every event).
    static let unsupportedKeys: Set<String> = ["inputTransformer", "dedup", "threshold"]

    public struct Result: Sendable {
        public var rules: [Rule] = []
        public var problems: [RuleProblem] = []
    }

    /// Loads every rule under `paths` (files, or directories searched for `*.json`).
    public static func load(paths: [String]) -> Result {
        var result = Result()
        for path in paths {
            for file in ruleFiles(at: path, problems: &result.problems) {
                load(file: file, into: &result)
            }
        }
        var seen: [String: String] = [:]
        for rule in result.rules {
            if let first = seen[rule.name] {
                result.problems.append(RuleProblem(file: rule.file, rule: rule.name,
                                                   reason: "Duplicate rule name (also in \(first))"))
            } else {
                seen[rule.name] = rule.file
            }
        }
        return result
    }

    private static func ruleFiles(at path: String, problems: inout [RuleProblem]) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            problems.append(RuleProblem(file: path, reason: "No such file or directory"))
            return []
        }
        guard isDirectory.boolValue else { return [path] }
        guard let enumerator = FileManager.default.enumerator(atPath: path) else {
            problems.append(RuleProblem(file: path, reason: "The directory cannot be read"))
            return []
        }
        var files: [String] = []
        for case let relative as String in enumerator where relative.hasSuffix(".json") {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            files.append(path.hasSuffix("/") ? path + relative : path + "/" + relative)
        }
        return files.sorted()
    }

    static func load(file: String, into result: inout Result) {
        guard let data = FileManager.default.contents(atPath: file) else {
            result.problems.append(RuleProblem(file: file, reason: "The file cannot be read"))
            return
        }
        let bytes = [UInt8](data)
        bytes.withUnsafeBytes { buffer in
            do throws(EventError) {
                try JSONValidator.validate(buffer)
            } catch {
                let (line, column) = lineAndColumn(of: error.offset, in: buffer)
                result.problems.append(RuleProblem(file: file, line: line, column: column,
                                                   reason: "Not valid JSON: \(error.message)"))
                return
            }
            let start = JSONBytes.skipWhitespace(buffer, from: 0)
            if buffer[start] == UInt8(ascii: "[") {
                var index = 0
                JSONBytes.forEachElement(in: buffer, arrayAt: start) { element in
                    readRule(buffer, element, file: file, index: index, into: &result)
                    index += 1
                }
            } else {
                readRule(buffer, start..<buffer.count, file: file, index: nil, into: &result)
            }
        }
    }

    private static func readRule(_ file: UnsafeRawBufferPointer, _ range: Range<Int>, file path: String, index: Int?,
                                 into result: inout Result) {
        let bytes = UnsafeRawBufferPointer(rebasing: file[range])
        let (line, column) = lineAndColumn(of: range.lowerBound, in: file)
        var problems: [String] = []
        guard bytes[JSONBytes.skipWhitespace(bytes, from: 0)] == UInt8(ascii: "{") else {
            result.problems.append(RuleProblem(file: path, line: line, column: column,
                                               reason: "A rule must be a JSON object"))
            return
        }
        var members: [String: Range<Int>] = [:]
        for member in (try? JSONMembers.read(bytes)) ?? [] {
            if members[member.key] != nil { problems.append("The key \"\(member.key)\" appears twice") }
            members[member.key] = member.value
        }
        let name = members["name"].flatMap { string(bytes, $0) }
        let label = name ?? index.map { "#\($0)" }
        func report(_ reason: String) {
            result.problems.append(RuleProblem(file: path, rule: label, line: line, column: column, reason: reason))
        }
        for key in members.keys.sorted() where !knownKeys.contains(key) {
            problems.append("Unknown key \"\(key)\"")
        }
        for key in members.keys.sorted() where unsupportedKeys.contains(key) {
            problems.append("\"\(key)\" is not supported yet; remove it or wait for the rules release that adds it")
        }
        if let name {
            if !isValidName(name) {
                problems.append("The name must be 1 to 64 characters of letters, digits, '.', '-' and '_'")
            }
        } else {
            problems.append(members["name"] == nil ? "A rule needs a \"name\"" : "\"name\" must be a string")
        }
        var description = ""
        if let range = members["description"] {
            if let text = string(bytes, range) { description = text } else { problems.append("\"description\" must be a string") }
        }
        var severity = Severity.medium
        if let range = members["severity"] {
            if let text = string(bytes, range), let value = Severity(rawValue: text) {
                severity = value
            } else {
                problems.append("\"severity\" must be one of info, low, medium, high, critical")
            }
        } else {
            problems.append("A rule needs a \"severity\" (info, low, medium, high or critical)")
        }
        var isEnabled = true
        if let range = members["state"] {
            switch string(bytes, range) {
            case "ENABLED": isEnabled = true
            case "DISABLED": isEnabled = false
            default: problems.append("\"state\" must be ENABLED or DISABLED")
            }
        }
        var targets: [String]?
        if let range = members["targets"] {
            if let list = stringArray(bytes, range), !list.isEmpty { targets = list } else {
                problems.append("\"targets\" must be a non-empty array of sink names")
            }
        }
        var tags: [String] = []
        if let range = members["tags"] {
            if let list = stringArray(bytes, range) { tags = list } else if bytes[range.lowerBound] == UInt8(ascii: "{") {
                for member in (try? JSONMembers.read(UnsafeRawBufferPointer(rebasing: bytes[range]))) ?? [] {
                    let value = string(UnsafeRawBufferPointer(rebasing: bytes[range]), member.value) ?? ""
                    tags.append(value.isEmpty ? member.key : "\(member.key)=\(value)")
                }
            } else {
                problems.append("\"tags\" must be an array of strings or an object of strings")
            }
        }
        var references: [String] = []
        if let range = members["references"] {
            if let list = stringArray(bytes, range) { references = list } else { problems.append("\"references\" must be an array of strings") }
        }
        if let range = members["tests"], bytes[range.lowerBound] != UInt8(ascii: "[") {
            problems.append("\"tests\" must be an array")
        }
        var pattern: EventPattern?
        if let range = members["eventPattern"] {
            var patternBytes = Array(bytes[range])
            if bytes[range.lowerBound] == UInt8(ascii: "\"") {
                // The AWS APIs carry the pattern as a JSON string holding JSON text.
                var unescaped: [UInt8] = []
                JSONString.unescape(UnsafeRawBufferPointer(rebasing: bytes[(range.lowerBound + 1)..<(range.upperBound - 1)]),
                                    into: &unescaped)
                patternBytes = unescaped
            }
            do {
                pattern = try EventPattern(json: patternBytes)
            } catch {
                problems.append("Invalid eventPattern: \(error.message)")
            }
        } else {
            problems.append("A rule needs an \"eventPattern\"")
        }
        guard problems.isEmpty, let name, let pattern else {
            for problem in problems { report(problem) }
            return
        }
        result.rules.append(Rule(name: name, description: description, severity: severity, isEnabled: isEnabled,
                                 pattern: pattern, targets: targets, tags: tags, references: references, file: path))
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }

    private static func string(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> String? {
        guard let (contents, _) = JSONMembers.stringContents(of: range, in: bytes) else { return nil }
        var output: [UInt8] = []
        JSONString.unescape(UnsafeRawBufferPointer(rebasing: bytes[contents]), into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func stringArray(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> [String]? {
        guard bytes[range.lowerBound] == UInt8(ascii: "[") else { return nil }
        var values: [String] = []
        var allStrings = true
        JSONBytes.forEachElement(in: bytes, arrayAt: range.lowerBound) { element in
            if let value = string(bytes, element) { values.append(value) } else { allStrings = false }
        }
        return allStrings ? values : nil
    }

    static func lineAndColumn(of offset: Int, in bytes: UnsafeRawBufferPointer) -> (Int, Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}

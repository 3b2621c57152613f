import Foundation
import VigilJSON

/// Reads rule files: Vigil's own (ARCHITECTURE.md: a JSON object holding one rule, or an array of them),
/// EventBridge rules as AWS exports them (`aws events describe-rule` and `list-rules` output),
/// CloudFormation and SAM templates in JSON or YAML (`CloudFormationTemplate`) and Terraform's
/// state and plan JSON (`TerraformRules`), from files and directories.
///
/// Every problem is collected, with file, rule and reason, rather than stopping at the first, so
/// that `vigil rules validate` can list them all. The event pattern is read from the file's own
/// bytes, never re-serialized, so numbers and strings keep exactly the spelling EventBridge sees.
public enum RuleLoader {
    public struct Result: Sendable {
        public var rules: [Rule] = []
        /// Problems that make a rule (or a file) unusable; any of them fails `rules validate`.
        public var problems: [RuleProblem] = []
        /// Things worth knowing that do not stop a rule, e.g. a scheduled EventBridge rule skipped.
        public var notices: [RuleProblem] = []
        /// How many rule files were read.
        public var files = 0
    }

    /// The file names a rules directory is searched for (recursively); YAML and `.template` files
    /// are read as CloudFormation or SAM templates.
    public static let fileExtensions = [".json", ".yaml", ".yml", ".template"]

    /// A YAML template larger than this is refused unread: CloudFormation itself takes at most
    /// 1 MB of template, and the cap bounds what a hostile file can make the YAML parser do.
    static let maximumYAMLBytes = 8 << 20

    /// Loads every rule under `paths` (files, or directories searched recursively for the
    /// `fileExtensions`); `parameters` resolve the templates' intrinsic functions.
    public static func load(paths: [String], parameters: TemplateParameters = TemplateParameters()) -> Result {
        var result = Result()
        for path in paths {
            for file in ruleFiles(at: path, problems: &result.problems) {
                result.files += 1
                load(file: file, parameters: parameters, into: &result)
            }
        }
        var seen: [String: String] = [:]
        for rule in result.rules {
            if let first = seen[rule.name] {
                result.problems.append(RuleProblem(file: rule.file, rule: rule.name, line: rule.line,
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
        for case let relative as String in enumerator where fileExtensions.contains(where: { relative.hasSuffix($0) }) {
            let name = (relative as NSString).lastPathComponent
            if name.hasPrefix(".") { continue }
            files.append(path.hasSuffix("/") ? path + relative : path + "/" + relative)
        }
        return files.sorted()
    }

    static func load(file: String, parameters: TemplateParameters = TemplateParameters(), into result: inout Result) {
        guard let data = FileManager.default.contents(atPath: file) else {
            result.problems.append(RuleProblem(file: file, reason: "The file cannot be read"))
            return
        }
        let bytes = [UInt8](data)
        let isYAMLName = [".yaml", ".yml", ".template"].contains { file.hasSuffix($0) }
        bytes.withUnsafeBytes { buffer in
            do throws(EventError) {
                try JSONValidator.validate(buffer)
            } catch {
                // A YAML template (JSON that is not valid as such is read as YAML too only when
                // its name says YAML, so that a broken .json rule file keeps JSON's message).
                if isYAMLName {
                    loadYAMLTemplate(buffer, file: file, parameters: parameters, into: &result)
                    return
                }
                let (line, column) = RuleDocument.lineAndColumn(of: error.offset, in: buffer)
                result.problems.append(RuleProblem(file: file, line: line, column: column,
                                                   reason: "Not valid JSON: \(error.message)"))
                return
            }
            let document = RuleDocument(file: file, bytes: buffer)
            let start = JSONBytes.skipWhitespace(buffer, from: 0)
            if buffer[start] == UInt8(ascii: "[") {
                var index = 0
                JSONBytes.forEachElement(in: buffer, arrayAt: start) { element in
                    index += 1
                    RuleDecoder(document: document, range: element, label: "#\(index)", spelling: .vigil)
                        .decode(into: &result)
                }
                return
            }
            guard buffer[start] == UInt8(ascii: "{") else {
                result.problems.append(RuleProblem(file: file, reason: "A rule file holds a JSON object or an array of rules"))
                return
            }
            let fields = document.fields(of: start..<buffer.count)
            if fields["Resources"] != nil {
                let template = JSONTemplateReader.read(document, range: start..<buffer.count)
                CloudFormationTemplate.readRules(template, file: file, parameters: parameters, into: &result)
            } else if TerraformRules.isTerraformJSON(fields) {
                TerraformRules.read(JSONTemplateReader.read(document, range: start..<buffer.count), file: file, into: &result)
            } else if let rules = fields["Rules"], buffer[rules.lowerBound] == UInt8(ascii: "[") {
                AWSRuleExports.readListRules(document, rules: rules, into: &result)
            } else if fields["Name"] != nil, fields["name"] == nil {
                AWSRuleExports.readDescribeRule(document, range: start..<buffer.count, into: &result)
            } else {
                RuleDecoder(document: document, range: start..<buffer.count, label: nil, spelling: .vigil)
                    .decode(into: &result)
            }
        }
    }

    private static func loadYAMLTemplate(_ buffer: UnsafeRawBufferPointer, file: String, parameters: TemplateParameters,
                                         into result: inout Result) {
        guard buffer.count <= maximumYAMLBytes else {
            result.problems.append(RuleProblem(file: file, reason: "A YAML template of \(buffer.count) bytes is over Vigil's limit of \(maximumYAMLBytes >> 20) MiB (CloudFormation takes 1 MB)"))
            return
        }
        guard let text = String(validating: buffer, as: UTF8.self) else {
            result.problems.append(RuleProblem(file: file, reason: "Not valid YAML: the file is not UTF-8 text"))
            return
        }
        let template: TemplateNode
        do {
            template = try YAMLTemplateReader.read(text)
        } catch {
            result.problems.append(RuleProblem(file: file, line: error.line, column: error.column, reason: error.reason))
            return
        }
        guard template["Resources"] != nil else {
            result.problems.append(RuleProblem(file: file, reason: "A YAML rule file must be a CloudFormation or SAM template (it has no \"Resources\")"))
            return
        }
        CloudFormationTemplate.readRules(template, file: file, parameters: parameters, into: &result)
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 64 && name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
        }
    }
}

/// A rule file's bytes, with the small readers the decoders share.
struct RuleDocument {
    let file: String
    let bytes: UnsafeRawBufferPointer
    /// Where each line starts. Locating a rule is then a binary search, not a scan from the start
    /// of the file: with one scan per rule, loading a file of 10,000 rules was quadratic (debug
    /// build: 2,000 rules 3.7 s, 10,000 rules 103 s, 95 % of it counting newlines).
    private let lineStarts: [Int]

    init(file: String, bytes: UnsafeRawBufferPointer) {
        self.file = file
        self.bytes = bytes
        var lineStarts = [0]
        for index in bytes.indices where bytes[index] == 0x0A { lineStarts.append(index + 1) }
        self.lineStarts = lineStarts
    }

    /// The members of the object at `range`, by key (the last wins, as in JSON parsers).
    func fields(of range: Range<Int>) -> [String: Range<Int>] {
        var fields: [String: Range<Int>] = [:]
        for member in members(of: range) { fields[member.key] = member.value }
        return fields
    }

    /// The members of the object at `range`, in order, with ranges in the document's bytes.
    func members(of range: Range<Int>) -> [(key: String, value: Range<Int>)] {
        let object = UnsafeRawBufferPointer(rebasing: bytes[range])
        let members = (try? JSONMembers.read(object)) ?? []
        return members.map { ($0.key, ($0.value.lowerBound + range.lowerBound)..<($0.value.upperBound + range.lowerBound)) }
    }

    func isObject(_ range: Range<Int>) -> Bool { bytes[range.lowerBound] == UInt8(ascii: "{") }
    func isArray(_ range: Range<Int>) -> Bool { bytes[range.lowerBound] == UInt8(ascii: "[") }

    func string(_ range: Range<Int>) -> String? {
        JSONMembers.string(at: range, in: bytes)
    }

    /// The value's text when it is a JSON string, else its JSON bytes (how the AWS APIs and
    /// CloudFormation carry a pattern: as an object, or as a string holding JSON text).
    func jsonOrEmbeddedJSON(_ range: Range<Int>) -> [UInt8] {
        JSONMembers.jsonText(at: range, in: bytes)
    }

    func elements(_ range: Range<Int>) -> [Range<Int>] {
        var elements: [Range<Int>] = []
        JSONBytes.forEachElement(in: bytes, arrayAt: range.lowerBound) { elements.append($0) }
        return elements
    }

    func stringArray(_ range: Range<Int>) -> [String]? {
        guard isArray(range) else { return nil }
        var values: [String] = []
        for element in elements(range) {
            guard let value = string(element) else { return nil }
            values.append(value)
        }
        return values
    }

    func integer(_ range: Range<Int>) -> Int? {
        Int(String(decoding: bytes[range], as: UTF8.self))
    }

    /// 1-based line and column of a byte offset, as `lineAndColumn(of:in:)` gives them.
    func lineAndColumn(of offset: Int) -> (line: Int, column: Int) {
        // The number of lines starting at or before `offset`, the first always does.
        var low = 1
        var high = lineStarts.count
        while low < high {
            let middle = (low + high) / 2
            if lineStarts[middle] <= offset { low = middle + 1 } else { high = middle }
        }
        return (low, offset - lineStarts[low - 1] + 1)
    }

    static func lineAndColumn(of offset: Int, in bytes: UnsafeRawBufferPointer) -> (line: Int, column: Int) {
        var line = 1
        var lineStart = 0
        for index in 0..<min(offset, bytes.count) where bytes[index] == 0x0A {
            line += 1
            lineStart = index + 1
        }
        return (line, offset - lineStart + 1)
    }
}

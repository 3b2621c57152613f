import Foundation
import VigilJSON
import VigilPattern

/// Turns one rule object of a rule file into a `Rule`, or into the problems that stop it.
///
/// Vigil's own rules are checked strictly (unknown keys are refused, a severity is required).
/// Rules imported from AWS exports arrive already translated to Vigil's keys, and get the
/// defaults an EventBridge rule implies (severity medium, the default sinks).
struct RuleDecoder {
    enum Spelling {
        /// A Vigil rule file.
        case vigil
        /// Translated from an AWS export; the string names the export for messages.
        case imported(String)
    }

    /// Keys a Vigil rule object may have.
    static let knownKeys: Set<String> = [
        "name", "description", "severity", "state", "eventPattern", "targets", "inputTransformer",
        "dedup", "threshold", "tags", "references", "tests",
    ]

    let document: RuleDocument
    let range: Range<Int>
    /// How to name the rule in messages when it has no usable name (`#2` for the second of an array).
    let label: String?
    let spelling: Spelling
    /// Fields already picked out (imports); nil reads them from the object at `range`.
    var preparedFields: [String: Range<Int>]? = nil
    /// The name to use when the fields have none (a CloudFormation rule's logical id).
    var nameOverride: String? = nil
    /// Where to say the rule is, when the bytes decoded are not the file's own (a rule built from
    /// a YAML template or a Terraform state).
    var location: (line: Int, column: Int)? = nil

    private var file: String { document.file }

    func decode(into result: inout RuleLoader.Result) {
        let (line, column) = location ?? document.lineAndColumn(of: range.lowerBound)
        var problems: [String] = []
        let fields: [String: Range<Int>]
        if let preparedFields {
            fields = preparedFields
        } else {
            guard document.isObject(range) else {
                result.problems.append(RuleProblem(file: file, rule: label, line: line, column: column,
                                                   reason: "A rule must be a JSON object"))
                return
            }
            let members = document.members(of: range)
            var seen = Set<String>()
            for member in members where !seen.insert(member.key).inserted {
                problems.append("The key \"\(member.key)\" appears twice")
            }
            fields = Dictionary(members.map { ($0.key, $0.value) }, uniquingKeysWith: { _, last in last })
            for key in fields.keys.sorted() where !Self.knownKeys.contains(key) {
                problems.append("Unknown key \"\(key)\"" + (Self.suggestion(for: key).map { "; did you mean \"\($0)\"?" } ?? ""))
            }
        }
        let name = fields["name"].flatMap(document.string) ?? (fields["name"] == nil ? nameOverride : nil)
        if let name {
            if !RuleLoader.isValidName(name) {
                problems.append("The name must be 1 to 64 characters of letters, digits, '.', '-' and '_'")
            }
        } else {
            problems.append(fields["name"] == nil ? "A rule needs a \"name\"" : "\"name\" must be a string")
        }
        let ruleLabel = name ?? label
        var description = ""
        if let range = fields["description"] {
            if let text = document.string(range) { description = text } else { problems.append("\"description\" must be a string") }
        }
        var severity = Severity.medium
        if let range = fields["severity"] {
            if let text = document.string(range), let value = Severity(rawValue: text) {
                severity = value
            } else {
                problems.append("\"severity\" must be one of info, low, medium, high, critical")
            }
        } else if case .vigil = spelling {
            problems.append("A rule needs a \"severity\" (info, low, medium, high or critical)")
        }
        var isEnabled = true
        if let range = fields["state"] {
            switch document.string(range) {
            case "ENABLED", "ENABLED_WITH_ALL_CLOUDTRAIL_MANAGEMENT_EVENTS": isEnabled = true
            case "DISABLED": isEnabled = false
            default: problems.append("\"state\" must be ENABLED or DISABLED")
            }
        }
        var targets: [String]?
        if let range = fields["targets"] {
            if let list = document.stringArray(range), !list.isEmpty { targets = list } else {
                problems.append("\"targets\" must be a non-empty array of sink names")
            }
        }
        let tags = readTags(fields["tags"], problems: &problems)
        var references: [String] = []
        if let range = fields["references"] {
            if let list = document.stringArray(range) { references = list } else { problems.append("\"references\" must be an array of strings") }
        }
        var pattern: EventPattern?
        var patternJSON: [UInt8] = []
        if let range = fields["eventPattern"] {
            do {
                let text = document.jsonOrEmbeddedJSON(range)
                let parsed = try EventPattern(json: text)
                text.withUnsafeBytes { JSONText.appendCompacted($0, to: &patternJSON) }
                if parsed.fieldPaths.count > EventPattern.maximumFields {
                    problems.append("Invalid eventPattern: " + EventPattern.ruleSizeMessage(ruleName: name ?? ruleLabel ?? ""))
                } else {
                    pattern = parsed
                }
            } catch {
                problems.append("Invalid eventPattern: Event pattern is not valid: \(error.message)")
            }
        } else {
            problems.append("A rule needs an \"eventPattern\"")
        }
        var inputTransformer: InputTransformer?
        if let range = fields["inputTransformer"] {
            do {
                inputTransformer = try InputTransformer(json: UnsafeRawBufferPointer(rebasing: document.bytes[range]))
            } catch {
                problems.append("Invalid inputTransformer: \(error)")
            }
        }
        let dedup = fields["dedup"].flatMap { readDedup($0, problems: &problems) }
        let threshold = fields["threshold"].flatMap { readThreshold($0, problems: &problems) }
        if dedup != nil && threshold != nil {
            problems.append("A rule takes \"dedup\" or \"threshold\", not both (a threshold already alerts once per window and group)")
        }
        let tests = fields["tests"].map { readTests($0, problems: &problems) } ?? []
        if let pattern {
            checkPaths(tests: tests, pattern: pattern, inputTransformer: inputTransformer, dedup: dedup,
                       threshold: threshold, problems: &problems)
        }
        guard problems.isEmpty, let name, let pattern else {
            for problem in problems {
                result.problems.append(RuleProblem(file: file, rule: ruleLabel, line: line, column: column, reason: problem))
            }
            return
        }
        result.rules.append(Rule(name: name, description: description, severity: severity, isEnabled: isEnabled,
                                 pattern: pattern, targets: targets, inputTransformer: inputTransformer, dedup: dedup,
                                 threshold: threshold, tags: tags, references: references, tests: tests,
                                 file: file, line: line, patternJSON: patternJSON))
    }

    private static func suggestion(for key: String) -> String? {
        let lowered = key.lowercased()
        return knownKeys.first { $0.lowercased() == lowered || $0.lowercased() + "s" == lowered || $0.lowercased() == lowered + "s" }
    }

    private func readTags(_ range: Range<Int>?, problems: inout [String]) -> [String] {
        guard let range else { return [] }
        if let list = document.stringArray(range) { return list }
        guard document.isObject(range) else {
            problems.append("\"tags\" must be an array of strings or an object of strings")
            return []
        }
        return document.members(of: range).map { member in
            let value = document.string(member.value) ?? ""
            return value.isEmpty ? member.key : "\(member.key)=\(value)"
        }
    }

    private func readWindow(_ fields: [String: Range<Int>], in key: String, problems: inout [String]) -> TimeWindow? {
        guard let range = fields["window"] else {
            problems.append("\"\(key)\" needs a \"window\" (e.g. \"5m\", \"1h\")")
            return nil
        }
        let text = document.string(range) ?? String(decoding: document.bytes[range], as: UTF8.self)
        guard let window = TimeWindow(text) else {
            problems.append("\"\(key)\".window \(text) is not a window from 1s to 31d (write e.g. \"30s\", \"5m\", \"1h\", \"1d\")")
            return nil
        }
        return window
    }

    private func readPaths(_ range: Range<Int>?, in key: String, member: String, problems: inout [String]) -> [EventPath]? {
        guard let range else { return nil }
        guard let texts = document.stringArray(range) else {
            problems.append("\"\(key)\".\(member) must be an array of event paths such as \"$.detail.srcaddr\"")
            return nil
        }
        var paths: [EventPath] = []
        for text in texts {
            do {
                paths.append(try EventPath(text))
            } catch {
                problems.append("\"\(key)\".\(member): \(error)")
            }
        }
        return paths.count == texts.count ? paths : nil
    }

    private func unknownMembers(_ fields: [String: Range<Int>], of key: String, allowed: Set<String>, problems: inout [String]) {
        for member in fields.keys.sorted() where !allowed.contains(member) {
            problems.append("Unknown key \"\(member)\" in \"\(key)\" (it takes \(allowed.sorted().joined(separator: ", ")))")
        }
    }

    private func readDedup(_ range: Range<Int>, problems: inout [String]) -> DedupPolicy? {
        guard document.isObject(range) else {
            problems.append("\"dedup\" must be an object: {\"keys\": [paths], \"window\": \"1h\"}")
            return nil
        }
        let fields = document.fields(of: range)
        unknownMembers(fields, of: "dedup", allowed: ["keys", "window"], problems: &problems)
        let window = readWindow(fields, in: "dedup", problems: &problems)
        guard fields["keys"] != nil else {
            problems.append("\"dedup\" needs \"keys\": the event paths whose values must repeat")
            return nil
        }
        let keys = readPaths(fields["keys"], in: "dedup", member: "keys", problems: &problems)
        if let keys, keys.isEmpty { problems.append("\"dedup\".keys must name at least one path") }
        guard let window, let keys, !keys.isEmpty else { return nil }
        return DedupPolicy(keys: keys, window: window)
    }

    private func readThreshold(_ range: Range<Int>, problems: inout [String]) -> ThresholdPolicy? {
        guard document.isObject(range) else {
            problems.append("\"threshold\" must be an object: {\"count\": 20, \"window\": \"5m\", \"groupBy\": [paths]}")
            return nil
        }
        let fields = document.fields(of: range)
        unknownMembers(fields, of: "threshold", allowed: ["count", "window", "groupBy"], problems: &problems)
        let window = readWindow(fields, in: "threshold", problems: &problems)
        var count: Int?
        if let range = fields["count"], let value = document.integer(range), ThresholdPolicy.countRange.contains(value) {
            count = value
        } else {
            problems.append("\"threshold\".count must be a whole number from \(ThresholdPolicy.countRange.lowerBound) to \(ThresholdPolicy.countRange.upperBound)")
        }
        let groupBy = fields["groupBy"] == nil ? [] : readPaths(fields["groupBy"], in: "threshold", member: "groupBy", problems: &problems)
        guard let window, let count, let groupBy else { return nil }
        return ThresholdPolicy(count: count, window: window, groupBy: groupBy)
    }

    private func readTests(_ range: Range<Int>, problems: inout [String]) -> [RuleTest] {
        guard document.isArray(range) else {
            problems.append("\"tests\" must be an array")
            return []
        }
        var tests: [RuleTest] = []
        for (index, element) in document.elements(range).enumerated() {
            let (line, _) = document.lineAndColumn(of: element.lowerBound)
            var name = "#\(index + 1)"
            func problem(_ reason: String) { problems.append("test \(name) (line \(line)): \(reason)") }
            guard document.isObject(element) else {
                problem("a test must be an object {\"name\", \"event\" or \"eventFile\", \"expect\"}")
                continue
            }
            let fields = document.fields(of: element)
            if let range = fields["name"], let text = document.string(range) { name = text }
            for key in fields.keys.sorted() where !["name", "event", "eventFile", "expect"].contains(key) {
                problem("unknown key \"\(key)\"")
            }
            guard let expectRange = fields["expect"], let expect = document.string(expectRange),
                  let expectation = RuleTest.Expectation(rawValue: expect) else {
                problem("\"expect\" must be \"match\" or \"no-match\"")
                continue
            }
            let event: [UInt8]
            switch (fields["event"], fields["eventFile"]) {
            case (let range?, nil):
                guard document.isObject(range) else {
                    problem("\"event\" must be a JSON object (an EventBridge event)")
                    continue
                }
                event = Array(document.bytes[range])
            case (nil, let range?):
                guard let path = document.string(range) else {
                    problem("\"eventFile\" must be a path, relative to the rule file")
                    continue
                }
                switch loadEventFile(path) {
                case .success(let bytes): event = bytes
                case .failure(let reason):
                    problem(reason.message)
                    continue
                }
            case (nil, nil):
                problem("a test needs an \"event\" or an \"eventFile\"")
                continue
            case (.some, .some):
                problem("a test takes \"event\" or \"eventFile\", not both")
                continue
            }
            let isEnvelope = event.withUnsafeBytes { bytes in
                let keys = ((try? JSONMembers.read(bytes)) ?? []).map(\.key)
                return keys.contains("source") && keys.contains("detail-type")
            }
            guard isEnvelope else {
                problem("the event is not an EventBridge event (it needs \"source\" and \"detail-type\"); "
                    + "`vigil normalize FILE` turns a log record into one")
                continue
            }
            tests.append(RuleTest(name: name, event: event, expectation: expectation, location: "\(file):\(line)"))
        }
        return tests
    }

    private struct EventFileProblem: Error { let message: String }

    private func loadEventFile(_ path: String) -> Result<[UInt8], EventFileProblem> {
        let resolved = path.hasPrefix("/") ? path : ((file as NSString).deletingLastPathComponent as NSString).appendingPathComponent(path)
        guard let data = FileManager.default.contents(atPath: resolved) else {
            return .failure(EventFileProblem(message: "cannot read eventFile \(resolved)"))
        }
        let bytes = [UInt8](data)
        do {
            try JSONValidator.validate(bytes)
        } catch {
            let (line, column) = bytes.withUnsafeBytes { RuleDocument.lineAndColumn(of: error.offset, in: $0) }
            return .failure(EventFileProblem(message: "eventFile \(resolved):\(line):\(column) is not valid JSON: \(error.message)"))
        }
        guard bytes[bytes.withUnsafeBytes { JSONBytes.skipWhitespace($0, from: 0) }] == UInt8(ascii: "{") else {
            return .failure(EventFileProblem(message: "eventFile \(resolved) must hold one JSON object (an EventBridge event)"))
        }
        return .success(bytes)
    }

    /// Paths of the input transformer, dedup keys and threshold groups that resolve in none of
    /// the rule's matching test events are almost always typos (EventBridge would silently
    /// substitute nothing), so they are refused here, where the author can still fix them.
    private func checkPaths(tests: [RuleTest], pattern: EventPattern, inputTransformer: InputTransformer?,
                            dedup: DedupPolicy?, threshold: ThresholdPolicy?, problems: inout [String]) {
        let matching = tests.filter { $0.expectation == .match }
        guard !matching.isEmpty else { return }
        if let inputTransformer {
            var missingEverywhere: Set<String>?
            for test in matching {
                let missing = Set(test.event.withUnsafeBytes { inputTransformer.missingPaths(in: $0) })
                missingEverywhere = missingEverywhere.map { $0.intersection(missing) } ?? missing
            }
            for name in (missingEverywhere ?? []).sorted() {
                let path = inputTransformer.variables.first { $0.name == name }.map { " (\($0.path))" } ?? ""
                problems.append("inputTransformer: the variable \(name)\(path) finds nothing in any of the rule's matching test events")
            }
        }
        let keyed: [(String, [EventPath])] = [("dedup.keys", dedup?.keys ?? []), ("threshold.groupBy", threshold?.groupBy ?? [])]
        for (member, paths) in keyed {
            for path in paths where matching.allSatisfy({ test in test.event.withUnsafeBytes { path.value(in: $0) == nil } }) {
                problems.append("\(member): the path \(path) finds nothing in any of the rule's matching test events")
            }
        }
    }
}

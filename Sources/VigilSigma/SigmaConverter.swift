import Foundation

/// One Sigma rule converted: a Vigil rule file (one rule) and what the conversion noted.
public struct ConvertedSigmaRule: Sendable {
    /// The Vigil rule name: `sigma-` and the Sigma file's stem.
    public let name: String
    /// The Sigma rule's `id`, if it has one.
    public let sigmaID: String?
    /// The Sigma file it came from.
    public let file: String
    /// The rule file's text (a JSON object ending in a newline).
    public let text: String
    /// Things a reader of the rule should know (shown on stderr by the command, kept in `description`).
    public let notes: [String]
    /// How many generated tests expect a match and how many do not.
    public let matchingTests: Int
    public let nonMatchingTests: Int
}

/// Converts Sigma rules for AWS CloudTrail into Vigil rules (`vigil rules import-sigma`).
///
/// What converts is exact: every converted rule decides each CloudTrail record as the Sigma rule
/// does (Sigma's case-insensitive comparison, `null` as absent or null, `not` needing the field,
/// as SQL does), or the rule is refused with the construct that stands in the way. The tests of
/// each rule are generated from its detection and checked with Vigil's own matcher;
/// Tests/VigilSigmaTests compares the verdicts with pySigma's DuckDB backend on the corpus.
public enum SigmaConverter {
    /// Sigma's levels as Vigil's severities.
    static let severities: [String: String] = [
        "informational": "info", "low": "low", "medium": "medium", "high": "high", "critical": "critical",
    ]

    /// Converts the rule in `text`, read from `file` (for messages and the rule's name).
    public static func convert(yaml text: String, file: String) -> Result<ConvertedSigmaRule, SigmaProblem> {
        do throws(SigmaIssue) {
            return .success(try convert(text, file: file))
        } catch {
            return .failure(SigmaProblem(file: file, kind: error.kind, reason: error.reason))
        }
    }

    private static func convert(_ text: String, file: String) throws(SigmaIssue) -> ConvertedSigmaRule {
        let rule = try SigmaRule(yaml: text)
        let searches = try SigmaDetection.formulas(of: rule)
        let order = rule.searches.map(\.name)
        var alternatives: [SigmaFormula] = []
        for condition in rule.conditions {
            alternatives.append(try SigmaCondition.parse(condition, searches: searches, order: order))
        }
        let formula = alternatives.count == 1 ? alternatives[0] : .any(alternatives)
        let pattern = try SigmaPattern(formula)
        let name = ruleName(file: file, title: rule.title)
        let tests = try SigmaTestEvents(pattern: pattern, seed: rule.id ?? name).make()

        var notes = pattern.notes
        var severity = "medium"
        if let level = rule.level {
            guard let mapped = severities[level.lowercased()] else {
                throw .damaged("level \"\(level)\" is not a Sigma level (informational, low, medium, high, critical)")
            }
            severity = mapped
        } else {
            notes.append("the rule has no level; its severity is medium")
        }
        let patternText = pattern.json.text
        if patternText.utf8.count > 2048 {
            notes.append("its event pattern is \(patternText.utf8.count) characters, more than EventBridge's 2,048")
        }
        if rule.status?.lowercased() == "deprecated" || rule.status?.lowercased() == "unsupported" {
            notes.append("SigmaHQ marks the rule \(rule.status!)")
        }

        func sentence(_ text: String) -> String {
            text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: " ")
        }
        func clause(_ text: String) -> String {
            var said = sentence(text).trimmingCharacters(in: .whitespaces)
            while said.hasSuffix(".") { said.removeLast() }
            return said
        }
        var description = sentence(rule.description ?? rule.title).trimmingCharacters(in: .whitespaces)
        var provenance = "Sigma rule \"\(rule.title)\""
        let facts = [rule.id, rule.status.map { "status \($0)" }, rule.author.map { "by \($0)" }, rule.date].compactMap { $0 }
        if !facts.isEmpty { provenance += " (" + facts.joined(separator: ", ") + ")" }
        description += " [\(provenance), converted by vigil rules import-sigma.]"
        if !rule.falsePositives.isEmpty { description += " False positives: " + rule.falsePositives.map(clause).joined(separator: "; ") + "." }
        for note in notes { description += " Note: \(note)." }

        var tags: [(String, JSONValue)] = [("sigma.title", .string(rule.title))]
        if let id = rule.id { tags.append(("sigma.id", .string(id))) }
        if let status = rule.status { tags.append(("sigma.status", .string(status))) }
        if let level = rule.level { tags.append(("sigma.level", .string(level))) }
        if let author = rule.author { tags.append(("sigma.author", .string(author))) }
        if !rule.falsePositives.isEmpty { tags.append(("sigma.falsepositives", .string(rule.falsePositives.map(clause).joined(separator: "; ")))) }
        for tag in uniqued(rule.tags) where tags.allSatisfy({ $0.0 != tag }) { tags.append((tag, .string(""))) }

        var references = rule.references
        if let id = rule.id { references.append("sigma:\(id)") }

        let document = JSONValue.object([
            ("name", .string(name)),
            ("description", .string(description)),
            ("severity", .string(severity)),
            ("state", .string("ENABLED")),
            ("eventPattern", pattern.json),
            ("tags", .object(tags)),
            ("references", .array(uniqued(references).map(JSONValue.string))),
            ("tests", .array(tests.map { test in
                .object([("name", .string(test.name)), ("expect", .string(test.expectMatch ? "match" : "no-match")), ("event", test.event)])
            })),
        ])
        return ConvertedSigmaRule(name: name, sigmaID: rule.id, file: file, text: document.pretty(depth: 3) + "\n", notes: notes,
                                  matchingTests: tests.filter(\.expectMatch).count, nonMatchingTests: tests.filter { !$0.expectMatch }.count)
    }

    /// `sigma-` and the file's stem in EventBridge's name alphabet, at most 64 characters
    /// (`aws_cloudtrail_disable_logging.yml` → `sigma-aws-cloudtrail-disable-logging`); the
    /// title's words where the file has no usable stem.
    static func ruleName(file: String, title: String) -> String {
        var stem = (file as NSString).lastPathComponent
        for suffix in [".yml", ".yaml"] where stem.lowercased().hasSuffix(suffix) { stem.removeLast(suffix.count) }
        func clean(_ text: String) -> String {
            var out = ""
            for character in text {
                if character.isASCII && (character.isLetter || character.isNumber) || character == "." {
                    out.append(character)
                } else if out.last != "-" {
                    out.append("-")
                }
            }
            return out.trimmingCharacters(in: CharacterSet(charactersIn: "-."))
        }
        var base = clean(stem)
        if base.isEmpty || stem == "-" { base = clean(title).lowercased() }
        return String(("sigma-" + base).prefix(64))
    }
}

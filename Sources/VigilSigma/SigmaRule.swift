import Foundation
import Yams

/// A Sigma rule as read from its YAML (SigmaHQ's rule specification 2.x): the metadata Vigil keeps
/// and the detection, still as YAML nodes, for `SigmaDetection` to read.
struct SigmaRule {
    let title: String
    let id: String?
    let status: String?
    let description: String?
    let author: String?
    let date: String?
    let level: String?
    let references: [String]
    let tags: [String]
    let falsePositives: [String]
    /// Search identifiers in the order written, each with its YAML node.
    let searches: [(name: String, node: Node)]
    /// The condition, one expression per list element (a list is their OR).
    let conditions: [String]

    /// Reads `source`; throws a damaged-file issue for YAML that is not a Sigma CloudTrail rule.
    init(yaml source: String) throws(SigmaIssue) {
        let root: Node?
        do {
            root = try Yams.compose(yaml: source)
        } catch let error as YamlError {
            throw .damaged("not valid YAML: \(Self.describe(error))")
        } catch {
            throw .damaged("not valid YAML: \(error)")
        }
        guard let root, case .mapping(let document) = root else {
            throw .damaged("a Sigma rule must be a YAML mapping (title, logsource, detection, …)")
        }
        func field(_ key: String) -> Node? { document[Node(key)] }
        func text(_ key: String) throws(SigmaIssue) -> String? {
            guard let node = field(key) else { return nil }
            guard case .scalar(let scalar) = node else { throw .damaged("\"\(key)\" must be a single value") }
            return scalar.string
        }
        func list(_ key: String) throws(SigmaIssue) -> [String] {
            guard let node = field(key) else { return [] }
            switch node {
            case .scalar(let scalar): return [scalar.string]
            case .sequence(let items):
                var values: [String] = []
                for item in items {
                    guard case .scalar(let scalar) = item else { throw .damaged("\"\(key)\" must be a list of strings") }
                    values.append(scalar.string)
                }
                return values
            default: throw .damaged("\"\(key)\" must be a list of strings")
            }
        }
        if field("correlation") != nil {
            throw .refused("a correlation rule (it counts or orders several events; an event pattern matches one event)")
        }
        guard let title = try text("title"), !title.isEmpty else { throw .damaged("the rule has no \"title\"") }
        self.title = title
        id = try text("id")
        status = try text("status")
        description = try text("description")
        author = try text("author")
        date = try text("date")
        level = try text("level")
        references = try list("references")
        tags = try list("tags")
        falsePositives = try list("falsepositives")

        guard let logsource = field("logsource") else { throw .damaged("the rule has no \"logsource\"") }
        guard case .mapping(let source) = logsource else { throw .damaged("\"logsource\" must be a mapping") }
        let product = source[Node("product")]?.string
        let service = source[Node("service")]?.string
        guard product?.lowercased() == "aws", service?.lowercased() == "cloudtrail" else {
            let said = ["product", "service", "category"].compactMap { key in source[Node(key)]?.string.map { "\(key): \($0)" } }
            throw .damaged("not an AWS CloudTrail rule (logsource \(said.isEmpty ? "names nothing" : said.joined(separator: ", "))); "
                + "import-sigma reads rules with logsource product: aws, service: cloudtrail")
        }

        guard let detectionNode = field("detection") else { throw .damaged("the rule has no \"detection\"") }
        guard case .mapping(let detection) = detectionNode else { throw .damaged("\"detection\" must be a mapping") }
        var searches: [(String, Node)] = []
        var conditionNode: Node?
        for (key, value) in detection {
            guard let name = key.string else { throw .damaged("a detection key must be a string") }
            switch name {
            case "condition": conditionNode = value
            case "timeframe": throw .refused("\"timeframe\" (it relates several events over time; an event pattern matches one event)")
            default: searches.append((name, value))
            }
        }
        guard let conditionNode else { throw .damaged("the detection has no \"condition\"") }
        switch conditionNode {
        case .scalar(let scalar):
            conditions = [scalar.string]
        case .sequence(let items):
            var texts: [String] = []
            for item in items {
                guard case .scalar(let scalar) = item else { throw .damaged("\"condition\" must be a string or a list of strings") }
                texts.append(scalar.string)
            }
            conditions = texts
        default:
            throw .damaged("\"condition\" must be a string or a list of strings")
        }
        if conditions.isEmpty || conditions.contains(where: { $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            throw .damaged("the \"condition\" is empty")
        }
        if conditions.contains(where: { $0.contains("|") }) {
            throw .refused("an aggregation in the condition (\"|\": counting events; an event pattern matches one event)")
        }
        self.searches = searches
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return "\(problem) at line \(mark.line), column \(mark.column)"
        case .reader(let problem, let offset, _, _):
            return problem + (offset.map { " at byte \($0)" } ?? "")
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicated keys \(duplicates.joined(separator: ", "))"
        default:
            return "\(error)"
        }
    }
}

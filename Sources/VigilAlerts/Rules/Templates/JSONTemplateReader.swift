import VigilJSON

/// Reads a JSON template (already validated) into `TemplateNode`s, numbers in their written
/// spelling. JSON templates are read here rather than by the YAML parser: JSON is not quite a
/// subset of YAML 1.1 (`\/` escapes, tabs, `{"a":1}` without a space), and libyaml refuses some of it.
enum JSONTemplateReader {
    static func read(_ document: RuleDocument, range: Range<Int>) -> TemplateNode {
        let line = document.lineAndColumn(of: range.lowerBound).line
        let first = document.bytes[range.lowerBound]
        switch first {
        case UInt8(ascii: "{"):
            let members = document.members(of: range).map { (key: $0.key, value: read(document, range: $0.value)) }
            return TemplateNode(.object(members), line: line)
        case UInt8(ascii: "["):
            return TemplateNode(.array(document.elements(range).map { read(document, range: $0) }), line: line)
        case UInt8(ascii: "\""):
            return TemplateNode(.string(document.string(range) ?? ""), line: line)
        case UInt8(ascii: "t"): return TemplateNode(.bool(true), line: line)
        case UInt8(ascii: "f"): return TemplateNode(.bool(false), line: line)
        case UInt8(ascii: "n"): return TemplateNode(.null, line: line)
        default:
            return TemplateNode(.number(String(decoding: document.bytes[range], as: UTF8.self)), line: line)
        }
    }
}

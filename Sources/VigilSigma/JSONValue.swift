import VigilJSON

/// A JSON value written by the converter (rule files, patterns, generated events), with its
/// members kept in the order given so that the files read the way they were built.
///
/// Conversion runs once per rule file, not per event, so a small tree is the plain way here.
indirect enum JSONValue: Hashable, Sendable {
    case string(String)
    case bool(Bool)
    case null
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// JSON text written as it is (an envelope written by the normalizer).
    case raw(String)

    static func == (lhs: JSONValue, rhs: JSONValue) -> Bool { lhs.text == rhs.text }
    func hash(into hasher: inout Hasher) { hasher.combine(text) }

    /// Compact JSON text.
    var text: String {
        var out = ""
        write(to: &out, indent: nil, level: 0)
        return out
    }

    /// JSON text with members on lines of their own down to `depth` levels, compact below.
    func pretty(depth: Int) -> String {
        var out = ""
        write(to: &out, indent: depth, level: 0)
        return out
    }

    subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members.last { $0.0 == key }?.1
    }

    private func write(to out: inout String, indent: Int?, level: Int) {
        let broken = indent.map { level < $0 } ?? false
        let pad = String(repeating: "  ", count: level + 1)
        let closing = String(repeating: "  ", count: level)
        switch self {
        case .string(let s): out += JSONText.quoted(s)
        case .bool(let b): out += b ? "true" : "false"
        case .null: out += "null"
        case .raw(let text): out += text
        case .array(let items):
            if items.isEmpty { out += "[]"; return }
            out += "["
            for (i, item) in items.enumerated() {
                if i > 0 { out += "," }
                if broken { out += "\n" + pad } else if i > 0 && indent != nil { out += " " }
                item.write(to: &out, indent: indent, level: level + 1)
            }
            out += broken ? "\n" + closing + "]" : "]"
        case .object(let members):
            if members.isEmpty { out += "{}"; return }
            out += "{"
            for (i, (key, value)) in members.enumerated() {
                if i > 0 { out += "," }
                if broken { out += "\n" + pad } else if i > 0 && indent != nil { out += " " }
                out += JSONText.quoted(key) + (indent == nil ? ":" : ": ")
                value.write(to: &out, indent: indent, level: level + 1)
            }
            out += broken ? "\n" + closing + "}" : "}"
        }
    }

    /// Sets the value at `path` inside an object, making objects on the way (and replacing
    /// whatever non-object stood there, such as a `null` `requestParameters`).
    func setting(_ path: ArraySlice<String>, to value: JSONValue?) -> JSONValue {
        guard let key = path.first else { return value ?? .null }
        var members: [(String, JSONValue)]
        if case .object(let existing) = self { members = existing } else { members = [] }
        let index = members.firstIndex { $0.0 == key }
        if path.count == 1 {
            if let value {
                if let index { members[index].1 = value } else { members.append((key, value)) }
            } else if let index {
                members.remove(at: index)
            }
        } else {
            let child = index.map { members[$0].1 } ?? .object([])
            let updated = child.setting(path.dropFirst(), to: value)
            if let index { members[index].1 = updated } else { members.append((key, updated)) }
        }
        return .object(members)
    }
}

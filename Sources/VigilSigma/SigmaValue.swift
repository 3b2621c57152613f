import Yams

/// One Sigma value with its field's modifiers, as a `FieldTest`, or the reason none is exact.
enum SigmaValue {
    /// A piece of a Sigma string: text, or one of its wildcards.
    private enum Piece: Equatable {
        case text(String)
        case any      // `*`
        case one      // `?`
    }

    /// `isNull` and `isBool`: how YAML resolved the plain scalar (`null`, `~`; `true`, `false`).
    static func test(_ scalar: Node.Scalar, isNull: Bool, isBool: Bool, field: String, modifiers: [String]) throws(SigmaIssue) -> FieldTest {
        let where_ = "\(([field] + modifiers).joined(separator: "|"))"
        if modifiers.contains("exists") {
            guard isBool, let flag = Bool(scalar.string.lowercased()) else {
                throw .damaged("\(where_): `exists` takes true or false, not \"\(scalar.string)\"")
            }
            return flag ? .present : .absent
        }
        if isNull {
            guard modifiers.filter({ $0 != "all" }).isEmpty else { throw .damaged("\(where_): a null value takes no modifier") }
            return .absent
        }
        let text = scalar.string
        if modifiers.contains("cidr") {
            guard modifiers.filter({ $0 != "cidr" }).isEmpty else {
                throw .refused("\(where_): `cidr` with other modifiers")
            }
            return .cidr(text)
        }
        if modifiers.contains("re") {
            return try regularExpression(text, flags: Set(modifiers.filter { ["i", "m", "s"].contains($0) }), where: where_)
        }
        if let flag = modifiers.first(where: { ["i", "m", "s"].contains($0) }) {
            throw .damaged("\(where_): `\(flag)` is a flag of `re`, and the field has no `re`")
        }
        let cased = modifiers.contains("cased")
        var pieces = parse(text)
        if modifiers.contains("contains") {
            if pieces.first != .any { pieces.insert(.any, at: 0) }
            if pieces.last != .any { pieces.append(.any) }
        } else if modifiers.contains("startswith") {
            if pieces.last != .any { pieces.append(.any) }
        } else if modifiers.contains("endswith") {
            if pieces.first != .any { pieces.insert(.any, at: 0) }
        }
        if pieces.contains(.one) {
            throw .refused("\(where_): the value \"\(text)\" has the single-character wildcard `?`, which event patterns lack")
        }
        // Runs of stars are one star.
        var collapsed: [Piece] = []
        for piece in pieces where !(piece == .any && collapsed.last == .any) { collapsed.append(piece) }
        let texts = collapsed.compactMap { piece -> String? in if case .text(let t) = piece { return t } else { return nil } }
        func literal(at index: Int) -> String? {
            if case .text(let t) = collapsed[index] { return t }
            return nil
        }
        if collapsed.isEmpty { return .equals("", ignoringCase: !cased) }
        if collapsed.count == 1, let t = literal(at: 0) { return .equals(t, ignoringCase: !cased) }
        if collapsed.count == 2, let t = literal(at: 0), collapsed[1] == .any { return .prefix(t, ignoringCase: !cased) }
        if collapsed.count == 2, collapsed[0] == .any, let t = literal(at: 1) { return .suffix(t, ignoringCase: !cased) }
        if !cased, let lettered = texts.first(where: hasCasedLetters) {
            throw .refused("\(where_): \"\(text)\" is matched anywhere in the value and regardless of case (Sigma's default); "
                + "an event pattern's wildcard is case-sensitive, so \"\(lettered)\" would miss other spellings"
                + (looksLikeFieldName(text) ? " (\"\(text)\" reads like a field name: was `|fieldref` meant?)" : ""))
        }
        let pattern = collapsed.map { piece -> String in
            switch piece {
            case .text(let t): return WildcardText.escape(t)
            case .any: return "*"
            case .one: return "?"
            }
        }.joined()
        return .wildcard(pattern)
    }

    /// `responseElements.accessKey.userName`: words joined by dots.
    private static func looksLikeFieldName(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count > 1 && parts.allSatisfy { !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isLetter } }
    }

    /// Sigma's string syntax: `*` and `?` wildcards, `\*`, `\?` and `\\` their literals; any
    /// other backslash is itself.
    private static func parse(_ text: String) -> [Piece] {
        var pieces: [Piece] = []
        var current = ""
        var characters = Array(text)[...]
        func flush() {
            if !current.isEmpty { pieces.append(.text(current)) }
            current = ""
        }
        while let character = characters.popFirst() {
            switch character {
            case "\\":
                if let next = characters.first, next == "*" || next == "?" || next == "\\" {
                    current.append(next)
                    characters.removeFirst()
                } else {
                    current.append("\\")
                }
            case "*": flush(); pieces.append(.any)
            case "?": flush(); pieces.append(.one)
            default: current.append(character)
            }
        }
        flush()
        return pieces
    }

    /// `re` only where the expression is a literal, perhaps anchored: `^x$` equality, `^x` a
    /// prefix, `x$` a suffix, `x` found anywhere; case-sensitive unless `i`.
    private static func regularExpression(_ text: String, flags: Set<String>, where where_: String) throws(SigmaIssue) -> FieldTest {
        var body = Array(text)[...]
        let anchoredStart = body.first == "^"
        if anchoredStart { body.removeFirst() }
        var anchoredEnd = false
        if body.last == "$" {
            // `\$` at the end is a literal dollar.
            let backslashes = body.dropLast().reversed().prefix { $0 == "\\" }.count
            if backslashes % 2 == 0 {
                anchoredEnd = true
                body.removeLast()
            }
        }
        let meta: Set<Character> = [".", "^", "$", "*", "+", "?", "(", ")", "[", "]", "{", "}", "|", "\\", "/"]
        var literal = ""
        while let character = body.popFirst() {
            if character == "\\" {
                guard let next = body.popFirst(), meta.contains(next) || next == "-" || next == " " || next == "#" else {
                    throw .refused("\(where_): the regular expression \"\(text)\" uses a character class or escape; only a plain (perhaps anchored) literal converts")
                }
                literal.append(next)
            } else if meta.contains(character) && character != "/" {
                throw .refused("\(where_): the regular expression \"\(text)\" is not a plain literal (it uses \"\(character)\"); only a plain (perhaps anchored) literal converts")
            } else {
                literal.append(character)
            }
        }
        if flags.contains("m") && (anchoredStart || anchoredEnd) {
            throw .refused("\(where_): `re|m` makes ^ and $ match at every line")
        }
        let ignoringCase = flags.contains("i")
        switch (anchoredStart, anchoredEnd) {
        case (true, true): return .equals(literal, ignoringCase: ignoringCase)
        case (true, false): return .prefix(literal, ignoringCase: ignoringCase)
        case (false, true): return .suffix(literal, ignoringCase: ignoringCase)
        case (false, false):
            if ignoringCase && hasCasedLetters(literal) {
                throw .refused("\(where_): \"\(text)\" is searched anywhere regardless of case (`i`); an event pattern's wildcard is case-sensitive")
            }
            return .wildcard(literal.isEmpty ? "*" : "*" + WildcardText.escape(literal) + "*")
        }
    }
}

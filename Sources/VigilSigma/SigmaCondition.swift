/// Reads a Sigma condition (`selection and not 1 of filter_*`) into a formula over the rule's
/// search identifiers, with the specification's precedence: `or` < `and` < `not` < `x of` <
/// parentheses.
struct SigmaCondition {
    private enum Token: Equatable {
        case word(String)
        case open, close
    }

    private var tokens: [Token] = []
    private var position = 0
    private let searches: [String: SigmaFormula]
    private let order: [String]

    /// Parses `text` with `searches` (each search identifier's formula, `order` as written).
    static func parse(_ text: String, searches: [String: SigmaFormula], order: [String]) throws(SigmaIssue) -> SigmaFormula {
        var parser = SigmaCondition(searches: searches, order: order)
        parser.tokens = tokenize(text)
        guard !parser.tokens.isEmpty else { throw .damaged("the condition is empty") }
        let formula = try parser.parseOr()
        guard parser.position == parser.tokens.count else {
            throw .damaged("the condition \"\(text)\" has something unexpected at \"\(parser.describe(parser.tokens[parser.position]))\"")
        }
        return formula
    }

    private init(searches: [String: SigmaFormula], order: [String]) {
        self.searches = searches
        self.order = order
    }

    private static func tokenize(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var word = ""
        func flush() {
            if !word.isEmpty { tokens.append(.word(word)) }
            word = ""
        }
        for character in text {
            switch character {
            case "(": flush(); tokens.append(.open)
            case ")": flush(); tokens.append(.close)
            case " ", "\t", "\n", "\r": flush()
            default: word.append(character)
            }
        }
        flush()
        return tokens
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .word(let w): return w
        case .open: return "("
        case .close: return ")"
        }
    }

    private func peekWord() -> String? {
        guard position < tokens.count, case .word(let w) = tokens[position] else { return nil }
        return w
    }

    private mutating func parseOr() throws(SigmaIssue) -> SigmaFormula {
        var parts = [try parseAnd()]
        while peekWord() == "or" {
            position += 1
            parts.append(try parseAnd())
        }
        return parts.count == 1 ? parts[0] : .any(parts)
    }

    private mutating func parseAnd() throws(SigmaIssue) -> SigmaFormula {
        var parts = [try parseNot()]
        while peekWord() == "and" {
            position += 1
            parts.append(try parseNot())
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private mutating func parseNot() throws(SigmaIssue) -> SigmaFormula {
        if peekWord() == "not" {
            position += 1
            return .not(try parseNot())
        }
        return try parsePrimary()
    }

    private mutating func parsePrimary() throws(SigmaIssue) -> SigmaFormula {
        guard position < tokens.count else { throw .damaged("the condition ends where a search identifier was expected") }
        let token = tokens[position]
        position += 1
        switch token {
        case .open:
            let inner = try parseOr()
            guard position < tokens.count, tokens[position] == .close else { throw .damaged("a \"(\" in the condition is never closed") }
            position += 1
            return inner
        case .close:
            throw .damaged("the condition has a \")\" with no \"(\"")
        case .word(let word):
            if ["and", "or"].contains(word) { throw .damaged("the condition has \"\(word)\" where a search identifier was expected") }
            if peekWord() == "of" {
                position += 1
                guard let target = peekWord() else { throw .damaged("\"\(word) of\" in the condition names nothing") }
                position += 1
                return try quantified(word, target)
            }
            guard let formula = searches[word] else {
                throw .damaged("the condition names \"\(word)\", which is not a search identifier of the detection")
            }
            return formula
        }
    }

    private func quantified(_ quantifier: String, _ target: String) throws(SigmaIssue) -> SigmaFormula {
        let names: [String]
        if target == "them" {
            names = order.filter { !$0.hasPrefix("_") }
        } else {
            names = order.filter { WildcardText.matches($0, pattern: target) }
        }
        guard !names.isEmpty else { throw .damaged("\"\(quantifier) of \(target)\" in the condition matches no search identifier") }
        let formulas = names.map { searches[$0]! }
        switch quantifier {
        case "1", "any": return formulas.count == 1 ? formulas[0] : .any(formulas)
        case "all": return formulas.count == 1 ? formulas[0] : .all(formulas)
        default:
            if Int(quantifier) != nil {
                throw .refused("\"\(quantifier) of \(target)\": at least \(quantifier) of several searches (only \"1 of\" and \"all of\" are converted)")
            }
            throw .damaged("\"\(quantifier) of\" in the condition: Sigma knows \"1 of\" and \"all of\"")
        }
    }
}

import VigilPattern

/// What a hunt looks for: an EventBridge pattern, pivots, or both, combined with AND.
///
/// Each is compiled as a pattern of its own and an event must match every one: two pivots are
/// each a top-level `$or`, which one pattern object cannot hold twice, and distributing one over
/// the other would multiply their alternatives.
public struct HuntQuery: Sendable {
    /// The patterns, each named (`pattern`, `--ip`, …) and as JSON text.
    public let parts: [(name: String, text: String)]
    public let patterns: CompiledPatternSet

    /// Why a query was refused: which part, and the pattern engine's words.
    public struct Invalid: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// `pattern` is the PATTERN argument's JSON text, when one was given.
    public init(pattern: [UInt8]?, pivots: [Pivot]) throws(Invalid) {
        var parts: [(name: String, text: String)] = []
        if let pattern { parts.append((name: "pattern", text: String(decoding: pattern, as: UTF8.self))) }
        for pivot in pivots { parts.append((name: "--" + pivot.kind.rawValue, text: pivot.pattern)) }
        guard !parts.isEmpty else { throw Invalid(description: "give a PATTERN, or a pivot (--ip, --principal, --resource)") }
        var compiled: [(name: String, pattern: EventPattern)] = []
        for part in parts {
            do throws(PatternError) {
                compiled.append((name: part.name, pattern: try EventPattern(json: Array(part.text.utf8))))
            } catch {
                throw Invalid(description: "\(part.name): invalid pattern: \(error.message)")
            }
        }
        self.parts = parts
        patterns = CompiledPatternSet(compiled)
    }

    /// `--explain`'s text: each pattern on a line of its own (an event is shown when it matches
    /// every one), each pivot's preceded by a comment line listing the fields it covers.
    public var explanation: String {
        var lines: [String] = []
        if parts.count > 1 { lines.append("# an event is shown when it matches every pattern below (one per line)") }
        for part in parts {
            lines.append("# " + part.name)
            lines.append(part.text)
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

import VigilJSON

/// One pattern tried against one event: the logic behind `vigil test-pattern`.
public enum PatternTester {
    /// The verdict for one pattern and one event.
    public enum Verdict: Sendable, Equatable {
        case match
        case noMatch
        /// The pattern is refused (event-ruler's message) or the event is not a JSON object.
        case invalid(String)
    }

    /// Tests `event` (JSON text) against `pattern` (JSON text).
    public static func test(pattern: [UInt8], event: [UInt8]) -> Verdict {
        let parsed: EventPattern
        do {
            parsed = try EventPattern(json: pattern)
        } catch {
            return .invalid("Event pattern is not valid: \(error.message)")
        }
        do {
            try JSONValidator.validate(event)
            let set = CompiledPatternSet([(name: "pattern", pattern: parsed)])
            return try set.makeMatcher().match(event).isEmpty ? .noMatch : .match
        } catch {
            return .invalid("Event is not valid JSON: \(error)")
        }
    }

    /// Like `test`, and for a no-match also why (`PatternExplainer`); the explanation is nil for
    /// the other verdicts.
    public static func testExplaining(pattern: [UInt8], event: [UInt8]) -> (verdict: Verdict, explanation: PatternExplanation?) {
        let verdict = test(pattern: pattern, event: event)
        // `test` has parsed the pattern and validated the event, so neither can fail here.
        guard verdict == .noMatch, let parsed = try? EventPattern(json: pattern) else { return (verdict, nil) }
        return (verdict, try? PatternExplainer.explain(parsed, event: event))
    }

    /// Answers one line of `test-pattern --batch`: `{"pattern": …, "event": …}` in, where each value
    /// is a JSON object or a string holding JSON text, and `{"result":true|false}` or
    /// `{"error":"…"}` out. With `explaining`, a no-match also says why:
    /// `{"result":false,"explanation":"…"}`.
    public static func answerBatchLine(_ line: [UInt8], explaining: Bool = false) -> String {
        let fields: (pattern: [UInt8], event: [UInt8])
        do {
            fields = try batchFields(line)
        } catch {
            return errorLine("Input line is not valid: \(error)")
        }
        let (verdict, explanation) = explaining
            ? testExplaining(pattern: fields.pattern, event: fields.event)
            : (test(pattern: fields.pattern, event: fields.event), nil)
        switch verdict {
        case .match: return "{\"result\":true}"
        case .noMatch:
            guard let explanation else { return "{\"result\":false}" }
            return "{\"result\":false,\"explanation\":\(JSONText.quoted(explanation.description))}"
        case .invalid(let message): return errorLine(message)
        }
    }

    private static func batchFields(_ line: [UInt8]) throws(EventError) -> (pattern: [UInt8], event: [UInt8]) {
        var outcome: Result<(pattern: [UInt8], event: [UInt8]), EventError> = .failure(EventError("empty", offset: 0))
        line.withUnsafeBytes { bytes in
            do throws(EventError) {
                try JSONValidator.validate(bytes)
                let members = try JSONMembers.read(bytes)
                func text(_ name: String) throws(EventError) -> [UInt8] {
                    guard let member = members.last(where: { $0.key == name }) else {
                        throw EventError("The line has no \"\(name)\" member", offset: 0)
                    }
                    return JSONMembers.jsonText(at: member.value, in: bytes)
                }
                outcome = .success((try text("pattern"), try text("event")))
            } catch {
                outcome = .failure(error)
            }
        }
        return try outcome.get()
    }

    private static func errorLine(_ message: String) -> String {
        "{\"error\":\(JSONText.quoted(message))}"
    }
}


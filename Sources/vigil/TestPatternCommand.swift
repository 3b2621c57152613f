import ArgumentParser
import Foundation
import VigilPattern

/// `vigil test-pattern`: does an event match an EventBridge pattern, exactly as EventBridge decides?
struct TestPatternCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-pattern",
        abstract: "Test an event against an EventBridge event pattern.",
        discussion: """
            Prints true or false. Exit status: 0 match, 1 no match, 2 invalid pattern or event.
            PATTERN and EVENT are JSON text, or @FILE to read a file.

            With --batch, reads JSON Lines {"pattern": …, "event": …} from standard input (each \
            value a JSON object or a string holding JSON text) and answers each line, in order, \
            with {"result": true|false} or {"error": "…"}.

            With --explain, a no-match also says why: the first field that failed (in the order \
            EventBridge checks fields), what the pattern wants there and what the event has. For a \
            pattern with $or, the alternative that got furthest is explained. With --batch, the \
            reason is an "explanation" string beside {"result": false}.
            """
    )

    @Flag(help: "Answer JSON Lines from standard input, one line each.")
    var batch = false

    @Flag(help: "On a no-match, explain which field failed and why.")
    var explain = false

    @Argument(help: "The event pattern: JSON text or @FILE.")
    var pattern: String?

    @Argument(help: "The event: JSON text or @FILE.")
    var event: String?

    func validate() throws {
        if batch {
            guard pattern == nil && event == nil else {
                throw ValidationError("--batch reads patterns and events from standard input; give no arguments.")
            }
        } else if pattern == nil || event == nil {
            throw ValidationError("Give a PATTERN and an EVENT, or --batch.")
        }
    }

    func run() throws {
        if batch {
            runBatch()
            return
        }
        let patternText = try CommandInput.text(pattern!)
        let eventText = try CommandInput.text(event!)
        let (verdict, explanation) = explain
            ? PatternTester.testExplaining(pattern: patternText, event: eventText)
            : (PatternTester.test(pattern: patternText, event: eventText), nil)
        switch verdict {
        case .match:
            print("true")
        case .noMatch:
            print("false")
            for line in explanation?.lines ?? [] { print(line) }
            throw ExitCode(1)
        case .invalid(let message):
            CommandInput.printError(message)
            throw ExitCode(2)
        }
    }

    private func runBatch() {
        var output = FileHandleOutput.standardOutput
        while let line = readLine(strippingNewline: true) {
            let bytes = Array(line.utf8)
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) {
                output.write("{\"error\":\"Empty line\"}\n")
                continue
            }
            output.write(PatternTester.answerBatchLine(bytes, explaining: explain) + "\n")
        }
        output.flush()
    }
}

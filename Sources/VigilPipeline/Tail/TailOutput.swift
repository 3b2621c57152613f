import VigilIngest

/// Where a tail says what it does: problems with input, notices, and the health line.
final class TailOutput {
    private let onProblem: (InputProblem) -> Void
    private let onNotice: (String) -> Void
    /// Called between records of a long read, so the health line keeps coming.
    var onTick: ((TailSession) -> Void)?

    init(onProblem: @escaping (InputProblem) -> Void, onNotice: @escaping (String) -> Void) {
        self.onProblem = onProblem
        self.onNotice = onNotice
    }

    func problem(_ problem: InputProblem) { onProblem(problem) }
    func notice(_ text: String) { onNotice(text) }
    func tick(_ session: TailSession) { onTick?(session) }
}

/// Issue 16's attack on the wildcard automaton, as `Benchmarks/make-wildcard-attack.py` writes it
/// for the release binary: patterns at EventBridge's 2,048-character limit, each one wildcard of
/// `*` between two-byte literals over `abcd` (a different random sequence per pattern), and
/// values of random text over the same letters. Each pattern advances through its literals at
/// its own pace, so the field's combined automaton reaches a new state at nearly every byte.
enum WildcardAttack {
    static let alphabet = Array("abcd".utf8)
    static let patternLimit = 2048

    /// `count` wildcard operands, each as long as fits in a pattern of `patternLimit` characters.
    static func operands(count: Int, seed: UInt64) -> [String] {
        var random = SplitMix64(seed: seed)
        let room = patternLimit - pattern(operand: "").utf8.count
        return (0..<count).map { _ in
            var operand: [UInt8] = [UInt8(ascii: "*")]
            while operand.count + 3 <= room {
                operand += [random.pick(alphabet), random.pick(alphabet), UInt8(ascii: "*")]
            }
            return String(decoding: operand, as: UTF8.self)
        }
    }

    /// The pattern text of one operand, on `detail.userAgent`.
    static func pattern(operand: String) -> String {
        #"{"detail":{"userAgent":[{"wildcard":"\#(operand)"}]}}"#
    }

    /// An event whose user agent is `length` random bytes over the patterns' alphabet.
    static func event(valueLength: Int, seed: UInt64) -> [UInt8] {
        var random = SplitMix64(seed: seed)
        let value = (0..<valueLength).map { _ in random.pick(alphabet) }
        return Array(#"{"source":"aws.iam","detail":{"userAgent":""#.utf8) + value + Array(#""}}"#.utf8)
    }
}

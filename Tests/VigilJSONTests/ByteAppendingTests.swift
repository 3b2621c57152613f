import Testing
import VigilJSON

/// Appending literals and numbers to byte arrays.
@Suite("Byte appending")
struct ByteAppendingTests {
    @Test("a literal's UTF-8 and a number's digits are appended after what is there, as String writes them")
    func appendsAsStringWrites() {
        var output = Array("x".utf8)
        output.append(utf8: #"{"a":"é😀"}"#)
        output.append(utf8: "")
        #expect(output == Array(#"x{"a":"é😀"}"#.utf8))
        var generator = SystemRandomNumberGenerator()
        let values = [0, 1, 9, 10, -1, -10, Int.max, Int.min] + (0..<1_000).map { _ in Int.random(in: .min ... .max, using: &generator) >> Int.random(in: 0...62, using: &generator) }
        for value in values {
            var digits: [UInt8] = [0x2C]
            digits.append(decimal: value)
            #expect(digits == [0x2C] + Array(String(value).utf8))
        }
    }
}

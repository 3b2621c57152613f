import Foundation
import Testing
@testable import VigilJSON

/// Hex digits as event UUIDs and alert ids write them.
@Suite("Hex digits")
struct HexDigitsTests {
    @Test("two bytes at once give the digits of each, for every pair of bytes")
    func fourDigitsOfEveryPair() {
        var wrong = 0
        for first in 0...255 {
            for second in 0...255 {
                let digits = HexDigits.fourDigits(UInt8(first), UInt8(second)).bigEndian
                let text = withUnsafeBytes(of: digits) { String(decoding: $0, as: UTF8.self) }
                if text != String(format: "%02x%02x", first, second) { wrong += 1 }
            }
        }
        #expect(wrong == 0)
    }

    @Test("appendLowercase writes every byte's digits, with dashes where asked (UUIDs), for any length up to 32")
    func appendLowercaseAgreesWithFormat() {
        var generator = SystemRandomNumberGenerator()
        let uuidDashes: UInt32 = 1 << 4 | 1 << 6 | 1 << 8 | 1 << 10
        for round in 0..<3_000 {
            let bytes = (0..<Int.random(in: 0...32, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let dashes: UInt32 = round % 3 == 0 ? uuidDashes : round % 3 == 1 ? 0 : .random(in: 0...UInt32.max, using: &generator)
            var output: [UInt8] = [0x41]  // appended after what is there
            bytes.withUnsafeBytes { HexDigits.appendLowercase($0, dashesBefore: dashes, to: &output) }
            var expected = "A"
            for (index, byte) in bytes.enumerated() {
                if dashes >> index & 1 != 0 { expected += "-" }
                expected += String(format: "%02x", byte)
            }
            #expect(String(decoding: output, as: UTF8.self) == expected)
        }
    }
}

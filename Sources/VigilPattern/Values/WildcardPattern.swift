/// A `wildcard` operand: literal bytes with `*` standing for any run of bytes, possibly empty.
///
/// `\*` is a literal asterisk and `\\` a literal backslash; any other escape, and two asterisks
/// in a row, are refused with event-ruler's messages. Positions in those messages count bytes of
/// the operand as event-ruler sees it, wrapped in quotes, so the first byte is at position 1.
public struct WildcardPattern: Hashable, Sendable, CustomStringConvertible {
    public enum Piece: Hashable, Sendable {
        case literal([UInt8])
        case anything
    }

    public let pieces: [Piece]
    /// The operand as written.
    public let source: String

    public init(_ source: String) throws(PatternError) {
        self.source = source
        let bytes = Array(source.utf8)
        var pieces: [Piece] = []
        var literal: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            let position = index + 1  // event-ruler counts from the opening quote
            if byte == UInt8(ascii: "*") {
                if index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: "*") {
                    throw PatternError("Consecutive wildcard characters at pos \(position)")
                }
                if !literal.isEmpty {
                    pieces.append(.literal(literal))
                    literal = []
                }
                pieces.append(.anything)
            } else if byte == UInt8(ascii: "\\") {
                guard index + 1 < bytes.count,
                      bytes[index + 1] == UInt8(ascii: "*") || bytes[index + 1] == UInt8(ascii: "\\") else {
                    throw PatternError("Invalid escape character at pos \(position)")
                }
                literal.append(bytes[index + 1])
                index += 1
            } else {
                literal.append(byte)
            }
            index += 1
        }
        if !literal.isEmpty { pieces.append(.literal(literal)) }
        self.pieces = pieces
    }

    public var description: String { source }

    /// Whether `value` matches, by direct backtracking. The compiled automaton is the fast path;
    /// this serves explanations and tests.
    public func matches(_ value: some Collection<UInt8>) -> Bool {
        let bytes = Array(value)
        var pieceIndex = 0
        var position = 0
        var resumePiece = -1
        var resumePosition = 0
        while true {
            if pieceIndex == pieces.count {
                if position == bytes.count { return true }
            } else {
                switch pieces[pieceIndex] {
                case .anything:
                    resumePiece = pieceIndex
                    resumePosition = position
                    pieceIndex += 1
                    continue
                case .literal(let literal):
                    if bytes.count - position >= literal.count,
                       bytes[position..<position + literal.count].elementsEqual(literal) {
                        pieceIndex += 1
                        position += literal.count
                        continue
                    }
                }
            }
            // Backtrack: let the last `*` take one more byte.
            guard resumePiece >= 0, resumePosition < bytes.count else { return false }
            resumePosition += 1
            position = resumePosition
            pieceIndex = resumePiece + 1
        }
    }
}

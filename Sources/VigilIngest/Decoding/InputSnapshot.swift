/// What a reader may ask of a `DecodedInput` while reading, as it stood after some bytes were
/// decoded: a copy that can cross from the decoding thread to the reader's with a buffer.
struct InputSnapshot: Sendable, Hashable {
    /// Nil until the first read.
    var encoding: DecodedInput.Encoding?
    var endedInsideMember = false
    /// Stored bytes consumed.
    var fileOffset = 0
    /// Decoded bytes delivered.
    var decodedOffset = 0

    init() {}

    init(_ input: DecodedInput) {
        encoding = input.encoding
        endedInsideMember = input.endedInsideMember
        fileOffset = input.fileOffset
        decodedOffset = input.decodedOffset
    }
}

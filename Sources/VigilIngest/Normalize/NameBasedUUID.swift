import Crypto
import VigilJSON

/// Name-based UUIDs (RFC 9562 version 5: SHA-1 of a namespace and a name), so that the same
/// record always gets the same event `id`, in every replay and on every machine.
public enum NameBasedUUID {
    /// Vigil's namespace for event ids (a fixed, randomly chosen UUID).
    static let namespace: [UInt8] = [0x6b, 0x3c, 0x1f, 0x2e, 0x95, 0x4d, 0x4c, 0x8a,
                                     0xb1, 0x7e, 0x2d, 0x50, 0x93, 0xa4, 0x0f, 0x61]

    /// Appends the lowercase UUID text (`8-4-4-4-12` hex digits) for `name`.
    public static func append(name: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        append(prefix: UnsafeRawBufferPointer(start: nil, count: 0), name: name, to: &output)
    }

    /// Appends the UUID text for the name `prefix` followed by `name`, hashed where they lie rather
    /// than joined into one array first (an event's kind and identity: `EventEnvelope.appendID`).
    public static func append(prefix: UnsafeRawBufferPointer, name: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        var hasher = Insecure.SHA1()
        namespace.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        hasher.update(bufferPointer: prefix)
        hasher.update(bufferPointer: name)
        var uuid: (UInt64, UInt64) = (0, 0)
        withUnsafeMutableBytes(of: &uuid) { bytes in
            hasher.finalize().withUnsafeBytes { digest in bytes.copyMemory(from: UnsafeRawBufferPointer(rebasing: digest[..<16])) }
            bytes[6] = bytes[6] & 0x0F | 0x50  // version 5
            bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 9562 variant
            HexDigits.appendLowercase(UnsafeRawBufferPointer(bytes), dashesBefore: 1 << 4 | 1 << 6 | 1 << 8 | 1 << 10,
                                      to: &output)
        }
    }

    public static func string(name: String) -> String {
        var output: [UInt8] = []
        Array(name.utf8).withUnsafeBytes { append(name: $0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }
}

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
        var hasher = Insecure.SHA1()
        hasher.update(data: namespace)
        hasher.update(bufferPointer: name)
        var bytes = Array(hasher.finalize().prefix(16))
        bytes[6] = bytes[6] & 0x0F | 0x50  // version 5
        bytes[8] = bytes[8] & 0x3F | 0x80  // RFC 9562 variant
        for (index, byte) in bytes.enumerated() {
            if index == 4 || index == 6 || index == 8 || index == 10 { output.append(UInt8(ascii: "-")) }
            HexDigits.appendLowercase(byte, to: &output)
        }
    }

    public static func string(name: String) -> String {
        var output: [UInt8] = []
        Array(name.utf8).withUnsafeBytes { append(name: $0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }
}

/// Percent-encoding as SigV4 defines it: every byte but the unreserved characters of RFC 3986
/// (`A-Z a-z 0-9 - _ . ~`) becomes `%XY` with upper-case hex digits. Foundation's encoders keep
/// other characters (`+`, `=`, `:`…) that AWS requires encoded, which is why this is done by hand.
public enum AWSPercentEncoding {
    /// Encodes `text`; with `keepingSlashes`, `/` stays as it is (object keys in S3 paths).
    public static func encode(_ text: some StringProtocol, keepingSlashes: Bool = false) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepingSlashes && byte == UInt8(ascii: "/")) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
             UInt8(ascii: "~"):
            return true
        default:
            return false
        }
    }
}

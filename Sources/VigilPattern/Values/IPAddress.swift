import VigilJSON

/// An IPv4 or IPv6 address, read the way EventBridge reads addresses in patterns and events.
///
/// event-ruler decides that a string is an address with two loose shapes (four dot-separated
/// decimal runs, or hex digits and colons) and then parses it as Java's `InetAddress` does:
/// decimal octets may carry leading zeros (`010.1.2.3` is `10.1.2.3`), IPv6 may be compressed
/// with one `::`, and an IPv4-mapped IPv6 address (`::ffff:a01:203`) is the IPv4 address it maps.
/// Dotted IPv6 forms (`::ffff:10.1.2.3`) and zone ids are not addresses to EventBridge.
public struct IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    public enum Family: Sendable, Hashable { case v4, v6 }

    public let family: Family
    /// The address as an unsigned integer (IPv4 in the low 32 bits).
    public let value: UInt128

    public init(family: Family, value: UInt128) {
        self.family = family
        self.value = value
    }

    public static func < (lhs: IPAddress, rhs: IPAddress) -> Bool {
        (lhs.family == .v4 ? 0 : 1, lhs.value) < (rhs.family == .v4 ? 0 : 1, rhs.value)
    }

    public var bitWidth: Int { family == .v4 ? 32 : 128 }

    public var description: String {
        switch family {
        case .v4:
            let v = UInt32(truncatingIfNeeded: value)
            return "\(v >> 24).\(v >> 16 & 0xFF).\(v >> 8 & 0xFF).\(v & 0xFF)"
        case .v6:
            return (0..<8).map { String(UInt16(truncatingIfNeeded: value >> (112 - 16 * $0)), radix: 16) }
                .joined(separator: ":")
        }
    }

    /// Parses `text` if it is an address to EventBridge.
    public static func parse(_ text: String) -> IPAddress? {
        var text = text
        return text.withUTF8 { parse(UnsafeRawBufferPointer($0)) }
    }

    /// Parses `bytes` if they spell an address to EventBridge; `nil` for anything else.
    public static func parse(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        if let decided = parseDigitsAndDots(bytes) { return decided }
        return parseByShape(bytes)
    }

    /// The answer of `parseByShape` for the spellings addresses in logs mostly have, in one pass:
    /// an IPv4 address, or anything of up to 15 bytes with a dot or made only of digits and dots.
    /// nil (undecided) for the rest, such as IPv6 addresses. A dot rules out the hex-and-colons
    /// shape, so once one is seen only a dotted quad of parts up to 255 is an address. Against
    /// `shape` then `parseIPv4`, a flow log's addresses take a third of the instructions.
    @inline(__always)
    static func parseDigitsAndDots(_ bytes: UnsafeRawBufferPointer) -> IPAddress?? {
        guard bytes.count <= 15 else { return nil }
        var result: UInt32 = 0
        var part: UInt32 = 0
        var dots = 0
        var digitsInRun = 0
        for byte in bytes {
            let digit = byte &- UInt8(ascii: "0")
            if digit <= 9 {
                part = part &* 10 &+ UInt32(digit)
                // Too large for a part: after a dot, not an address, whatever follows (parseIPv4);
                // before one, perhaps an IPv6 group (`2001:db8::`), for the shape to tell.
                if part > 255 { return dots > 0 ? .some(nil) : nil }
                digitsInRun += 1
            } else if byte == UInt8(ascii: ".") {
                if digitsInRun == 0 { return .some(nil) }
                result = result << 8 | part
                part = 0
                digitsInRun = 0
                dots += 1
            } else {
                return dots > 0 ? .some(nil) : nil
            }
        }
        guard dots == 3 && digitsInRun > 0 else { return .some(nil) }
        return .some(IPAddress(family: .v4, value: UInt128(result << 8 | part)))
    }

    /// Parses `bytes` by their shape, as event-ruler does (`shape`, then the parse of that shape).
    static func parseByShape(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        switch shape(of: bytes) {
        case .dottedDecimal: return parseIPv4(bytes)
        case .hexAndColons: return parseIPv6(bytes)
        case .neither: return nil
        }
    }

    enum Shape { case dottedDecimal, hexAndColons, neither }

    /// event-ruler's regular expressions: `[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+` and `[0-9a-fA-F:]*:[0-9a-fA-F:]*`.
    static func shape(of bytes: UnsafeRawBufferPointer) -> Shape {
        guard !bytes.isEmpty else { return .neither }
        var dots = 0
        var colons = 0
        var digitsInRun = 0
        var dottedDecimal = true
        var hexAndColons = true
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digitsInRun += 1
            case UInt8(ascii: "."):
                if digitsInRun == 0 { dottedDecimal = false }
                digitsInRun = 0
                dots += 1
                hexAndColons = false
            case UInt8(ascii: ":"):
                colons += 1
                dottedDecimal = false
            case UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"):
                dottedDecimal = false
            default:
                return .neither
            }
        }
        if dottedDecimal && dots == 3 && digitsInRun > 0 { return .dottedDecimal }
        if hexAndColons && colons > 0 { return .hexAndColons }
        return .neither
    }

    /// Java's `IPAddressUtil.textToNumericFormatV4` for four decimal parts.
    private static func parseIPv4(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        guard bytes.count <= 15 else { return nil }
        var result: UInt32 = 0
        var part: UInt32 = 0
        for byte in bytes {
            if byte == UInt8(ascii: ".") {
                result = result << 8 | part
                part = 0
            } else {
                part = part * 10 + UInt32(byte - UInt8(ascii: "0"))
                if part > 255 { return nil }
            }
        }
        result = result << 8 | part
        return IPAddress(family: .v4, value: UInt128(result))
    }

    /// Java's `IPAddressUtil.textToNumericFormatV6` for hex groups and colons.
    private static func parseIPv6(_ bytes: UnsafeRawBufferPointer) -> IPAddress? {
        let count = bytes.count
        guard count >= 2 else { return nil }
        var groups: [UInt16] = []
        groups.reserveCapacity(8)
        var compressionIndex: Int? = nil
        var index = 0
        if bytes[0] == UInt8(ascii: ":") {
            guard bytes[1] == UInt8(ascii: ":") else { return nil }
            index = 1
        }
        var group: UInt32 = 0
        var digits = 0
        while index < count {
            let byte = bytes[index]
            index += 1
            if byte == UInt8(ascii: ":") {
                if digits == 0 {
                    // An empty group is only allowed once, as `::`.
                    guard compressionIndex == nil else { return nil }
                    compressionIndex = groups.count
                    continue
                }
                guard index < count else { return nil }  // a trailing single colon
                guard groups.count < 8 else { return nil }
                groups.append(UInt16(group))
                group = 0
                digits = 0
                continue
            }
            guard let nibble = byte.hexDigitValue else { return nil }
            group = group << 4 | UInt32(nibble)
            digits += 1
            guard digits <= 4 else { return nil }
        }
        if digits > 0 {
            guard groups.count < 8 else { return nil }
            groups.append(UInt16(group))
        }
        var words = [UInt16](repeating: 0, count: 8)
        if let compressionIndex {
            guard groups.count < 8 else { return nil }
            let tail = groups.count - compressionIndex
            for i in 0..<compressionIndex { words[i] = groups[i] }
            for i in 0..<tail { words[8 - tail + i] = groups[compressionIndex + i] }
        } else {
            guard groups.count == 8 else { return nil }
            words = groups
        }
        var value: UInt128 = 0
        for word in words { value = value << 16 | UInt128(word) }
        // Java hands back an IPv4-mapped address (::ffff:a.b.c.d) as the IPv4 address.
        if value >> 32 == 0xFFFF {
            return IPAddress(family: .v4, value: value & 0xFFFF_FFFF)
        }
        return IPAddress(family: .v6, value: value)
    }
}

/// An inclusive range of addresses of one family: a CIDR block, or a single address.
public struct IPRange: Hashable, Sendable, CustomStringConvertible {
    public let lower: IPAddress
    public let upper: IPAddress

    public init(lower: IPAddress, upper: IPAddress) {
        self.lower = lower
        self.upper = upper
    }

    public init(single address: IPAddress) {
        self.init(lower: address, upper: address)
    }

    public func contains(_ address: IPAddress) -> Bool {
        address.family == lower.family && address.value >= lower.value && address.value <= upper.value
    }

    public var description: String { lower == upper ? "\(lower)" : "\(lower)-\(upper)" }

    /// Parses a `cidr` operand with event-ruler's rules and messages.
    ///
    /// Host bits are allowed and ignored (`10.0.0.1/24` is `10.0.0.0/24`), as EventBridge does.
    /// Masks of /32 (IPv4) and /128 (IPv6) are refused, with event-ruler's messages.
    public static func cidr(_ text: String) throws(PatternError) -> IPRange {
        // Java's String.split drops trailing empty parts: "10.0.0.0/" has one part.
        var parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        while let last = parts.last, last.isEmpty { parts.removeLast() }
        guard parts.count == 2 else {
            throw PatternError("Malformed CIDR, one '/' required", kind: .invalidValue)
        }
        guard let maskBits = javaParseInt(parts[1]) else {
            throw PatternError("Malformed CIDR, mask bits must be an integer", kind: .invalidValue)
        }
        guard maskBits >= 0 else {
            throw PatternError("Malformed CIDR, mask bits must not be negative", kind: .invalidValue)
        }
        var addressText = parts[0]
        let looksLikeAddress = addressText.withUTF8 { IPAddress.shape(of: UnsafeRawBufferPointer($0)) != .neither }
        guard looksLikeAddress else {
            throw PatternError("Nonstandard IP address: \(addressText)", kind: .invalidValue)
        }
        guard let address = IPAddress.parse(addressText) else {
            throw PatternError("Invalid IP address: \(addressText)", kind: .invalidValue)
        }
        if address.family == .v4, maskBits > 31 {
            throw PatternError("IPv4 mask bits must be < 32", kind: .invalidValue)
        }
        if address.family == .v6, maskBits > 127 {
            throw PatternError("IPv6 mask bits must be < 128", kind: .invalidValue)
        }
        let hostBits = address.bitWidth - maskBits
        let hostMask: UInt128 = hostBits == 0 ? 0 : (UInt128.max >> (128 - hostBits))
        return IPRange(lower: IPAddress(family: address.family, value: address.value & ~hostMask),
                       upper: IPAddress(family: address.family, value: address.value | hostMask))
    }

    /// Java's `Integer.parseInt`: an optional sign and decimal digits, within 32 bits.
    private static func javaParseInt(_ text: String) -> Int? {
        var digits = Substring(text)
        var negative = false
        if let first = digits.first, first == "+" || first == "-" {
            negative = first == "-"
            digits = digits.dropFirst()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }),
              let magnitude = Int(digits), magnitude <= Int(Int32.max) + (negative ? 1 : 0) else { return nil }
        return negative ? -magnitude : magnitude
    }
}

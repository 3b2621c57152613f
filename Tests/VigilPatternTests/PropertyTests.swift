import Testing
import VigilJSON
@testable import VigilPattern

// Seeded, deterministic random testing of the pattern engine. Patterns and events are drawn from
// one small vocabulary of field names and values so that they often interact: every operator,
// `$or` (nested too), nested objects and dotted keys in patterns; strings (some spelled with JSON
// escapes), numbers in several spellings, booleans, null, arrays, nested arrays, arrays of
// objects, nested objects and skipped junk in events.

/// SplitMix64: a tiny, well-mixed, seedable generator, so every run draws the same cases.
struct SplitMix64 {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
    mutating func chance(_ probability: Double) -> Bool { Double(next() >> 11) / Double(1 << 53) < probability }
    mutating func pick<T>(_ values: [T]) -> T { values[below(values.count)] }

    /// `count` distinct elements of `values`, in the order drawn.
    mutating func distinct<T: Equatable>(_ values: [T], count: Int) -> [T] {
        var chosen: [T] = []
        while chosen.count < min(count, values.count) {
            let value = pick(values)
            if !chosen.contains(value) { chosen.append(value) }
        }
        return chosen
    }
}

// MARK: - Generated patterns

/// One test in a generated pattern's value list.
enum GenMatcher: Equatable {
    enum Exclusion: Equatable { case strings, numbers, prefixes, suffixes, ignoringCase, wildcards }

    case string(String)
    case number(String)
    case boolean(Bool)
    case null
    case prefix(String)
    case prefixIgnoringCase(String)
    case suffix(String)
    case suffixIgnoringCase(String)
    case equalsIgnoringCase(String)
    /// The operand as the rule author writes it (`\*` a literal asterisk, `\\` a backslash).
    case wildcard(String)
    /// One or two (operator, bound) conditions.
    case numeric([Condition])
    case exists(Bool)
    case cidr(String)
    case anythingBut(Exclusion, [String], single: Bool)

    struct Condition: Equatable {
        let operation: String
        let bound: String
    }

    var json: String {
        switch self {
        case .string(let s): return GenJSON.quote(s)
        case .number(let n): return n
        case .boolean(let b): return b ? "true" : "false"
        case .null: return "null"
        case .prefix(let s): return #"{"prefix":\#(GenJSON.quote(s))}"#
        case .prefixIgnoringCase(let s): return #"{"prefix":{"equals-ignore-case":\#(GenJSON.quote(s))}}"#
        case .suffix(let s): return #"{"suffix":\#(GenJSON.quote(s))}"#
        case .suffixIgnoringCase(let s): return #"{"suffix":{"equals-ignore-case":\#(GenJSON.quote(s))}}"#
        case .equalsIgnoringCase(let s): return #"{"equals-ignore-case":\#(GenJSON.quote(s))}"#
        case .wildcard(let s): return #"{"wildcard":\#(GenJSON.quote(s))}"#
        case .numeric(let conditions):
            let terms = conditions.map { "\(GenJSON.quote($0.operation)),\($0.bound)" }
            return #"{"numeric":[\#(terms.joined(separator: ","))]}"#
        case .exists(let e): return #"{"exists":\#(e)}"#
        case .cidr(let s): return #"{"cidr":\#(GenJSON.quote(s))}"#
        case .anythingBut(let kind, let values, let single):
            let rendered = values.map { kind == .numbers ? $0 : GenJSON.quote($0) }
            let operand = single ? rendered[0] : "[" + rendered.joined(separator: ",") + "]"
            switch kind {
            case .strings, .numbers: return #"{"anything-but":\#(operand)}"#
            case .prefixes: return #"{"anything-but":{"prefix":\#(operand)}}"#
            case .suffixes: return #"{"anything-but":{"suffix":\#(operand)}}"#
            case .ignoringCase: return #"{"anything-but":{"equals-ignore-case":\#(operand)}}"#
            case .wildcards: return #"{"anything-but":{"wildcard":\#(operand)}}"#
            }
        }
    }
}

/// A generated pattern object: fields, nested objects and `$or`s.
struct GenObject {
    enum Member {
        case field(String, [GenMatcher])
        case object(String, GenObject)
        case or([GenObject])
    }

    var members: [Member]

    var json: String {
        "{" + members.map { member -> String in
            switch member {
            case .field(let key, let matchers):
                return GenJSON.quote(key) + ":[" + matchers.map(\.json).joined(separator: ",") + "]"
            case .object(let key, let object):
                return GenJSON.quote(key) + ":" + object.json
            case .or(let alternatives):
                return "\"$or\":[" + alternatives.map(\.json).joined(separator: ",") + "]"
            }
        }.joined(separator: ",") + "}"
    }

    /// The branches (AND of path → value list) the pattern expands to, computed independently
    /// of the engine: members multiply, `$or` alternatives add.
    func branches(prefix: String = "") -> [[String: [GenMatcher]]] {
        var result: [[String: [GenMatcher]]] = [[:]]
        func multiply(_ other: [[String: [GenMatcher]]]) {
            result = result.flatMap { left in other.map { left.merging($0) { $1 } } }
        }
        for member in members {
            switch member {
            case .field(let key, let matchers):
                for index in result.indices { result[index][prefix + key] = matchers }
            case .object(let key, let object):
                multiply(object.branches(prefix: prefix + key + "."))
            case .or(let alternatives):
                multiply(alternatives.flatMap { $0.branches(prefix: prefix) })
            }
        }
        return result
    }
}

/// The shared vocabulary and the generators.
enum GenVocabulary {
    static let patternStrings = ["x", "y", "xy", "X", "xY", "", "10.0.0.1", "2001:db8::1", "ß", "SS", "é", "É",
                                 "x.y", "5", "true", "a\\b", "q\"", "10.0.1.5"]
    static let patternNumbers = ["0", "1", "5", "10", "100", "-3.5", "1.0", "0.1", "0.10000000000000001",
                                 "12345678901234567890", "-0", "5e0", "1e2"]
    static let prefixes = ["", "x", "X", "xy", "10.", "é", "ß", "S", "a\\"]
    static let suffixes = ["", "y", "Y", "xy", ".1", "é", "SS", "ß", "\""]
    static let ignoringCase = ["x", "X", "xy", "XY", "ß", "SS", "é", "É", "xß", "5"]
    static let affixesIgnoringCase = ["x", "X", "ß", "S", "é", "É", "xy"]
    static let wildcards = ["*", "x*", "*y", "x*y", "*.*", "10.*", "", "\\*", "*\\\\*", "x", "*x*", "\\**"]
    static let bounds = ["-3.5", "0", "0.1", "1", "5", "10", "100", "1e2"]
    static let cidrs = ["10.0.0.0/24", "10.0.0.1/24", "10.0.0.0/8", "2001:db8::/32", "0.0.0.0/0", "10.0.1.0/31", "::/127"]
    static let excludedStrings = ["x", "y", "xy", "", "ß", "é", "5", "true"]
    static let excludedNumbers = ["0", "1", "5", "10", "-3.5", "0.1", "1e2"]
    static let excludedPrefixes = ["x", "X", "10.", "é", "S"]
    static let excludedSuffixes = ["y", "Y", ".1", "é", "S"]
    static let excludedIgnoringCase = ["x", "XY", "ß", "é"]
    static let excludedWildcards = ["x*", "*y", "*", "", "\\*", "*.*"]

    static let eventStrings = patternStrings + [
        "010.0.0.1", "2001:DB8:0:0:0:0:0:1", "::1", "10.0.0.255", "10.0.1.1", "10.0.0.256", "xyz", "Xy", "XY",
        "xß", "XSS", "ss", "ÉÉ", "yx", "x*y", "x\\y", "10.0.0.1 ", "S", "Sy", "*", "a\\", "é.1", "x.1",
    ]
    static let eventNumbers = ["0", "-0", "1", "1.0", "5", "5e0", "50e-1", "10", "-3.5", "100", "1e2", "0.1",
                               "0.10000000000000001", "12345678901234567890", "1e309", "0.0", "-1", "101", "9.999"]

    static func matcher(_ rng: inout SplitMix64) -> GenMatcher {
        switch rng.below(22) {
        case 0, 1: return .string(rng.pick(patternStrings))
        case 2, 3: return .number(rng.pick(patternNumbers))
        case 4: return rng.chance(0.5) ? .boolean(rng.chance(0.5)) : .null
        case 5: return .prefix(rng.pick(prefixes))
        case 6: return .prefixIgnoringCase(rng.pick(affixesIgnoringCase))
        case 7: return .suffix(rng.pick(suffixes))
        case 8: return .suffixIgnoringCase(rng.pick(affixesIgnoringCase))
        case 9: return .equalsIgnoringCase(rng.pick(ignoringCase))
        case 10: return .wildcard(rng.pick(wildcards))
        case 11, 12: return numeric(&rng)
        case 13: return .exists(true)
        case 14: return .exists(false)
        case 15: return .cidr(rng.pick(cidrs))
        default:
            let single = rng.chance(0.4)
            let count = single ? 1 : 1 + rng.below(3)
            let (kind, values): (GenMatcher.Exclusion, [String]) = switch rng.below(6) {
            case 0: (.strings, excludedStrings)
            case 1: (.numbers, excludedNumbers)
            case 2: (.prefixes, excludedPrefixes)
            case 3: (.suffixes, excludedSuffixes)
            case 4: (.ignoringCase, excludedIgnoringCase)
            default: (.wildcards, excludedWildcards)
            }
            // Numbers must differ by value too ("1e2" and "100" would be one exclusion anyway).
            return .anythingBut(kind, rng.distinct(values, count: count), single: single)
        }
    }

    static func numeric(_ rng: inout SplitMix64) -> GenMatcher {
        if rng.chance(0.4) {
            return .numeric([.init(operation: rng.pick(["=", "<", "<=", ">", ">="]), bound: rng.pick(bounds))])
        }
        var pair = rng.distinct(bounds, count: 2)
        let values = pair.map { Reference.number($0)! }
        if values[0] == values[1] { return .numeric([.init(operation: ">=", bound: pair[0])]) }
        if values[0] > values[1] { pair.swapAt(0, 1) }
        return .numeric([.init(operation: rng.pick([">", ">="]), bound: pair[0]),
                         .init(operation: rng.pick(["<", "<="]), bound: pair[1])])
    }

    static func matchers(_ rng: inout SplitMix64) -> [GenMatcher] {
        var list: [GenMatcher] = []
        for _ in 0..<(1 + rng.below(3)) { list.append(matcher(&rng)) }
        return list
    }

    /// A pattern object at `prefix` ("" or "d."), naming no path in `used`; adds its paths there.
    static func object(_ rng: inout SplitMix64, prefix: String, depth: Int, used: inout Set<String>) -> GenObject? {
        let fieldKeys = prefix.isEmpty ? ["a", "b", "c", "d.a", "d.b"] : ["a", "b"]
        var members: [GenObject.Member] = []
        var hasNestedD = false  // one "d" object per object: JSON keys stay unique
        for _ in 0..<(1 + rng.below(3)) {
            let roll = rng.below(100)
            if roll < 15 && depth < 2 {
                var alternatives: [GenObject] = []
                var union = used
                for _ in 0..<(2 + rng.below(2)) {
                    var alternativeUsed = used
                    guard let alternative = object(&rng, prefix: prefix, depth: depth + 1, used: &alternativeUsed) else { break }
                    alternatives.append(alternative)
                    union.formUnion(alternativeUsed)
                }
                if alternatives.count >= 2 {
                    members.append(.or(alternatives))
                    used = union
                }
            } else if roll < 30 && prefix.isEmpty && depth < 3 && !hasNestedD {
                var nestedUsed = used
                if let nested = object(&rng, prefix: "d.", depth: depth + 1, used: &nestedUsed) {
                    members.append(.object("d", nested))
                    used = nestedUsed
                    hasNestedD = true
                }
            } else {
                let free = fieldKeys.filter { !used.contains(prefix + $0) }
                guard !free.isEmpty else { continue }
                let key = rng.pick(free)
                used.insert(prefix + key)
                members.append(.field(key, matchers(&rng)))
            }
        }
        if members.isEmpty {
            let free = fieldKeys.filter { !used.contains(prefix + $0) }
            guard !free.isEmpty else { return nil }
            let key = rng.pick(free)
            used.insert(prefix + key)
            members.append(.field(key, matchers(&rng)))
        }
        return GenObject(members: members)
    }

    static func pattern(_ rng: inout SplitMix64) -> GenObject {
        var used: Set<String> = []
        return object(&rng, prefix: "", depth: 0, used: &used)!
    }

    // MARK: Events

    static func scalar(_ rng: inout SplitMix64) -> String {
        switch rng.below(10) {
        case 0..<5: return GenJSON.quote(rng.pick(eventStrings), escaping: &rng)
        case 5..<8: return rng.pick(eventNumbers)
        case 8: return rng.chance(0.5) ? "true" : "false"
        default: return "null"
        }
    }

    static func scalarArray(_ rng: inout SplitMix64, depth: Int = 0) -> String {
        let elements = (0..<rng.below(4)).map { _ in
            depth < 2 && rng.chance(0.2) ? scalarArray(&rng, depth: depth + 1) : scalar(&rng)
        }
        return "[" + elements.joined(separator: ",") + "]"
    }

    /// A value for a field: mostly scalars, sometimes arrays, objects (the field is then absent),
    /// and, when allowed, arrays holding objects.
    static func fieldValue(_ rng: inout SplitMix64, objectArrays: Bool) -> String {
        let roll = rng.below(100)
        switch roll {
        case 0..<70: return scalar(&rng)
        case 70..<85: return scalarArray(&rng)
        case 85..<92: return rng.chance(0.5) ? "{}" : #"{"a":\#(scalar(&rng))}"#
        default:
            return objectArrays ? #"[{"a":\#(scalar(&rng))},\#(scalar(&rng))]"# : scalar(&rng)
        }
    }

    static func dObject(_ rng: inout SplitMix64, objectArrays: Bool) -> String {
        let members = ["a", "b", "c"].filter { _ in rng.chance(0.6) }.map {
            GenJSON.quote($0, escaping: &rng) + ":" + fieldValue(&rng, objectArrays: objectArrays)
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Junk that no pattern names, for the scanner to skip.
    static func junk(_ rng: inout SplitMix64, depth: Int = 0) -> String {
        switch depth < 3 ? rng.below(4) : 0 {
        case 0: return rng.pick([#""]}\"{[""#, #""\\""#, "-1.5e-7", "true", "null", #""x""#])
        case 1: return "[" + (0..<rng.below(3)).map { _ in junk(&rng, depth: depth + 1) }.joined(separator: ",") + "]"
        default:
            return "{" + (0..<rng.below(3)).map { index in "\"k\(index)\":" + junk(&rng, depth: depth + 1) }
                .joined(separator: ",") + "}"
        }
    }

    static func event(_ rng: inout SplitMix64, objectArrays: Bool) -> String {
        var members: [String] = []
        for key in ["a", "b", "c", "d", "d.a", "z"].shuffledDeterministically(using: &rng) where rng.chance(0.55) {
            let value: String
            switch key {
            case "d":
                let roll = rng.below(100)
                if roll < 60 {
                    value = dObject(&rng, objectArrays: objectArrays)
                } else if roll < 80 || !objectArrays {
                    value = fieldValue(&rng, objectArrays: false)
                } else {
                    value = "[" + (0..<(1 + rng.below(3))).map { _ in
                        rng.chance(0.8) ? dObject(&rng, objectArrays: true) : scalar(&rng)
                    }.joined(separator: ",") + "]"
                }
            case "z":
                value = junk(&rng)
            default:
                value = fieldValue(&rng, objectArrays: objectArrays)
            }
            members.append(GenJSON.quote(key, escaping: &rng) + rng.pick([":", " : ", ":\t", "\r\n:"]) + value)
        }
        let separators = [",", " , ", ",\n  "]
        return "{" + members.joined(separator: rng.pick(separators)) + "}"
    }
}

extension Array {
    func shuffledDeterministically(using rng: inout SplitMix64) -> [Element] {
        var copy = self
        for index in copy.indices.reversed() where index > 0 {
            copy.swapAt(index, rng.below(index + 1))
        }
        return copy
    }
}

/// Writing JSON strings, optionally spelling characters as `\u` escapes.
enum GenJSON {
    static func quote(_ text: String) -> String {
        var rng: SplitMix64? = nil
        return quote(text, rng: &rng)
    }

    static func quote(_ text: String, escaping rng: inout SplitMix64) -> String {
        var optional: SplitMix64? = rng
        defer { rng = optional! }
        return quote(text, rng: &optional)
    }

    private static func quote(_ text: String, rng: inout SplitMix64?) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            if rng?.chance(0.15) == true {
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
                continue
            }
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }
}

// MARK: - The reference evaluator

/// An independent, slow, obviously-correct model of EventBridge matching for events without
/// arrays of objects: parse the event into a tree (keeping number spellings), collect the leaf
/// values of each dot-joined path (arrays are transparent), and test each branch's clauses.
enum Reference {
    indirect enum Value {
        case object([(String, Value)])
        case array([Value])
        case string([UInt8])
        case number(String)
        case boolean(Bool)
        case null
    }

    struct ParseError: Error {}

    // MARK: JSON

    static func parse(_ text: String) throws -> Value {
        var parser = Parser(bytes: Array(text.utf8))
        let value = try parser.value()
        parser.skipWhitespace()
        guard parser.position == parser.bytes.count else { throw ParseError() }
        return value
    }

    struct Parser {
        let bytes: [UInt8]
        var position = 0

        mutating func skipWhitespace() {
            while position < bytes.count, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[position]) { position += 1 }
        }

        mutating func expect(_ byte: UInt8) throws {
            skipWhitespace()
            guard position < bytes.count, bytes[position] == byte else { throw ParseError() }
            position += 1
        }

        mutating func value() throws -> Value {
            skipWhitespace()
            guard position < bytes.count else { throw ParseError() }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                position += 1
                var members: [(String, Value)] = []
                skipWhitespace()
                if bytes[position] == UInt8(ascii: "}") { position += 1; return .object([]) }
                while true {
                    skipWhitespace()
                    let key = String(decoding: try string(), as: UTF8.self)
                    try expect(UInt8(ascii: ":"))
                    members.append((key, try value()))
                    skipWhitespace()
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "}"))
                    return .object(members)
                }
            case UInt8(ascii: "["):
                position += 1
                var elements: [Value] = []
                skipWhitespace()
                if bytes[position] == UInt8(ascii: "]") { position += 1; return .array([]) }
                while true {
                    elements.append(try value())
                    skipWhitespace()
                    if bytes[position] == UInt8(ascii: ",") { position += 1; continue }
                    try expect(UInt8(ascii: "]"))
                    return .array(elements)
                }
            case UInt8(ascii: "\""):
                return .string(try string())
            case UInt8(ascii: "t"): position += 4; return .boolean(true)
            case UInt8(ascii: "f"): position += 5; return .boolean(false)
            case UInt8(ascii: "n"): position += 4; return .null
            default:
                let start = position
                while position < bytes.count, "+-.eE0123456789".utf8.contains(bytes[position]) { position += 1 }
                guard position > start else { throw ParseError() }
                return .number(String(decoding: bytes[start..<position], as: UTF8.self))
            }
        }

        mutating func hex4() throws -> UInt32 {
            guard position + 4 <= bytes.count, let unit = UInt32(String(decoding: bytes[position..<position + 4], as: UTF8.self), radix: 16) else {
                throw ParseError()
            }
            position += 4
            return unit
        }

        mutating func string() throws -> [UInt8] {
            try expect(UInt8(ascii: "\""))
            var output: [UInt8] = []
            while true {
                guard position < bytes.count else { throw ParseError() }
                let byte = bytes[position]
                position += 1
                if byte == UInt8(ascii: "\"") { return output }
                guard byte == UInt8(ascii: "\\") else { output.append(byte); continue }
                let escape = bytes[position]
                position += 1
                switch escape {
                case UInt8(ascii: "n"): output.append(0x0A)
                case UInt8(ascii: "t"): output.append(0x09)
                case UInt8(ascii: "r"): output.append(0x0D)
                case UInt8(ascii: "b"): output.append(0x08)
                case UInt8(ascii: "f"): output.append(0x0C)
                case UInt8(ascii: "u"):
                    var code = try hex4()
                    if (0xD800..<0xDC00).contains(code) {
                        position += 2  // \u
                        let low = try hex4()
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                    }
                    output.append(contentsOf: Array(String(Unicode.Scalar(code)!).utf8))
                default: output.append(escape)
                }
            }
        }
    }

    /// The leaf values of every path: arrays are transparent, objects extend the path.
    static func leaves(of event: Value) -> [String: [Value]] {
        var result: [String: [Value]] = [:]
        func walk(_ value: Value, _ path: String) {
            switch value {
            case .object(let members):
                for (key, child) in members { walk(child, path.isEmpty ? key : path + "." + key) }
            case .array(let elements):
                for element in elements { walk(element, path) }
            default:
                result[path, default: []].append(value)
            }
        }
        walk(event, "")
        return result
    }

    /// Whether any element of the event is an array holding an object (array consistency applies).
    static func hasObjectInArray(_ value: Value, insideArray: Bool = false) -> Bool {
        switch value {
        case .object(let members): return insideArray || members.contains { hasObjectInArray($0.1) }
        case .array(let elements): return elements.contains { hasObjectInArray($0, insideArray: true) }
        default: return false
        }
    }

    // MARK: Numbers

    /// Sign, significant digits and the exponent of the decimal point, for a decimal spelling.
    static func decimal(_ text: String) -> (negative: Bool, digits: [UInt8], point: Int)? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        var digits: [UInt8] = []
        var point: Int? = nil
        var exponent = 0
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                digits.append(byte)
            } else if byte == UInt8(ascii: ".") {
                point = digits.count
            } else if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                guard let e = Int(String(decoding: bytes[(index + 1)...], as: UTF8.self).replacingPlus()) else { return nil }
                exponent = e
                break
            } else {
                return nil
            }
            index += 1
        }
        var position = (point ?? digits.count) + exponent
        while let first = digits.first, first == UInt8(ascii: "0") { digits.removeFirst(); position -= 1 }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return (false, [], 0) }
        return (negative, digits, position)
    }

    /// The value of a JSON number when its spelling and the shortest spelling of its double have
    /// the same decimal value; nil otherwise.
    static func number(_ text: String) -> Double? {
        guard let double = Double(text), double.isFinite,
              let spelled = decimal(text), let shortest = decimal("\(double)"),
              spelled.negative == shortest.negative, spelled.digits == shortest.digits, spelled.point == shortest.point
        else { return nil }
        return double == 0 ? 0 : double
    }

    // MARK: IP addresses

    struct Address: Equatable {
        let isV6: Bool
        let value: UInt128
    }

    static func address(_ bytes: [UInt8]) -> Address? {
        let text = String(decoding: bytes, as: UTF8.self)
        let quads = text.split(separator: ".", omittingEmptySubsequences: false)
        if quads.count == 4, text.utf8.count <= 15 {
            var value: UInt128 = 0
            for quad in quads {
                guard !quad.isEmpty, quad.allSatisfy({ $0.isASCII && $0.isNumber }), let part = Int(quad), part <= 255 else { return nil }
                value = value << 8 | UInt128(part)
            }
            return Address(isV6: false, value: value)
        }
        guard text.contains(":"), text.allSatisfy({ $0 == ":" || $0.isHexDigit }) else { return nil }
        func groups(_ part: Substring) -> [UInt16]? {
            if part.isEmpty { return [] }
            var result: [UInt16] = []
            for group in part.split(separator: ":", omittingEmptySubsequences: false) {
                guard (1...4).contains(group.count), let value = UInt16(group, radix: 16) else { return nil }
                result.append(value)
            }
            return result
        }
        var words: [UInt16]
        let halves = text.splitOnString("::")
        if halves.count == 2 {
            guard let head = groups(Substring(halves[0])), let tail = groups(Substring(halves[1])),
                  head.count + tail.count <= 7 else { return nil }
            words = head + Array(repeating: 0, count: 8 - head.count - tail.count) + tail
        } else if halves.count == 1 {
            guard let all = groups(Substring(text)), all.count == 8 else { return nil }
            words = all
        } else {
            return nil
        }
        let value = words.reduce(UInt128(0)) { $0 << 16 | UInt128($1) }
        return Address(isV6: true, value: value)
    }

    static func cidrContains(_ cidr: String, _ address: Address) -> Bool {
        let parts = cidr.split(separator: "/")
        let base = Self.address(Array(parts[0].utf8))!
        let bits = Int(parts[1])!
        let width = base.isV6 ? 128 : 32
        guard base.isV6 == address.isV6 else { return false }
        let shift = width - bits
        return shift == 128 ? true : (base.value >> shift) == (address.value >> shift)
    }

    // MARK: Strings

    /// What one pattern character may be in an event under equals-ignore-case (Java's per-character
    /// lower and upper case), for the characters of the vocabulary.
    static func caseAlternatives(_ scalar: Unicode.Scalar) -> [[UInt8]] {
        switch scalar {
        case "a"..."z", "A"..."Z":
            let lower = UInt8(scalar.value) | 0x20
            return [[lower], [lower & ~0x20]]
        case "ß": return [Array("ß".utf8), Array("SS".utf8)]
        case "é", "É": return [Array("é".utf8), Array("É".utf8)]
        default: return [Array(String(scalar).utf8)]
        }
    }

    /// The end offsets reachable by matching the case-folded `operand` from `start` in `value`.
    static func caseFoldedEnds(_ operand: String, _ value: [UInt8], from start: Int) -> Set<Int> {
        var positions: Set<Int> = [start]
        for scalar in operand.unicodeScalars {
            var next: Set<Int> = []
            for position in positions {
                for alternative in caseAlternatives(scalar)
                where value.count - position >= alternative.count && Array(value[position..<position + alternative.count]) == alternative {
                    next.insert(position + alternative.count)
                }
            }
            positions = next
        }
        return positions
    }

    /// Glob matching by dynamic programming over the operand's tokens.
    static func wildcard(_ source: String, _ value: [UInt8]) -> Bool {
        var tokens: [UInt8?] = []  // nil is `*`
        var bytes = Array(source.utf8)[...]
        while let byte = bytes.popFirst() {
            if byte == UInt8(ascii: "\\") { tokens.append(bytes.popFirst()!) } else if byte == UInt8(ascii: "*") { tokens.append(nil) } else { tokens.append(byte) }
        }
        var reachable = [Bool](repeating: false, count: value.count + 1)
        reachable[0] = true
        for token in tokens {
            var next = [Bool](repeating: false, count: value.count + 1)
            if let byte = token {
                for index in 0..<value.count where reachable[index] && value[index] == byte { next[index + 1] = true }
            } else {
                var any = false
                for index in 0...value.count {
                    any = any || reachable[index]
                    next[index] = any
                }
            }
            reachable = next
        }
        return reachable[value.count]
    }

    // MARK: Matching

    static func matches(_ matcher: GenMatcher, _ leaf: Value) -> Bool {
        switch (matcher, leaf) {
        case (.string(let s), .string(let value)):
            if let literal = address(Array(s.utf8)) { return address(value) == literal }
            return value == Array(s.utf8)
        case (.number(let n), .number(let value)):
            if n == value { return true }
            guard let a = number(n), let b = number(value) else { return false }
            return a == b
        case (.boolean(let b), .boolean(let value)): return b == value
        case (.null, .null): return true
        case (.prefix(let p), .string(let value)): return value.starts(with: Array(p.utf8))
        case (.suffix(let s), .string(let value)): return value.reversed().starts(with: Array(s.utf8).reversed())
        case (.equalsIgnoringCase(let s), .string(let value)): return caseFoldedEnds(s, value, from: 0).contains(value.count)
        case (.prefixIgnoringCase(let s), .string(let value)): return !caseFoldedEnds(s, value, from: 0).isEmpty
        case (.suffixIgnoringCase(let s), .string(let value)):
            return (0...value.count).contains { caseFoldedEnds(s, value, from: $0).contains(value.count) }
        case (.wildcard(let w), .string(let value)): return wildcard(w, value)
        case (.numeric(let conditions), .number(let text)):
            guard let value = number(text) else { return false }
            return conditions.allSatisfy { condition in
                let bound = number(condition.bound)!
                switch condition.operation {
                case "=": return value == bound
                case "<": return value < bound
                case "<=": return value <= bound
                case ">": return value > bound
                default: return value >= bound
                }
            }
        case (.exists(let e), _): return e
        case (.cidr(let c), .string(let value)):
            guard let address = address(value) else { return false }
            return cidrContains(c, address)
        case (.anythingBut(let kind, let values, _), _):
            switch (kind, leaf) {
            case (.strings, .string(let value)): return !values.contains { Array($0.utf8) == value }
            case (.numbers, .number(let text)):
                guard let value = number(text) else { return true }
                return !values.contains { number($0) == value }
            case (.prefixes, .string):
                return !values.contains { matches(.prefix($0), leaf) }
            case (.suffixes, .string):
                return !values.contains { matches(.suffix($0), leaf) }
            case (.ignoringCase, .string):
                return !values.contains { matches(.equalsIgnoringCase($0), leaf) }
            case (.wildcards, .string):
                return !values.contains { matches(.wildcard($0), leaf) }
            default:
                return true  // another type than the exclusions is never excluded
            }
        default:
            return false
        }
    }

    /// Whether an event with these leaves matches a pattern with these branches (events without
    /// arrays of objects only).
    static func matches(branches: [[String: [GenMatcher]]], fields: [String: [Value]]) -> Bool {
        branches.contains { branch in
            branch.allSatisfy { path, matchers in
                let values = fields[path] ?? []
                if values.isEmpty && matchers.contains(.exists(false)) { return true }
                return values.contains { leaf in
                    matchers.contains { $0 != .exists(false) && matches($0, leaf) }
                }
            }
        }
    }
}

// MARK: - The reference evaluator, with arrays of objects

extension Reference {
    /// A leaf value and the (array, element index) pairs of every array enclosing it.
    struct Leaf {
        let value: Value
        let memberships: [(array: Int, index: Int)]
    }

    static func leavesWithArrays(of event: Value) -> [String: [Leaf]] {
        var result: [String: [Leaf]] = [:]
        var nextArray = 0
        func walk(_ value: Value, _ path: String, _ memberships: [(array: Int, index: Int)]) {
            switch value {
            case .object(let members):
                for (key, child) in members { walk(child, path.isEmpty ? key : path + "." + key, memberships) }
            case .array(let elements):
                let array = nextArray
                nextArray += 1
                for (index, element) in elements.enumerated() { walk(element, path, memberships + [(array, index)]) }
            default:
                result[path, default: []].append(Leaf(value: value, memberships: memberships))
            }
        }
        walk(event, "", [])
        return result
    }

    /// Two leaves can serve one branch unless some array holds them in different elements.
    static func consistent(_ lhs: [(array: Int, index: Int)], _ rhs: [(array: Int, index: Int)]) -> Bool {
        lhs.allSatisfy { left in rhs.allSatisfy { $0.array != left.array || $0.index == left.index } }
    }

    /// Whether some branch can pick, for every clause, a satisfying leaf (or, for `exists: false`,
    /// no leaf) such that all picked leaves are pairwise consistent. Callers make sure that no
    /// leaf of an `exists: false` path lies inside an array, where absence would depend on order.
    static func matchesConsistently(branches: [[String: [GenMatcher]]], fields: [String: [Leaf]]) -> Bool {
        branches.contains { branch in
            let clauses = branch.sorted { $0.key < $1.key }
            func search(_ position: Int, _ chosen: [[(array: Int, index: Int)]]) -> Bool {
                if position == clauses.count { return true }
                let (path, matchers) = clauses[position]
                let leaves = fields[path] ?? []
                if leaves.isEmpty { return matchers.contains(.exists(false)) && search(position + 1, chosen) }
                for leaf in leaves
                where chosen.allSatisfy({ consistent($0, leaf.memberships) })
                    && matchers.contains(where: { $0 != .exists(false) && matches($0, leaf.value) }) {
                    if search(position + 1, chosen + [leaf.memberships]) { return true }
                }
                return false
            }
            return search(0, [])
        }
    }
}

extension String {
    fileprivate func replacingPlus() -> String { hasPrefix("+") ? String(dropFirst()) : self }

    fileprivate func splitOnString(_ separator: String) -> [String] {
        var parts: [String] = []
        var rest = Substring(self)
        while let range = rest.firstRange(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}

// MARK: - The properties

/// Properties of the engine over seeded random patterns and events:
/// (a) compiling patterns together never changes any pattern's verdict;
/// (b) the engine agrees with the independent reference evaluator above (events without arrays of
///     objects, where array consistency does not arise);
/// (c) a matcher reused across events, including events that fail to parse, answers exactly like
///     a fresh matcher.
@Suite("Pattern properties (seeded random)")
struct PropertyTests {
    struct Generated {
        let patterns: [GenObject]
        let texts: [String]
        let compiled: [EventPattern]
    }

    static func generatePatterns(_ rng: inout SplitMix64, count: Int) -> Generated {
        var patterns: [GenObject] = []
        var texts: [String] = []
        var compiled: [EventPattern] = []
        while patterns.count < count {
            let pattern = GenVocabulary.pattern(&rng)
            let text = pattern.json
            do {
                compiled.append(try EventPattern(json: text))
                patterns.append(pattern)
                texts.append(text)
            } catch {
                Issue.record("generated pattern refused: \(text) — \(error.message)")
                return Generated(patterns: patterns, texts: texts, compiled: compiled)
            }
        }
        return Generated(patterns: patterns, texts: texts, compiled: compiled)
    }

    @Test("the reference model reads the vocabulary as expected")
    func referenceSanity() throws {
        #expect(Reference.number("3.0e2") == 300)
        #expect(Reference.number("-0") == 0)
        #expect(Reference.number("0.10000000000000001") == nil)
        #expect(Reference.number("12345678901234567890") == nil)
        #expect(Reference.number("1e309") == nil)
        #expect(Reference.address(Array("010.0.0.1".utf8)) == Reference.address(Array("10.0.0.1".utf8)))
        #expect(Reference.address(Array("2001:DB8:0:0:0:0:0:1".utf8)) == Reference.address(Array("2001:db8::1".utf8)))
        #expect(Reference.address(Array("10.0.0.256".utf8)) == nil)
        #expect(Reference.wildcard("a\\*b", Array("a*b".utf8)))
        #expect(!Reference.wildcard("x*y", Array("xy.".utf8)))
        #expect(Reference.caseFoldedEnds("ß", Array("SS".utf8), from: 0) == [2])
        #expect(Reference.caseFoldedEnds("SS", Array("ß".utf8), from: 0).isEmpty)
        let nested = try Reference.parse(#"{"d":{"a":[1,[2]]},"d.a":"\u00e9"}"#)
        let leaves = Reference.leaves(of: nested)
        #expect(leaves["d.a"]?.count == 3)
        var rng = SplitMix64(seed: 7)
        for _ in 0..<200 {
            let pattern = GenVocabulary.pattern(&rng)
            let parsed = try EventPattern(json: pattern.json)
            #expect(parsed.branches.count == pattern.branches().count, "\(pattern.json)")
            _ = try Reference.parse(GenVocabulary.event(&rng, objectArrays: true))
        }
    }

    @Test("(a) a pattern's verdict is the same compiled alone or with 49 others", arguments: [UInt64(1), 2, 3, 4])
    func setEqualsSingles(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let generated = Self.generatePatterns(&rng, count: 50)
        let set = CompiledPatternSet(generated.compiled.enumerated().map { (name: "p\($0.offset)", pattern: $0.element) })
        let together = set.makeMatcher()
        let alone = generated.compiled.map { CompiledPatternSet([(name: "p", pattern: $0)]).makeMatcher() }
        var failures = 0
        var matchedPairs = 0
        for _ in 0..<500 {
            let event = Array(GenVocabulary.event(&rng, objectArrays: true).utf8)
            let combined = Set(try together.match(event))
            for (index, matcher) in alone.enumerated() {
                let single = !(try matcher.match(event)).isEmpty
                if single { matchedPairs += 1 }
                if single != combined.contains(Int32(index)) {
                    failures += 1
                    if failures <= 5 {
                        Issue.record("""
                            pattern \(generated.texts[index]) on event \(String(decoding: event, as: UTF8.self)): \
                            alone \(single), in the set \(!single)
                            """)
                    }
                }
            }
        }
        #expect(failures == 0)
        #expect(matchedPairs > 500, "the generator should produce many matches (got \(matchedPairs))")
    }

    @Test("(b) the engine agrees with the reference evaluator", arguments: [UInt64(11), 12, 13, 14, 15, 16])
    func agreesWithReference(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let generated = Self.generatePatterns(&rng, count: 150)
        var events: [(text: String, fields: [String: [Reference.Value]])] = []
        while events.count < 200 {
            let text = GenVocabulary.event(&rng, objectArrays: false)
            let value = try Reference.parse(text)
            if !Reference.hasObjectInArray(value) { events.append((text, Reference.leaves(of: value))) }
        }
        var failures = 0
        var matches = 0
        for (index, pattern) in generated.patterns.enumerated() {
            let matcher = CompiledPatternSet([(name: "p", pattern: generated.compiled[index])]).makeMatcher()
            let branches = pattern.branches()
            for event in events {
                let engine = !(try matcher.match(Array(event.text.utf8))).isEmpty
                let reference = Reference.matches(branches: branches, fields: event.fields)
                if reference { matches += 1 }
                if engine != reference {
                    failures += 1
                    if failures <= 8 {
                        Issue.record("""
                            pattern \(generated.texts[index]) event \(event.text): \
                            engine \(engine ? "match" : "no match"), reference \(reference ? "match" : "no match")
                            """)
                    }
                }
            }
        }
        #expect(failures == 0, "\(failures) disagreements")
        #expect(matches > 1000, "the generator should produce many matches (got \(matches))")
    }

    @Test("(b) with arrays of objects: the values of one branch come from one array element",
          arguments: [UInt64(31), 32, 33, 34])
    func agreesWithReferenceOnArraysOfObjects(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let generated = Self.generatePatterns(&rng, count: 150)
        var events: [(text: String, fields: [String: [Reference.Leaf]])] = []
        while events.count < 200 {
            let text = GenVocabulary.event(&rng, objectArrays: true)
            let value = try Reference.parse(text)
            if Reference.hasObjectInArray(value) { events.append((text, Reference.leavesWithArrays(of: value))) }
        }
        var failures = 0
        var compared = 0
        var matches = 0
        for (index, pattern) in generated.patterns.enumerated() {
            let matcher = CompiledPatternSet([(name: "p", pattern: generated.compiled[index])]).makeMatcher()
            let branches = pattern.branches()
            let absencePaths = Set(branches.flatMap { $0.filter { $0.value.contains(.exists(false)) }.keys })
            for event in events {
                let orderDependent = absencePaths.contains { path in
                    (event.fields[path] ?? []).contains { !$0.memberships.isEmpty }
                }
                if orderDependent { continue }
                compared += 1
                let engine = !(try matcher.match(Array(event.text.utf8))).isEmpty
                let reference = Reference.matchesConsistently(branches: branches, fields: event.fields)
                if reference { matches += 1 }
                if engine != reference {
                    failures += 1
                    if failures <= 8 {
                        Issue.record("""
                            pattern \(generated.texts[index]) event \(event.text): \
                            engine \(engine ? "match" : "no match"), reference \(reference ? "match" : "no match")
                            """)
                    }
                }
            }
        }
        #expect(failures == 0, "\(failures) disagreements in \(compared) comparisons")
        #expect(compared > 20_000 && matches > 1000, "compared \(compared), matched \(matches)")
    }

    @Test("(c) one matcher reused across events answers like a fresh matcher per event", arguments: [UInt64(21), 22])
    func reusedMatcher(seed: UInt64) throws {
        var rng = SplitMix64(seed: seed)
        let generated = Self.generatePatterns(&rng, count: 50)
        let set = CompiledPatternSet(generated.compiled.enumerated().map { (name: "p\($0.offset)", pattern: $0.element) })
        let reused = set.makeMatcher()
        var compared = 0
        for _ in 0..<500 {
            let text = GenVocabulary.event(&rng, objectArrays: true)
            if rng.chance(0.2) {
                // A truncated event fails part-way; the matcher must not carry anything over.
                let bytes = Array(text.utf8)
                let truncated = Array(bytes.prefix(rng.below(bytes.count)))
                #expect(throws: EventError.self) { try reused.match(truncated) }
            }
            let event = Array(text.utf8)
            let again = Set(try reused.match(event))
            let fresh = Set(try set.makeMatcher().match(event))
            #expect(again == fresh, "event \(text)")
            let stamped = Set((0..<generated.compiled.count).filter { reused.matchedPattern($0) }.map { Int32($0) })
            #expect(stamped == fresh, "matchedPattern disagrees on event \(text)")
            compared += 1
        }
        #expect(compared == 500)
    }
}

import Foundation
import VigilIngest
import VigilJSON
import VigilPattern

/// Builds a converted rule's tests from its own detection: for each alternative (at most four) a
/// CloudTrail record that meets it, one with a value compared regardless of case spelled in
/// the other case, and records that miss by one field; each normalized into the envelope
/// Vigil matches, and each verdict checked with Vigil's matcher before it is written.
struct SigmaTestEvents {
    struct Test {
        let name: String
        let expectMatch: Bool
        let event: JSONValue
    }

    let pattern: SigmaPattern
    /// Text of the pattern, for the matcher.
    let patternBytes: [UInt8]
    /// Seeds event ids so that the tests of different rules differ.
    let seed: String

    init(pattern: SigmaPattern, seed: String) {
        self.pattern = pattern
        patternBytes = Array(pattern.json.text.utf8)
        self.seed = seed
    }

    /// An API call by an IAM user, in CloudTrail's 1.09 shape; the detection's fields are set on it.
    static let baseRecord = JSONValue.object([
        ("eventVersion", .string("1.09")),
        ("userIdentity", .object([
            ("type", .string("IAMUser")), ("principalId", .string("AIDAEXAMPLEPRINCIPAL1")),
            ("arn", .string("arn:aws:iam::111122223333:user/example-user")), ("accountId", .string("111122223333")),
            ("accessKeyId", .string("AKIAEXAMPLEACCESSKEY")), ("userName", .string("example-user")),
        ])),
        ("eventTime", .string("2026-11-20T09:00:00Z")),
        ("eventSource", .string("example.amazonaws.com")),
        ("eventName", .string("ExampleAction")),
        ("awsRegion", .string("us-east-1")),
        ("sourceIPAddress", .string("198.51.100.23")),
        ("userAgent", .string("aws-cli/2.15.30 Python/3.11.8 Linux/6.5.0-21-generic exe/x86_64.ubuntu.22")),
        ("requestParameters", .null),
        ("responseElements", .null),
        ("requestID", .string("00000000-0000-4000-8000-000000000000")),
        ("eventID", .string("00000000-0000-4000-8000-000000000000")),
        ("readOnly", .bool(false)),
        ("eventType", .string("AwsApiCall")),
        ("managementEvent", .bool(true)),
        ("recipientAccountId", .string("111122223333")),
        ("eventCategory", .string("Management")),
    ])

    /// The tests, or why none could be made (a detection no event meets).
    func make() throws(SigmaIssue) -> [Test] {
        var tests: [Test] = []
        var counter = 0
        func record(_ fields: [(path: [String], value: JSONValue?)]) -> JSONValue {
            counter += 1
            var record = Self.baseRecord
            let id = Self.eventID(seed: seed, counter: counter)
            record = record.setting(["eventID"], to: .string(id)).setting(["requestID"], to: .string(id))
            for (path, value) in fields { record = record.setting(path.dropFirst(), to: value) }
            return record
        }
        func describe(_ fields: [(path: [String], value: JSONValue?)]) -> String {
            fields.map { field in
                let name = field.path.dropFirst().joined(separator: ".")
                return field.value.map { "\(name) \($0.text)" } ?? "\(name) absent"
            }.joined(separator: ", ")
        }

        var firstMatch: [(path: [String], value: JSONValue?)]?
        for term in pattern.terms.prefix(4) {
            let fields = term.filter { $0.path != ["source"] }
            var chosen: [(path: [String], value: JSONValue?)] = []
            for entry in fields {
                guard let value = Self.satisfying(entry.matchers) else {
                    throw .refused("no value meets \(entry.path.dropFirst().joined(separator: ".")) \(JSONValue.array(entry.matchers).text)")
                }
                chosen.append((entry.path, value.value))
            }
            let event = try envelope(record(chosen))
            guard matches(event) else {
                throw .refused("a record built to meet the detection (\(describe(chosen))) is not matched by the pattern written for it")
            }
            tests.append(Test(name: "matches: \(describe(chosen)) (generated from the Sigma detection)", expectMatch: true, event: event))
            if firstMatch == nil { firstMatch = chosen }
            // A value compared regardless of case, spelled in the other case.
            for (index, entry) in fields.enumerated() {
                guard case .string(let text)? = chosen[index].value, Self.ignoresCase(entry.matchers.first),
                      hasCasedLetters(text) else { continue }
                var swapped = chosen
                swapped[index].value = .string(Self.swapCase(text))
                let event = try envelope(record(swapped))
                if matches(event) {
                    tests.append(Test(name: "matches whatever the case: \(describe([swapped[index]])) (generated)", expectMatch: true, event: event))
                }
                break
            }
        }
        guard let base = firstMatch else { throw .refused("the detection has no alternative to build an event for") }
        var misses = 0
        for (index, entry) in base.enumerated() where misses < 3 {
            let term = pattern.terms[0].filter { $0.path != ["source"] }
            guard let matchers = term.first(where: { $0.path == entry.path })?.matchers else { continue }
            for candidate in Self.violating(matchers, near: entry.value) {
                var changed = base
                changed[index].value = candidate
                let event = try envelope(record(changed))
                if !matches(event) {
                    tests.append(Test(name: "does not match: \(describe([changed[index]])) (generated)", expectMatch: false, event: event))
                    misses += 1
                    break
                }
            }
        }
        guard misses > 0 else { throw .refused("no record that misses the detection could be built (the pattern matches every CloudTrail event)") }
        return tests
    }

    private func matches(_ event: JSONValue) -> Bool {
        PatternTester.test(pattern: patternBytes, event: Array(event.text.utf8)) == .match
    }

    /// The envelope Vigil's normalizer makes of `record`.
    private func envelope(_ record: JSONValue) throws(SigmaIssue) -> JSONValue {
        let bytes = Array(record.text.utf8)
        var output: [UInt8] = []
        var failure: String?
        bytes.withUnsafeBytes { buffer in
            var normalizer = EventNormalizer()
            do {
                let envelope = try normalizer.normalize(LogRecord(kind: .cloudTrail, bytes: buffer, ordinal: 0, decodedOffset: 0),
                                                        context: LogFileContext(path: "sigma-test"))
                EnvelopeWriter.append(envelope, to: &output)
            } catch {
                failure = "\(error)"
            }
        }
        if let failure { throw .refused("a generated record could not be normalized: \(failure)") }
        return .raw(String(decoding: output, as: UTF8.self))
    }

    private static func eventID(seed: String, counter: Int) -> String {
        // FNV-1a: a stable, distinct id per rule and test (ids need not be secret).
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in (seed + "#\(counter)").utf8 {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16).leftPadded(to: 16)
        return "\(hex.prefix(8))-\(hex.dropFirst(8).prefix(4))-4\(hex.dropFirst(13).prefix(3))-8000-\(String(counter, radix: 16).leftPadded(to: 12))"
    }

    private static func ignoresCase(_ matcher: JSONValue?) -> Bool {
        guard let matcher else { return false }
        if matcher["equals-ignore-case"] != nil { return true }
        for key in ["prefix", "suffix"] {
            if case .object? = matcher[key], matcher[key]?["equals-ignore-case"] != nil { return true }
        }
        return false
    }

    private static func swapCase(_ text: String) -> String {
        String(text.map { character -> String in
            let upper = character.uppercased()
            return upper == String(character) ? character.lowercased() : upper
        }.joined())
    }

    /// A field's chosen value; nil: the field left out.
    struct Choice {
        let value: JSONValue?
    }

    /// A value meeting one of `matchers` (`value` nil: the field absent), preferring an absent
    /// field where that meets them (a successful call has no `errorCode` at all).
    static func satisfying(_ matchers: [JSONValue]) -> Choice? {
        if matchers.contains(.object([("exists", .bool(false))])) { return Choice(value: nil) }
        for matcher in matchers {
            switch matcher {
            case .string, .bool, .null: return Choice(value: matcher)
            case .object(let members):
                guard let (key, operand) = members.first else { continue }
                let text = operand["equals-ignore-case"].flatMap { if case .string(let s) = $0 { return s } else { return nil } }
                    ?? { if case .string(let s) = operand { return s } else { return nil } }()
                switch key {
                case "equals-ignore-case": if let text { return Choice(value: .string(text)) }
                case "prefix": if let text { return Choice(value: .string(text + "Example")) }
                case "suffix": if let text { return Choice(value: .string("example-" + text)) }
                case "wildcard":
                    if let text {
                        let pieces = WildcardText.pieces(text)
                        return Choice(value: .string(pieces.count == 1 ? pieces[0] : pieces.joined(separator: "example")))
                    }
                case "cidr": if let text { return Choice(value: .string(firstAddress(text))) }
                case "exists": if operand == .bool(true) { return Choice(value: .string("example")) }
                case "anything-but": return Choice(value: .string("ExampleOtherValue"))
                default: continue
                }
            default: continue
            }
        }
        return nil
    }

    /// Values that a field holding `value` might hold instead and miss: absent, near misses, and
    /// what an `anything-but` excludes. The caller keeps the first the pattern does not match.
    static func violating(_ matchers: [JSONValue], near value: JSONValue?) -> [JSONValue?] {
        var candidates: [JSONValue?] = []
        for matcher in matchers {
            if let excluded = matcher["anything-but"] {
                let operand = excluded["equals-ignore-case"] ?? excluded["prefix"] ?? excluded["suffix"] ?? excluded
                switch operand {
                case .string(let s): candidates.append(.string(s.replacingOccurrences(of: "*", with: "")))
                case .array(let items): if let first = items.first { candidates.append(first) }
                default: break
                }
            }
        }
        if case .string(let text)? = value {
            candidates += [.string("Describe" + text + "s"), .string(text + "Other")]
        }
        candidates += [.string("ExampleOtherValue"), nil, .null, .bool(true)]
        return candidates
    }

    private static func firstAddress(_ range: String) -> String {
        let address = range.split(separator: "/").first.map(String.init) ?? range
        if address.contains(":") { return address.hasSuffix("::") ? address + "1" : address }
        var octets = address.split(separator: ".").compactMap { Int($0) }
        guard octets.count == 4 else { return address }
        octets[3] = min(octets[3] + 1, 254)
        return octets.map(String.init).joined(separator: ".")
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

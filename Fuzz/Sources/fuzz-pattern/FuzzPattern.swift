// fuzz-seeds: conformance-patterns shared/conformance/pattern-cases.jsonl
// fuzz-seeds: rule-patterns Rules
// fuzz-dict: pattern.dict
// fuzz-max-len: 8192
import FuzzSupport
import VigilJSON
import VigilPattern

/// An event pattern as JSON text (as `test-pattern`, a `--batch` line or a rule's `eventPattern`
/// string carry it), parsed, compiled and matched. Bytes after the first NUL, a byte JSON text
/// cannot hold, are an event of the fuzzer's own; the pattern is also matched against a few
/// realistic events (a CloudTrail call, a GuardDuty finding, a flow record).
///
/// Checked: no crash and no hang (the 1,000-level depth limit holds whatever the form); a
/// pattern's verdicts are the same compiled alone and compiled beside other patterns, and the
/// other patterns' verdicts do not change because it is there.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPattern(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = fuzzBytes(data, size)
    let separator = bytes.firstIndex(of: 0) ?? bytes.endIndex
    guard let pattern = try? EventPattern(json: Array(bytes[..<separator])) else { return 0 }
    var events = FixedPatterns.events
    if separator < bytes.endIndex {
        let event = Array(bytes[(separator + 1)...])
        if (try? JSONValidator.validate(event)) != nil { events.append(event) }
    }

    let alone = CompiledPatternSet([(name: "fuzzed", pattern: pattern)]).makeMatcher()
    let together = CompiledPatternSet(FixedPatterns.entries + [(name: "fuzzed", pattern: pattern)]).makeMatcher()
    let fuzzedIndex = FixedPatterns.entries.count
    for (eventIndex, event) in events.enumerated() {
        let aloneMatched: Bool
        do {
            aloneMatched = try alone.match(event).contains(0)
        } catch {
            // An event the scanner refuses (only the fuzzer's own can be refused) is refused by any set.
            fuzzRequire((try? together.match(event)) == nil, "one set refused event \(eventIndex), another did not")
            continue
        }
        let matched = Set((try? together.match(event)) ?? [-1])
        fuzzRequire(matched.contains(Int32(fuzzedIndex)) == aloneMatched,
                    "the fuzzed pattern's verdict on event \(eventIndex) changed when compiled beside others")
        for index in FixedPatterns.entries.indices where eventIndex < FixedPatterns.events.count {
            fuzzRequire(matched.contains(Int32(index)) == FixedPatterns.verdicts[eventIndex][index],
                        "pattern \(FixedPatterns.entries[index].name)'s verdict on event \(eventIndex) changed beside the fuzzed one")
        }
    }
    return 0
}

/// Patterns and events with known verdicts, compiled beside the fuzzed pattern.
enum FixedPatterns {
    static let events: [[UInt8]] = [
        #"{"version":"0","id":"1","detail-type":"AWS API Call via CloudTrail","source":"aws.s3","account":"111122223333","time":"2026-11-20T09:15:00Z","region":"us-east-1","resources":[],"detail":{"eventSource":"s3.amazonaws.com","eventName":"PutBucketPolicy","sourceIPAddress":"203.0.113.7","userAgent":"aws-cli/2.15.0 Python/3.11","userIdentity":{"type":"IAMUser","userName":"alice","accountId":"111122223333"},"requestParameters":{"bucketName":"logs","policy":{"Statement":[{"Effect":"Allow","Principal":"*"}]}},"responseElements":null,"readOnly":false,"eventTime":"2026-11-20T09:15:00Z"}}"#,
        #"{"version":"0","id":"2","detail-type":"GuardDuty Finding","source":"aws.guardduty","account":"111122223333","time":"2026-11-20T09:15:00Z","region":"eu-west-1","resources":[],"detail":{"severity":8.5,"type":"UnauthorizedAccess:EC2/SSHBruteForce","service":{"count":12,"action":{"networkConnectionAction":{"remoteIpDetails":{"ipAddressV4":"198.51.100.2"},"localPortDetails":{"port":22}}}},"resource":{"instanceDetails":{"tags":[{"key":"Name","value":"db"},{"key":"env","value":"prod"}]}}}}"#,
        #"{"version":"0","id":"3","detail-type":"VPC Flow Log Record","source":"aws.vpcflowlogs","account":"111122223333","time":"2026-11-20T09:15:00Z","region":"us-east-1","resources":[],"detail":{"version":2,"srcaddr":"2001:db8::1","dstaddr":"10.0.1.5","srcport":49152,"dstport":5432,"protocol":6,"packets":10,"bytes":8400,"action":"ACCEPT","log-status":"OK","tcp-flags":2}}"#,
    ].map { Array($0.utf8) }

    static let entries: [(name: String, pattern: EventPattern)] = [
        ("s3-policy", #"{"source":["aws.s3"],"detail":{"eventName":[{"prefix":"Put"}],"userIdentity":{"type":["IAMUser"]}}}"#),
        ("high-severity", #"{"detail":{"severity":[{"numeric":[">=",7]}],"resource":{"instanceDetails":{"tags":{"key":["Name"],"value":["db"]}}}}}"#),
        ("db-port", #"{"detail":{"dstport":[5432,3306],"srcaddr":[{"cidr":"2001:db8::/32"}],"action":[{"anything-but":"REJECT"}]}}"#),
        ("wildcard-or", #"{"$or":[{"detail":{"userAgent":[{"wildcard":"aws-cli/*Python*"}]}},{"detail":{"type":[{"equals-ignore-case":"unauthorizedaccess:ec2/sshbruteforce"}]}}]}"#),
        ("absent", #"{"detail":{"errorCode":[{"exists":false}],"readOnly":[false]}}"#),
    ].map { entry in (name: entry.0, pattern: try! EventPattern(json: entry.1)) }

    /// `verdicts[event][pattern]`, from the fixed patterns compiled alone.
    static let verdicts: [[Bool]] = {
        let matcher = CompiledPatternSet(entries).makeMatcher()
        return events.map { event in
            let matched = Set(try! matcher.match(event))
            return entries.indices.map { matched.contains(Int32($0)) }
        }
    }()
}

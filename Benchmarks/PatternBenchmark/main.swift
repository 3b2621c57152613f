// The pattern engine's benchmark: `swift run -c release pattern-benchmark [--seconds S] [--rules 1,20,200,2000]`.
//
// Events: every CloudTrail record of ../shared/corpus/cloudtrail (Stratus Red Team detonations and
// AWS documentation examples), each wrapped in the EventBridge envelope as EventBridge delivers it
// (about 1.5 KB each). Rules: deterministic sets of 1, 20, 200 and 2,000 patterns mixing every
// operator, with values drawn from the corpus so that some match and most do not. Single thread,
// events in memory. Baselines timed in the same run on the same events: Foundation's
// JSONSerialization parsing each event (no matching at all), and jq running one equivalent filter.

import Foundation
import VigilPattern

// MARK: - Options

nonisolated(unsafe) var secondsPerMeasurement = 2.0
var ruleCounts = [1, 20, 200, 2000]
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "--seconds": secondsPerMeasurement = Double(arguments.popFirst() ?? "") ?? secondsPerMeasurement
    case "--rules": ruleCounts = (arguments.popFirst() ?? "").split(separator: ",").compactMap { Int($0) }
    default:
        print("usage: pattern-benchmark [--seconds S] [--rules 1,20,200,2000]")
        exit(2)
    }
}

// MARK: - Events from the shared corpus

let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let corpus = repository.deletingLastPathComponent().appendingPathComponent("shared/corpus/cloudtrail")

@MainActor func loadRecords() -> [[String: Any]] {
    var records: [[String: Any]] = []
    let fileManager = FileManager.default
    for folder in ["stratus-red-team", "aws-docs"] {
        let directory = corpus.appendingPathComponent(folder)
        let names = (try? fileManager.contentsOfDirectory(atPath: directory.path))?.sorted() ?? []
        for name in names where name.hasSuffix(".json") && !name.contains("digest") {
            guard let data = fileManager.contents(atPath: directory.appendingPathComponent(name).path),
                  let object = try? JSONSerialization.jsonObject(with: data) else { continue }
            if let array = object as? [[String: Any]] {
                records += array
            } else if let file = object as? [String: Any], let array = file["Records"] as? [[String: Any]] {
                records += array
            } else if let record = object as? [String: Any], record["eventSource"] != nil {
                records.append(record)
            }
        }
    }
    return records
}

let detailTypes = [
    "AwsApiCall": "AWS API Call via CloudTrail", "AwsConsoleSignIn": "AWS Console Sign In via CloudTrail",
    "AwsConsoleAction": "AWS Console Action via CloudTrail", "AwsServiceEvent": "AWS Service Event via CloudTrail",
    "AwsCloudTrailInsight": "AWS Insight via CloudTrail",
]

@MainActor func envelope(_ record: [String: Any], index: Int) -> [UInt8] {
    let eventSource = record["eventSource"] as? String ?? "unknown.amazonaws.com"
    let service = eventSource.split(separator: ".").first.map(String.init) ?? "unknown"
    let userIdentity = record["userIdentity"] as? [String: Any]
    let object: [String: Any] = [
        "version": "0",
        "id": String(format: "%08x-0000-4000-8000-%012x", index, index),
        "detail-type": detailTypes[record["eventType"] as? String ?? ""] ?? "AWS API Call via CloudTrail",
        "source": "aws.\(service)",
        "account": record["recipientAccountId"] as? String ?? userIdentity?["accountId"] as? String ?? "",
        "time": record["eventTime"] as? String ?? "",
        "region": record["awsRegion"] as? String ?? "",
        "resources": [String](),
        "detail": record,
    ]
    let data = try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    return [UInt8](data)
}

let records = loadRecords()
guard !records.isEmpty else {
    print("No CloudTrail records found under \(corpus.path); the benchmark needs ../shared beside the repository.")
    exit(1)
}
let events = records.enumerated().map { envelope($0.element, index: $0.offset) }
let totalBytes = events.reduce(0) { $0 + $1.count }

// MARK: - Rule sets mixing every operator

struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func pick<T>(_ values: [T]) -> T { values[Int(next() % UInt64(values.count))] }
}

@MainActor func distinct(_ key: String) -> [String] {
    Array(Set(records.compactMap { $0[key] as? String })).sorted()
}
let eventNames = distinct("eventName")
let eventSources = distinct("eventSource")
let userAgents = distinct("userAgent")
let identityTypes = Array(Set(records.compactMap { ($0["userIdentity"] as? [String: Any])?["type"] as? String })).sorted()

@MainActor func quoted(_ text: String) -> String {
    String(decoding: try! JSONSerialization.data(withJSONObject: text, options: .fragmentsAllowed), as: UTF8.self)
}

/// Pattern `index` of a set: one of twelve templates, each naming a source and 1–3 detail fields.
@MainActor func makePattern(_ index: Int, random: inout SplitMix64) -> String {
    let eventSource = random.pick(eventSources)
    let source = quoted("aws." + (eventSource.split(separator: ".").first.map(String.init) ?? "ec2"))
    // Real names most of the time, names no event has otherwise, so that most rules do not match.
    let name = random.next() % 3 == 0 ? random.pick(eventNames) + "V\(index)" : random.pick(eventNames)
    let shortName = String(name.prefix(max(3, name.count / 2)))
    switch index % 12 {
    case 0:
        return #"{"source":[\#(source)],"detail-type":["AWS API Call via CloudTrail"],"detail":{"eventName":[\#(quoted(name)),\#(quoted(random.pick(eventNames)))]}}"#
    case 1:
        return #"{"source":[\#(source)],"detail":{"eventName":[{"prefix":\#(quoted(shortName))}]}}"#
    case 2:
        return #"{"detail":{"eventSource":[{"suffix":\#(quoted(String(eventSource.suffix(18))))}],"eventName":[\#(quoted(name))]}}"#
    case 3:
        return #"{"source":[\#(source)],"detail":{"userIdentity":{"type":[{"anything-but":["AWSService",\#(quoted(random.pick(identityTypes)))]}]},"eventName":[\#(quoted(name))]}}"#
    case 4:
        return #"{"detail":{"eventName":[{"equals-ignore-case":\#(quoted(name.uppercased()))}]}}"#
    case 5:
        let agent = random.pick(userAgents)
        let fragment = String(agent.prefix(8)).replacingOccurrences(of: "*", with: "")
        return #"{"source":[\#(source)],"detail":{"userAgent":[{"wildcard":\#(quoted("*" + fragment + "*"))}],"eventName":[\#(quoted(name))]}}"#
    case 6:
        return #"{"detail":{"sourceIPAddress":[{"cidr":"\#(random.next() % 223 + 1).0.0.0/8"}],"eventName":[\#(quoted(name))]}}"#
    case 7:
        return #"{"source":[\#(source)],"detail":{"errorCode":[{"exists":true}],"eventName":[{"prefix":\#(quoted(shortName))}]}}"#
    case 8:
        return #"{"source":[\#(source)],"$or":[{"detail":{"eventName":[\#(quoted(name))]}},{"detail":{"userIdentity":{"type":["Root"]}}}]}"#
    case 9:
        return #"{"detail":{"readOnly":[false],"eventName":[{"anything-but":{"prefix":\#(quoted(shortName))}}],"eventSource":[\#(quoted(eventSource))]}}"#
    case 10:
        return #"{"detail":{"requestParameters":{"maxResults":[{"numeric":[">",\#(random.next() % 100),"<=",1000]}]},"eventSource":[\#(quoted(eventSource))]}}"#
    default:
        return #"{"detail":{"errorCode":[{"exists":false}],"eventName":[\#(quoted(name))],"awsRegion":[{"anything-but":{"suffix":"-1"}}]}}"#
    }
}

@MainActor func makeSet(count: Int) -> CompiledPatternSet {
    var random = SplitMix64(state: 20_261_123)
    let entries = (0..<count).map { index -> (name: String, pattern: EventPattern) in
        let text = makePattern(index, random: &random)
        do {
            return ("rule-\(index)", try EventPattern(json: text))
        } catch {
            fatalError("generated pattern \(index) is invalid: \(error): \(text)")
        }
    }
    return CompiledPatternSet(entries)
}

// MARK: - Measurement

@MainActor func peakMemoryMB() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_maxrss) / 1024
}

@MainActor func cpuSeconds() -> Double {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        + Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
}

/// Runs `body` over all events repeatedly for the measurement time; returns events per second.
@MainActor func measure(_ body: ([UInt8]) -> Int) -> (eventsPerSecond: Double, results: Int) {
    var results = 0
    for event in events { results += body(event) }  // warm-up
    results = 0
    var processed = 0
    let clock = ContinuousClock()
    let start = clock.now
    var elapsed = 0.0
    repeat {
        for event in events { results += body(event) }
        processed += events.count
        let duration = clock.now - start
        elapsed = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    } while elapsed < secondsPerMeasurement
    return (Double(processed) / elapsed, results)
}

let averageSize = Double(totalBytes) / Double(events.count)
print("Vigil pattern benchmark — \(events.count) CloudTrail events in EventBridge envelopes, average \(Int(averageSize)) bytes")
#if DEBUG
let buildKind = "DEBUG — figures are meaningless; use swift run -c release"
#else
let buildKind = "release"
#endif
print("single thread, events in memory, \(secondsPerMeasurement) s per measurement, \(buildKind) build")
print("")

let baseline = measure { event in
    (try? JSONSerialization.jsonObject(with: Data(event))) == nil ? 0 : 1
}
print("baseline  JSONSerialization parse only        \(String(format: "%10.0f", baseline.eventsPerSecond)) events/s  \(String(format: "%7.1f", baseline.eventsPerSecond * averageSize / 1e6)) MB/s")

// jq, one filter equivalent to one rule, over a file of the same events (replicated so that
// process start-up is negligible).
var jqEventsPerSecond: Double?
if FileManager.default.isExecutableFile(atPath: "/usr/bin/jq") {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("vigil-bench-\(getpid()).jsonl")
    var lines = Data()
    let copies = max(1, 40_000_000 / max(totalBytes, 1))
    for _ in 0..<copies { for event in events { lines.append(contentsOf: event); lines.append(0x0A) } }
    try? lines.write(to: file)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/jq")
    process.arguments = ["-c", #"select(.source == "aws.ec2" and .detail.eventName == "RunInstances")"#, file.path]
    process.standardOutput = FileHandle.nullDevice
    let clock = ContinuousClock()
    let start = clock.now
    try? process.run()
    process.waitUntilExit()
    let duration = clock.now - start
    let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    jqEventsPerSecond = Double(copies * events.count) / seconds
    try? FileManager.default.removeItem(at: file)
    print("baseline  jq, one rule's filter (1 process) \(String(format: "%10.0f", jqEventsPerSecond!)) events/s  \(String(format: "%7.1f", jqEventsPerSecond! * averageSize / 1e6)) MB/s")
}
print("")
print("| rules | fields | compile ms | events/s | MB/s | matches/event | × JSONSerialization | × jq | peak MB |")
print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")

for count in ruleCounts {
    let clock = ContinuousClock()
    let compileStart = clock.now
    let set = makeSet(count: count)
    let compileDuration = clock.now - compileStart
    let compileMilliseconds = Double(compileDuration.components.attoseconds) / 1e15 + Double(compileDuration.components.seconds) * 1000
    let matcher = set.makeMatcher()
    let result = measure { event in
        (try? matcher.match(event).count) ?? 0
    }
    let matchesPerEvent = Double(result.results) / (result.eventsPerSecond * secondsPerMeasurement)
    let jqRatio = jqEventsPerSecond.map { String(format: "%.1f", result.eventsPerSecond / $0) } ?? "–"
    print("| \(count) | \(set.fieldCount) | \(String(format: "%.1f", compileMilliseconds)) | \(String(format: "%.0f", result.eventsPerSecond)) | \(String(format: "%.0f", result.eventsPerSecond * averageSize / 1e6)) | \(String(format: "%.3f", matchesPerEvent)) | \(String(format: "%.1f", result.eventsPerSecond / baseline.eventsPerSecond)) | \(jqRatio) | \(String(format: "%.0f", peakMemoryMB())) |")
}
print("")
print("CPU seconds in all: \(String(format: "%.1f", cpuSeconds())); peak resident memory \(String(format: "%.0f", peakMemoryMB())) MB")

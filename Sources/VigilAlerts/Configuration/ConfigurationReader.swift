import Foundation
import VigilAWS
import VigilJSON

/// Walks a configuration document and checks every setting, collecting every problem with its key
/// path instead of stopping at the first, so that one run of `vigil` shows all that is wrong.
struct ConfigurationReader {
    /// What a document that passed every check holds; nil fields were not given.
    struct Read {
        var stateDirectory: String?
        var defaultSinks: [String]?
        var queueCapacity: Int?
        var sinks: [String: SinkDefinition] = [:]
    }

    let file: String
    let baseDirectory: String
    private(set) var problems: [ConfigurationProblem] = []

    init(file: String, baseDirectory: String) {
        self.file = file
        self.baseDirectory = baseDirectory
    }

    static let topLevelKeys = ["state", "defaultSinks", "queueCapacity", "sinks"]
    static let fileKeys = ["type", "path", "rotateBytes", "keep"]
    static let webhookKeys = ["type", "url", "secretEnv", "timeout", "maxRetryAttempts", "maxEventAge",
                              "firstRetryDelay", "maxRetryDelay", "concurrency", "headers"]
    static let awsKeys = ["type", "target", "endpointUrl", "timeout", "maxRetryAttempts", "maxEventAge",
                          "firstRetryDelay", "maxRetryDelay", "concurrency"]
    /// The most alerts a sink's queue may be told to hold (each is a few kilobytes in memory).
    static let maximumQueueCapacity = 1_000_000
    /// Rotation below this would make a file per handful of alerts, surely a unit mistake.
    static let minimumRotateBytes = 1_024
    static let maximumKeep = 1_000

    /// The settings of `json`, or nil with `problems` saying why not.
    mutating func read(_ json: [UInt8]) -> Read? {
        // VigilJSON's validator first: Foundation's decoder only says the data is not JSON,
        // while this one says what is wrong and where.
        do {
            try JSONValidator.validate(json)
        } catch {
            report("", "The file is not valid JSON: \(error.message) at \(Self.lineAndColumn(of: error.offset, in: json)).")
            return nil
        }
        // Foundation keeps one of two members of the same name without a word; a setting given
        // twice is a mistake to point out, like an unknown key.
        json.withUnsafeBytes { reportDuplicateKeys(in: $0, at: "") }
        let document: ConfigurationValue
        do {
            document = try JSONDecoder().decode(ConfigurationValue.self, from: Data(json))
        } catch {
            report("", "The file cannot be read as JSON: \(error).")
            return nil
        }
        guard let top = object(document, at: "", keys: Self.topLevelKeys, what: "the configuration") else { return nil }
        var result = Read()
        if let value = top["state"], let path = nonEmptyString(value, at: "state") {
            result.stateDirectory = VigilConfiguration.relative(path, to: baseDirectory)
        }
        if let value = top["queueCapacity"] {
            result.queueCapacity = integer(value, at: "queueCapacity", in: 1...Self.maximumQueueCapacity)
        }
        if let value = top["sinks"], let sinks = object(value, at: "sinks", keys: nil, what: "sinks") {
            for (name, definition) in sinks.sorted(by: { $0.key < $1.key }) {
                let path = Self.path("sinks", name)
                guard checkName(name, at: path) else { continue }
                if let sink = sink(definition, at: path) { result.sinks[name] = sink }
            }
        }
        if let value = top["defaultSinks"] {
            var defined = Set<String>()
            if case .object(let sinks) = top["sinks"] { defined = Set(sinks.keys) }
            result.defaultSinks = defaultSinks(value, defined: defined)
        }
        return problems.isEmpty ? result : nil
    }

    // MARK: Sinks

    private mutating func sink(_ value: ConfigurationValue, at path: String) -> SinkDefinition? {
        guard case .object(let members) = value else {
            report(path, "A sink must be an object such as {\"type\": \"stdout\"}, not \(value.kind).")
            return nil
        }
        guard let typeValue = members["type"] else {
            report(path, "A sink needs a \"type\": stdout, file, webhook or aws.")
            return nil
        }
        guard let type = string(typeValue, at: Self.path(path, "type")) else { return nil }
        switch type {
        case "stdout":
            guard object(value, at: path, keys: ["type"], what: "a stdout sink") != nil else { return nil }
            return .standardOutput
        case "file":
            return fileSink(value, at: path).map(SinkDefinition.file)
        case "webhook":
            return webhookSink(value, at: path).map(SinkDefinition.webhook)
        case "aws":
            return awsSink(value, at: path).map(SinkDefinition.aws)
        default:
            report(Self.path(path, "type"), "Unknown sink type \(JSONText.quoted(type)); use stdout, file, webhook or aws.")
            return nil
        }
    }

    private mutating func fileSink(_ value: ConfigurationValue, at path: String) -> FileSinkSettings? {
        guard let members = object(value, at: path, keys: Self.fileKeys, what: "a file sink") else { return nil }
        let before = problems.count
        var filePath: String?
        if let value = members["path"] {
            filePath = nonEmptyString(value, at: Self.path(path, "path"))
        } else {
            report(path, "A file sink needs a \"path\".")
        }
        let rotateBytes = members["rotateBytes"].flatMap {
            integer($0, at: Self.path(path, "rotateBytes"), in: Self.minimumRotateBytes...(1 << 53))
        }
        var keep = FileSinkSettings.defaultKeep
        if let value = members["keep"] {
            keep = integer(value, at: Self.path(path, "keep"), in: 1...Self.maximumKeep) ?? keep
            if members["rotateBytes"] == nil {
                report(Self.path(path, "keep"), "keep counts rotated files, so it needs rotateBytes too.")
            }
        }
        guard problems.count == before, let filePath else { return nil }
        return FileSinkSettings(path: VigilConfiguration.relative(filePath, to: baseDirectory),
                                rotateBytes: rotateBytes, keep: keep)
    }

    /// Checks each setting on its own (through `WebhookConfiguration`, so that there is one
    /// definition of what is valid), then the settings together.
    private mutating func webhookSink(_ value: ConfigurationValue, at path: String) -> WebhookSinkSettings? {
        guard let members = object(value, at: path, keys: Self.webhookKeys, what: "a webhook sink") else { return nil }
        let before = problems.count
        // Settings other than the one checked take this harmless URL.
        let probeURL = "http://127.0.0.1/"
        var url: String?
        if let value = members["url"] {
            url = string(value, at: Self.path(path, "url"))
            if let text = url {
                url = check(Self.path(path, "url")) { () throws(WebhookConfigurationError) in
                    _ = try WebhookConfiguration(url: text)
                } ? text : nil
            }
        } else {
            report(path, "A webhook sink needs a \"url\".")
        }
        let secretVariable = members["secretEnv"].flatMap { environmentVariable($0, at: Self.path(path, "secretEnv")) }
        let timeout = members["timeout"].flatMap { duration($0, at: Self.path(path, "timeout")) }
        let maximumEventAge = members["maxEventAge"].flatMap { duration($0, at: Self.path(path, "maxEventAge")) }
        let firstRetryDelay = members["firstRetryDelay"].flatMap { duration($0, at: Self.path(path, "firstRetryDelay")) }
        let maximumRetryDelay = members["maxRetryDelay"].flatMap { duration($0, at: Self.path(path, "maxRetryDelay")) }
        if firstRetryDelay != nil || maximumRetryDelay != nil {
            // The two delays depend on each other; one given alone is checked against the other's
            // default (1 s for the first retry, 60 s at most).
            let key = maximumRetryDelay != nil ? "maxRetryDelay" : "firstRetryDelay"
            _ = check(Self.path(path, key)) { () throws(WebhookConfigurationError) in
                _ = try WebhookConfiguration(url: probeURL, firstRetryDelay: firstRetryDelay ?? 1,
                                             maximumRetryDelay: maximumRetryDelay ?? 60)
            }
        }
        var retryAttempts: Int?
        if let value = members["maxRetryAttempts"], let number = integer(value, at: Self.path(path, "maxRetryAttempts")) {
            if check(Self.path(path, "maxRetryAttempts"), { () throws(WebhookConfigurationError) in
                _ = try WebhookConfiguration(url: probeURL, maximumRetryAttempts: number)
            }) { retryAttempts = number }
        }
        var concurrency: Int?
        if let value = members["concurrency"], let number = integer(value, at: Self.path(path, "concurrency")) {
            if check(Self.path(path, "concurrency"), { () throws(WebhookConfigurationError) in
                _ = try WebhookConfiguration(url: probeURL, concurrency: number)
            }) { concurrency = number }
        }
        var headers: [String: String] = [:]
        var headerVariables: [String: String] = [:]
        if let value = members["headers"], let entries = object(value, at: Self.path(path, "headers"), keys: nil, what: "headers") {
            for (name, value) in entries.sorted(by: { $0.key < $1.key }) {
                let headerPath = Self.path(Self.path(path, "headers"), name)
                switch value {
                case .string(let text):
                    if check(headerPath, { () throws(WebhookConfigurationError) in
                        _ = try WebhookConfiguration(url: probeURL, headers: [name: text])
                    }) { headers[name] = text }
                case .object:
                    guard let reference = object(value, at: headerPath, keys: ["env"], what: "a header from the environment") else {
                        continue
                    }
                    guard let variableValue = reference["env"] else {
                        report(headerPath, "A header from the environment is {\"env\": \"VARIABLE\"}.")
                        continue
                    }
                    guard let variable = environmentVariable(variableValue, at: Self.path(headerPath, "env")) else { continue }
                    if check(headerPath, { () throws(WebhookConfigurationError) in
                        _ = try WebhookConfiguration(url: probeURL, headers: [name: "checked"])
                    }) { headerVariables[name] = variable }
                default:
                    report(headerPath, "A header value must be a string, or {\"env\": \"VARIABLE\"} for a secret, not \(value.kind).")
                }
            }
        }
        guard problems.count == before, let url else { return nil }
        // Each setting passed on its own, and the two that depend on each other together; should
        // the whole still be refused, the sentence names the settings.
        var configuration: WebhookConfiguration?
        _ = check(path) { () throws(WebhookConfigurationError) in
            configuration = try WebhookConfiguration(
                url: url, secretEnvironmentVariable: secretVariable, timeout: timeout ?? 5,
                maximumRetryAttempts: retryAttempts ?? 185, maximumEventAge: maximumEventAge ?? 24 * 60 * 60,
                firstRetryDelay: firstRetryDelay ?? 1, maximumRetryDelay: maximumRetryDelay ?? 60,
                concurrency: concurrency ?? 4, headers: headers)
        }
        return configuration.map { WebhookSinkSettings(configuration: $0, headerVariables: headerVariables) }
    }

    /// An AWS sink: `target` is its specification (`sns:TOPIC_ARN`, …), with a webhook's
    /// delivery settings and `endpointUrl`, where requests go instead of AWS.
    private mutating func awsSink(_ value: ConfigurationValue, at path: String) -> AWSSinkSettings? {
        guard let members = object(value, at: path, keys: Self.awsKeys, what: "an AWS sink") else { return nil }
        let before = problems.count
        var target: String?
        if let value = members["target"] {
            target = string(value, at: Self.path(path, "target"))
        } else {
            report(path, "An AWS sink needs a \"target\": \(AWSSinkKinds.syntaxList).")
        }
        var endpoint: AWSEndpoint?
        if let value = members["endpointUrl"], let text = string(value, at: Self.path(path, "endpointUrl")) {
            endpoint = AWSEndpoint(url: text)
            if endpoint == nil { report(Self.path(path, "endpointUrl"), "endpointUrl must be an http or https URL without a path.") }
        }
        let defaults = RetryPolicy()
        let timeout = members["timeout"].flatMap { duration($0, at: Self.path(path, "timeout")) } ?? 10
        let maximumEventAge = members["maxEventAge"].flatMap { duration($0, at: Self.path(path, "maxEventAge")) } ?? defaults.maximumEventAge
        let firstRetryDelay = members["firstRetryDelay"].flatMap { duration($0, at: Self.path(path, "firstRetryDelay")) } ?? defaults.firstRetryDelay
        let maximumRetryDelay = members["maxRetryDelay"].flatMap { duration($0, at: Self.path(path, "maxRetryDelay")) } ?? defaults.maximumRetryDelay
        if maximumRetryDelay < firstRetryDelay {
            report(Self.path(path, "maxRetryDelay"), "The maximum retry delay must be at least the first retry delay.")
        }
        let retryAttempts = members["maxRetryAttempts"].flatMap { integer($0, at: Self.path(path, "maxRetryAttempts"), in: 0...10_000) }
            ?? defaults.maximumRetryAttempts
        let concurrency = members["concurrency"].flatMap { integer($0, at: Self.path(path, "concurrency"), in: 1...64) } ?? 4
        guard problems.count == before, let target else { return nil }
        do {
            return try AWSSinkSettings(specification: target,
                                       retryPolicy: RetryPolicy(maximumRetryAttempts: retryAttempts, maximumEventAge: maximumEventAge,
                                                                firstRetryDelay: firstRetryDelay, maximumRetryDelay: maximumRetryDelay),
                                       timeout: timeout, concurrency: concurrency, endpoint: endpoint)
        } catch {
            report(Self.path(path, "target"), error.message)
            return nil
        }
    }

    private mutating func defaultSinks(_ value: ConfigurationValue, defined: Set<String>) -> [String]? {
        guard case .array(let elements) = value else {
            report("defaultSinks", "defaultSinks must be an array of sink names, not \(value.kind).")
            return nil
        }
        guard !elements.isEmpty else {
            report("defaultSinks", "defaultSinks must name at least one sink; leave it out for stdout.")
            return nil
        }
        var names: [String] = []
        for (index, element) in elements.enumerated() {
            let path = "defaultSinks[\(index)]"
            guard let name = string(element, at: path) else { continue }
            names.append(name)
            if defined.contains(name) { continue }
            if SinkDefinition.looksLikeSpecification(name) {
                do {
                    _ = try SinkDefinition(specification: name)
                } catch {
                    report(path, error.reason)
                }
            } else {
                report(path, "\(name) is not a sink defined under sinks, nor \(SinkDefinition.specificationSyntaxes).")
            }
        }
        return names
    }

    // MARK: Values

    /// The members of an object whose keys must all be in `keys` (any keys when nil).
    private mutating func object(_ value: ConfigurationValue, at path: String, keys: [String]?,
                                 what: String) -> [String: ConfigurationValue]? {
        guard case .object(let members) = value else {
            report(path, "\(what.prefix(1).uppercased() + what.dropFirst()) must be a JSON object, not \(value.kind).")
            return nil
        }
        if let keys {
            for key in members.keys.sorted() where !keys.contains(key) {
                report(Self.path(path, key), Self.unknownKeyReason(key, known: keys, in: what))
            }
        }
        return members
    }

    private static func unknownKeyReason(_ key: String, known: [String], in what: String) -> String {
        let lowered = key.lowercased()
        if lowered.contains("secret") || lowered.contains("token") || lowered.contains("password") {
            return "Unknown key. Secrets are never read from the configuration file: put the secret in an "
                + "environment variable and name the variable in secretEnv (or a header's {\"env\": …})."
        }
        return "Unknown key; the keys of \(what) are \(known.joined(separator: ", "))."
    }

    private mutating func string(_ value: ConfigurationValue, at path: String) -> String? {
        guard case .string(let text) = value else {
            report(path, "Must be a string, not \(value.kind).")
            return nil
        }
        return text
    }

    private mutating func nonEmptyString(_ value: ConfigurationValue, at path: String) -> String? {
        guard let text = string(value, at: path) else { return nil }
        guard !text.isEmpty else {
            report(path, "Must not be empty.")
            return nil
        }
        return text
    }

    private mutating func integer(_ value: ConfigurationValue, at path: String,
                                  in range: ClosedRange<Int> = Int.min...Int.max) -> Int? {
        guard case .number(let number) = value, number == number.rounded(), abs(number) < 9.0e15 else {
            report(path, "Must be a whole number, not \(value.kind == "a number" ? "a fraction" : value.kind).")
            return nil
        }
        guard range.contains(Int(number)) else {
            report(path, range.upperBound >= 1 << 53
                ? "Must be at least \(range.lowerBound), not \(Int(number))."
                : "Must be between \(range.lowerBound) and \(range.upperBound), not \(Int(number)).")
            return nil
        }
        return Int(number)
    }

    /// A positive duration: a string such as "5s" or "300ms", or a number of seconds.
    private mutating func duration(_ value: ConfigurationValue, at path: String) -> Double? {
        let seconds: Double?
        switch value {
        case .number(let number): seconds = number.isFinite ? number : nil
        case .string(let text): seconds = DurationText.seconds(text)
        default:
            report(path, "Must be a duration such as \"5s\", \"300ms\", \"1m\" or \"24h\", or a number of seconds, not \(value.kind).")
            return nil
        }
        guard let seconds else {
            report(path, "Not a duration: use a number with a unit, such as \"5s\", \"300ms\", \"1m\", \"24h\" or \"1h30m\".")
            return nil
        }
        guard seconds > 0 else {
            report(path, "Must be longer than zero.")
            return nil
        }
        return seconds
    }

    /// The name of an environment variable; never echoes the value, which may be a secret put
    /// here by mistake.
    private mutating func environmentVariable(_ value: ConfigurationValue, at path: String) -> String? {
        guard let name = string(value, at: path) else { return nil }
        let valid = !name.isEmpty && name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "_") || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        } && !(0x30...0x39).contains(name.utf8.first!)
        guard valid, !name.hasPrefix("whsec_") else {
            report(path, "Must be the name of an environment variable (letters, digits and _), which holds the secret; "
                + "the secret itself never goes in the configuration file.")
            return nil
        }
        return name
    }

    /// Sink names follow rule names (EventBridge's target ids): they appear in spool rows and
    /// dead letters, and must not be mistaken for a specification such as `file:PATH`.
    private mutating func checkName(_ name: String, at path: String) -> Bool {
        let valid = (1...64).contains(name.utf8.count) && name.utf8.allSatisfy { byte in
            byte == UInt8(ascii: ".") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        guard valid else {
            report(path, "A sink name is 1 to 64 letters, digits, '.', '-' or '_'.")
            return false
        }
        guard name != "stdout" else {
            report(path, "stdout already names standard output; give this sink another name.")
            return false
        }
        return true
    }

    /// Runs a check of `WebhookConfiguration`; reports its sentence at `path` when it fails.
    private mutating func check(_ path: String, _ body: () throws(WebhookConfigurationError) -> Void) -> Bool {
        do {
            try body()
            return true
        } catch {
            report(path, error.description)
            return false
        }
    }

    private mutating func report(_ path: String, _ reason: String) {
        problems.append(ConfigurationProblem(file: file, keyPath: path, reason: reason))
    }

    /// `parent.key`, or `parent["odd key"]` for keys that would read ambiguously after a dot.
    static func path(_ parent: String, _ key: String) -> String {
        let plain = !key.isEmpty && key.utf8.allSatisfy { byte in
            byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_")
                || (0x30...0x39).contains(byte) || (0x41...0x5A).contains(byte) || (0x61...0x7A).contains(byte)
        }
        if !plain { return parent + "[" + JSONText.quoted(key) + "]" }
        return parent.isEmpty ? key : parent + "." + key
    }

    /// Reports every key that appears twice in the object `bytes` holds, and in the objects
    /// nested in it. `bytes` is valid JSON; anything but an object is left alone.
    private mutating func reportDuplicateKeys(in bytes: UnsafeRawBufferPointer, at path: String) {
        let start = JSONBytes.skipWhitespace(bytes, from: 0)
        guard start < bytes.count, bytes[start] == UInt8(ascii: "{"),
              let members = try? JSONMembers.read(bytes) else { return }
        var seen = Set<String>()
        for member in members {
            let memberPath = Self.path(path, member.key)
            if !seen.insert(member.key).inserted { report(memberPath, "The key appears twice; give each setting once.") }
            reportDuplicateKeys(in: UnsafeRawBufferPointer(rebasing: bytes[member.value]), at: memberPath)
        }
    }

    /// `line 3, column 7` of a byte offset, as editors count (from 1, columns in bytes).
    static func lineAndColumn(of offset: Int, in bytes: [UInt8]) -> String {
        let before = bytes.prefix(offset)
        let line = before.count(where: { $0 == 0x0A }) + 1
        let column = offset - (before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        return "line \(line), column \(column)"
    }
}

import VigilJSON

/// What normalizing a Config item learns about it, as unescaped UTF-8; reused item after item.
struct ConfigItemFacts {
    var captureTime: [UInt8] = []
    var account: [UInt8] = []
    var region: [UInt8] = []
    var arn: [UInt8] = []
    var resourceType: [UInt8] = []
    var resourceID: [UInt8] = []
    var version: [UInt8] = []
    var status: [UInt8] = []

    mutating func reset() {
        status.removeAll(keepingCapacity: true)
        captureTime.removeAll(keepingCapacity: true)
        account.removeAll(keepingCapacity: true)
        region.removeAll(keepingCapacity: true)
        arn.removeAll(keepingCapacity: true)
        resourceType.removeAll(keepingCapacity: true)
        resourceID.removeAll(keepingCapacity: true)
        version.removeAll(keepingCapacity: true)
    }
}

/// Writes a configuration item as Config's files and notifications spell it, whatever form it came
/// in, and notes its facts (capture time, account, region, ARN, type, id).
///
/// - Files and notifications: members copied as they are (compacted).
/// - `get-resource-config-history` and `batch-get-resource-config` output (the API's
///   `ConfigurationItem`): `configuration`, and each value of `supplementaryConfiguration`, are JSON
///   text and are written as the JSON they hold; `accountId`, `arn`, `version` and
///   `configurationItemMD5Hash` become `awsAccountId`, `ARN`, `configurationItemVersion` and
///   `configurationStateMd5Hash`, and a relationship's `relationshipName` becomes `name`, so that
///   one rule reads every form. (Config's oldest documented files spell `arn`, `accountId` and
///   `configurationStateID` too; they are renamed alike.)
///
/// JSON text that is not JSON is a malformed record: the item is reported and skipped.
struct ConfigItemWriter {
    /// Unescaped JSON text, reused.
    private var text: [UInt8] = []

    /// Appends the item `item` (a validated object) to `output`, filling `facts`. `members`: where
    /// the item's members lie, when the reader noted it (an item of a file): going from member to
    /// member spares walking every value again to find the next key.
    mutating func append(_ item: UnsafeRawBufferPointer, members: ObjectMemberIndex? = nil, to output: inout [UInt8],
                         facts: inout ConfigItemFacts, maximumDepth: Int) throws(InputProblem) {
        facts.reset()
        var problem: InputProblem?
        output.append(UInt8(ascii: "{"))
        var first = true
        do {
            try Self.forEachMember(of: item, members: members) { key, keyIsEscaped, value throws(EventError) in
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                let name = keyIsEscaped ? nil : Self.Member(key)
                output.append(UInt8(ascii: "\""))
                if let renamed = name?.renamed {
                    output.append(contentsOf: renamed.utf8)
                } else {
                    output.append(contentsOf: key)
                }
                output.append(utf8: #"":"#)
                let valueBytes = UnsafeRawBufferPointer(rebasing: item[value])
                switch name {
                case .captureTime: EventNormalizer.appendString(item, value, to: &facts.captureTime)
                case .account, .accountID: EventNormalizer.appendString(item, value, to: &facts.account)
                case .region: EventNormalizer.appendString(item, value, to: &facts.region)
                case .arn, .lowercaseARN: EventNormalizer.appendString(item, value, to: &facts.arn)
                case .resourceType: EventNormalizer.appendString(item, value, to: &facts.resourceType)
                case .resourceID: EventNormalizer.appendString(item, value, to: &facts.resourceID)
                case .version, .apiVersion: EventNormalizer.appendString(item, value, to: &facts.version)
                case .status: EventNormalizer.appendString(item, value, to: &facts.status)
                default: break
                }
                switch name {
                case .configuration where valueBytes.first == UInt8(ascii: "\""):
                    guard appendJSONText(valueBytes, to: &output, maximumDepth: maximumDepth, problem: &problem,
                                         what: "configuration") else { return false }
                case .supplementaryConfiguration where valueBytes.first == UInt8(ascii: "\""):
                    guard appendJSONText(valueBytes, to: &output, maximumDepth: maximumDepth, problem: &problem,
                                         what: "supplementaryConfiguration") else { return false }
                case .supplementaryConfiguration where valueBytes.first == UInt8(ascii: "{"):
                    guard try appendSupplementary(valueBytes, to: &output, maximumDepth: maximumDepth,
                                                  problem: &problem) else { return false }
                case .relationships where valueBytes.first == UInt8(ascii: "["):
                    try Self.appendRelationships(valueBytes, to: &output)
                default:
                    JSONText.appendCompacted(valueBytes, to: &output)
                }
                return true
            }
        } catch {
            throw InputProblem(.malformedRecord, reason: error.message)
        }
        if let problem { throw problem }
        output.append(UInt8(ascii: "}"))
    }

    /// Each member of `object`: from the reader's index when there is one, else by reading it.
    private static func forEachMember(
        of object: UnsafeRawBufferPointer, members: ObjectMemberIndex?,
        _ body: (UnsafeRawBufferPointer, Bool, Range<Int>) throws(EventError) -> Bool
    ) throws(EventError) {
        guard let members else {
            try JSONMembers.forEach(in: object, body)
            return
        }
        for index in 0..<members.count {
            let (key, isEscaped) = members.key(index)
            guard try body(UnsafeRawBufferPointer(rebasing: object[key]), isEscaped, members.value(index)) else { return }
        }
    }

    /// Appends the JSON that the string value `string` holds as text; false (with `problem`) when it holds none.
    private mutating func appendJSONText(_ string: UnsafeRawBufferPointer, to output: inout [UInt8], maximumDepth: Int,
                                         problem: inout InputProblem?, what: String) -> Bool {
        text.removeAll(keepingCapacity: true)
        JSONString.unescape(UnsafeRawBufferPointer(rebasing: string[1..<(string.count - 1)]), into: &text)
        let failure: EventError? = text.withUnsafeBytes { bytes in
            do throws(EventError) {
                try JSONValidator.validate(bytes, maximumDepth: maximumDepth)
                JSONText.appendCompacted(bytes, to: &output)
                return nil
            } catch {
                return error
            }
        }
        guard let failure else { return true }
        problem = InputProblem(.malformedRecord, reason: "The configuration item's \(what) is JSON text that is not JSON: \(failure.message)")
        return false
    }

    /// `supplementaryConfiguration` as an object: a value that is a string is JSON text (the API's
    /// form) when it parses as JSON, and is written as that JSON; other strings stay strings.
    private mutating func appendSupplementary(_ object: UnsafeRawBufferPointer, to output: inout [UInt8], maximumDepth: Int,
                                              problem: inout InputProblem?) throws(EventError) -> Bool {
        output.append(UInt8(ascii: "{"))
        var first = true
        try JSONMembers.forEach(in: object) { key, _, value in
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            output.append(UInt8(ascii: "\""))
            output.append(contentsOf: key)
            output.append(utf8: #"":"#)
            let valueBytes = UnsafeRawBufferPointer(rebasing: object[value])
            if valueBytes.first == UInt8(ascii: "\"") {
                let mark = output.count
                var ignored: InputProblem?
                if !appendJSONText(valueBytes, to: &output, maximumDepth: maximumDepth, problem: &ignored) {
                    output.removeSubrange(mark...)
                    output.append(contentsOf: valueBytes)
                }
            } else {
                JSONText.appendCompacted(valueBytes, to: &output)
            }
            return true
        }
        output.append(UInt8(ascii: "}"))
        return problem == nil
    }

    private mutating func appendJSONText(_ string: UnsafeRawBufferPointer, to output: inout [UInt8], maximumDepth: Int,
                                         problem: inout InputProblem?) -> Bool {
        appendJSONText(string, to: &output, maximumDepth: maximumDepth, problem: &problem, what: "supplementaryConfiguration")
    }

    /// The relationships array, with the API's `relationshipName` written as the files' `name`.
    private static func appendRelationships(_ array: UnsafeRawBufferPointer, to output: inout [UInt8]) throws(EventError) {
        output.append(UInt8(ascii: "["))
        var first = true
        var failure: EventError?
        JSONBytes.forEachElement(in: array, arrayAt: 0) { element in
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            let elementBytes = UnsafeRawBufferPointer(rebasing: array[element])
            guard elementBytes.first == UInt8(ascii: "{") else {
                JSONText.appendCompacted(elementBytes, to: &output)
                return
            }
            output.append(UInt8(ascii: "{"))
            var firstMember = true
            do throws(EventError) {
                try JSONMembers.forEach(in: elementBytes) { key, _, value in
                    if !firstMember { output.append(UInt8(ascii: ",")) }
                    firstMember = false
                    output.append(UInt8(ascii: "\""))
                    if JSONBytes.equals(key, "relationshipName") {
                        output.append(utf8: "name")
                    } else {
                        output.append(contentsOf: key)
                    }
                    output.append(utf8: #"":"#)
                    JSONText.appendCompacted(UnsafeRawBufferPointer(rebasing: elementBytes[value]), to: &output)
                    return true
                }
            } catch {
                failure = error
            }
            output.append(UInt8(ascii: "}"))
        }
        if let failure { throw failure }
        output.append(UInt8(ascii: "]"))
    }

    /// The item members the writer looks at.
    enum Member: Equatable {
        case captureTime, account, accountID, region, arn, lowercaseARN, resourceType, resourceID, version, apiVersion
        case configuration, supplementaryConfiguration, relationships, md5Hash, stateID, status

        init?(_ key: UnsafeRawBufferPointer) {
            switch key.count {
            case 3 where JSONBytes.equals(key, "ARN"): self = .arn
            case 3 where JSONBytes.equals(key, "arn"): self = .lowercaseARN
            case 7 where JSONBytes.equals(key, "version"): self = .apiVersion
            case 9 where JSONBytes.equals(key, "accountId"): self = .accountID
            case 9 where JSONBytes.equals(key, "awsRegion"): self = .region
            case 10 where JSONBytes.equals(key, "resourceId"): self = .resourceID
            case 12 where JSONBytes.equals(key, "awsAccountId"): self = .account
            case 12 where JSONBytes.equals(key, "resourceType"): self = .resourceType
            case 13 where JSONBytes.equals(key, "configuration"): self = .configuration
            case 13 where JSONBytes.equals(key, "relationships"): self = .relationships
            case 20 where JSONBytes.equals(key, "configurationStateID"): self = .stateID
            case 23 where JSONBytes.equals(key, "configurationItemStatus"): self = .status
            case 24 where JSONBytes.equals(key, "configurationItemVersion"): self = .version
            case 24 where JSONBytes.equals(key, "configurationItemMD5Hash"): self = .md5Hash
            case 26 where JSONBytes.equals(key, "supplementaryConfiguration"): self = .supplementaryConfiguration
            case 28 where JSONBytes.equals(key, "configurationItemCaptureTime"): self = .captureTime
            default: return nil
            }
        }

        /// The files' spelling of a member the API (or an old file) spells otherwise.
        var renamed: String? {
            switch self {
            case .accountID: "awsAccountId"
            case .lowercaseARN: "ARN"
            case .apiVersion: "configurationItemVersion"
            case .md5Hash: "configurationStateMd5Hash"
            case .stateID: "configurationStateId"
            default: nil
            }
        }
    }
}

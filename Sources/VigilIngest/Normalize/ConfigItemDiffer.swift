import VigilJSON

/// Gives a configuration item the `configurationItemDiff` AWS sends with it in notifications and
/// EventBridge events, computed from the previous item of the same resource that Vigil has seen
/// (`ConfigItemMemory`): AWS's shape, `{"changedProperties":{"Configuration.PubliclyAccessible":
/// {"previousValue":false,"updatedValue":true,"changeType":"UPDATE"},…},"changeType":"UPDATE"}`.
///
/// Properties are named as AWS names them: `Configuration.`, `SupplementaryConfiguration.`,
/// `Relationships.` and `Tags.` followed by the path of each value, every name capitalized, an
/// array element by its index with its whole value (`Configuration.VpcSecurityGroups.0`,
/// `Relationships.0`). A property only in the new item is a `CREATE` (`previousValue` null), only in
/// the old a `DELETE` (`updatedValue` null), in both with another value an `UPDATE`. The diff's own
/// `changeType` is `DELETE` for a deleted resource, else `UPDATE`; a `ResourceDiscovered` item
/// seen first gets `{"changedProperties":{},"changeType":"CREATE"}`, as AWS sends.
///
/// An item with no previous item remembered, or captured no later than the one remembered (files
/// read out of order, the same item again in a snapshot), gets no diff; a later item replaces the
/// remembered one. A notification's own diff is kept as it came, and its item remembered.
public struct ConfigItemDiffer {
    private var pathStack: [UInt8] = []
    private var paths: [UInt8] = []
    private var values: [UInt8] = []
    private var leaves: [(path: Range<Int>, value: Range<Int>)] = []
    private var previous: [(path: Range<Int>, value: Range<Int>)] = []
    private var encoded: [UInt8] = []
    private var diff: [UInt8] = []
    private var key: [UInt8] = []
    private var status: [UInt8] = []
    private var captureTime: Int64?

    public init() {}

    /// Remembers the Config item `envelope` carries (if any) in `memory` and, unless it has a diff
    /// already, adds the one computed from the item remembered before it.
    public mutating func apply(to envelope: EventEnvelope, memory: ConfigItemMemory) {
        guard let location = envelope.configItem else { return }
        read(envelope, item: location.item)
        guard let captureTime else { return }
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: envelope.account)
        key.append(0)
        key.append(contentsOf: envelope.region)
        key.append(0)
        let resource = envelope.identity.lastIndex(of: UInt8(ascii: "@")) ?? envelope.identity.endIndex
        key.append(contentsOf: envelope.identity[..<resource])
        let before = memory.item(of: key)
        if let before, before.captureTime >= captureTime { return }
        encode()
        memory.remember(ConfigItemMemory.Remembered(captureTime: captureTime, properties: encoded), of: key)
        guard !location.hasDiff else { return }
        let isDeleted = status.starts(with: "ResourceDeleted".utf8)
        if let before {
            writeDiff(from: before.properties, changeType: isDeleted ? "DELETE" : "UPDATE")
        } else if status.elementsEqual("ResourceDiscovered".utf8) {
            diff.removeAll(keepingCapacity: true)
            diff.append(contentsOf: #"{"changedProperties":{},"changeType":"CREATE"}"#.utf8)
        } else {
            return
        }
        insertDiff(into: envelope)
    }

    // MARK: - The item's properties

    /// Notes the item's status, capture time and properties (sorted by name).
    private mutating func read(_ envelope: EventEnvelope, item: Range<Int>) {
        paths.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        leaves.removeAll(keepingCapacity: true)
        status.removeAll(keepingCapacity: true)
        captureTime = nil
        envelope.writtenDetail.withUnsafeBytes { detail in
            let object = UnsafeRawBufferPointer(rebasing: detail[item])
            try? JSONMembers.forEach(in: object) { key, _, value in
                let prefix: StaticString
                switch key.count {
                case 4 where JSONBytes.equals(key, "tags"): prefix = "Tags"
                case 13 where JSONBytes.equals(key, "configuration"): prefix = "Configuration"
                case 13 where JSONBytes.equals(key, "relationships"): prefix = "Relationships"
                case 26 where JSONBytes.equals(key, "supplementaryConfiguration"): prefix = "SupplementaryConfiguration"
                case 23 where JSONBytes.equals(key, "configurationItemStatus"):
                    EventNormalizer.appendString(object, value, to: &status)
                    return true
                case 28 where JSONBytes.equals(key, "configurationItemCaptureTime"):
                    captureTime = Self.milliseconds(object, value)
                    return true
                default: return true
                }
                pathStack.removeAll(keepingCapacity: true)
                pathStack.append(contentsOf: UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
                flatten(object, value)
                return true
            }
        }
        let names = paths
        leaves.sort { names[$0.path].lexicographicallyPrecedes(names[$1.path]) }
    }

    /// Notes the leaves of the value at `range`: an object's members by name, an array's elements
    /// by index (each whole), anything else (an empty object too) as it is.
    private mutating func flatten(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) {
        let first = bytes[range.lowerBound]
        let depth = pathStack.count
        if first == UInt8(ascii: "{"), range.count > 2 {
            try? JSONMembers.forEach(in: UnsafeRawBufferPointer(rebasing: bytes[range])) { key, _, value in
                pathStack.append(UInt8(ascii: "."))
                let initial = pathStack.count
                pathStack.append(contentsOf: key)
                // AWS capitalizes each name: `publiclyAccessible` is `Configuration.PubliclyAccessible`.
                if initial < pathStack.count, pathStack[initial] >= UInt8(ascii: "a"), pathStack[initial] <= UInt8(ascii: "z") {
                    pathStack[initial] -= 32
                }
                flatten(bytes, (range.lowerBound + value.lowerBound)..<(range.lowerBound + value.upperBound))
                pathStack.removeSubrange(depth...)
                return true
            }
            return
        }
        if first == UInt8(ascii: "[") {
            var index = 0
            JSONBytes.forEachElement(in: bytes, arrayAt: range.lowerBound) { element in
                pathStack.append(UInt8(ascii: "."))
                pathStack.append(contentsOf: String(index).utf8)
                leaf(bytes, element)
                pathStack.removeSubrange(depth...)
                index += 1
            }
            return
        }
        leaf(bytes, range)
    }

    private mutating func leaf(_ bytes: UnsafeRawBufferPointer, _ value: Range<Int>) {
        let pathStart = paths.count
        paths.append(contentsOf: pathStack)
        let valueStart = values.count
        values.append(contentsOf: bytes[value])
        leaves.append((pathStart..<paths.count, valueStart..<values.count))
    }

    /// The leaves in the memory's form: for each, in order, the name's length (4 bytes), the name,
    /// the value's length (4 bytes), the value.
    private mutating func encode() {
        encoded.removeAll(keepingCapacity: true)
        for leaf in leaves {
            Self.appendLength(leaf.path.count, to: &encoded)
            encoded.append(contentsOf: paths[leaf.path])
            Self.appendLength(leaf.value.count, to: &encoded)
            encoded.append(contentsOf: values[leaf.value])
        }
    }

    // MARK: - The diff

    private mutating func writeDiff(from old: [UInt8], changeType: StaticString) {
        previous.removeAll(keepingCapacity: true)
        var offset = 0
        while offset + 4 <= old.count {
            let pathLength = Self.length(old, at: offset)
            let path = (offset + 4)..<(offset + 4 + pathLength)
            let valueLength = Self.length(old, at: path.upperBound)
            let value = (path.upperBound + 4)..<(path.upperBound + 4 + valueLength)
            previous.append((path, value))
            offset = value.upperBound
        }
        diff.removeAll(keepingCapacity: true)
        diff.append(contentsOf: #"{"changedProperties":{"#.utf8)
        var first = true
        var new = 0, old_ = 0
        while new < leaves.count || old_ < previous.count {
            let order: Int
            if new == leaves.count {
                order = 1
            } else if old_ == previous.count {
                order = -1
            } else {
                let a = paths[leaves[new].path], b = old[previous[old_].path]
                order = a.elementsEqual(b) ? 0 : (a.lexicographicallyPrecedes(b) ? -1 : 1)
            }
            if order == 0 {
                let updated = values[leaves[new].value], before = old[previous[old_].value]
                if !updated.elementsEqual(before) {
                    entry(&first, path: paths[leaves[new].path], previous: before, updated: updated, type: "UPDATE")
                }
                new += 1
                old_ += 1
            } else if order < 0 {
                entry(&first, path: paths[leaves[new].path], previous: nil, updated: values[leaves[new].value], type: "CREATE")
                new += 1
            } else {
                entry(&first, path: old[previous[old_].path], previous: old[previous[old_].value], updated: nil, type: "DELETE")
                old_ += 1
            }
        }
        diff.append(contentsOf: #"},"changeType":""#.utf8)
        diff.append(contentsOf: UnsafeRawBufferPointer(start: changeType.utf8Start, count: changeType.utf8CodeUnitCount))
        diff.append(contentsOf: #""}"#.utf8)
    }

    private mutating func entry(_ first: inout Bool, path: ArraySlice<UInt8>, previous: ArraySlice<UInt8>?,
                                updated: ArraySlice<UInt8>?, type: StaticString) {
        if !first { diff.append(UInt8(ascii: ",")) }
        first = false
        diff.append(UInt8(ascii: "\""))
        diff.append(contentsOf: path)
        diff.append(contentsOf: #"":{"previousValue":"#.utf8)
        if let previous { diff.append(contentsOf: previous) } else { diff.append(contentsOf: "null".utf8) }
        diff.append(contentsOf: #","updatedValue":"#.utf8)
        if let updated { diff.append(contentsOf: updated) } else { diff.append(contentsOf: "null".utf8) }
        diff.append(contentsOf: #","changeType":""#.utf8)
        diff.append(contentsOf: UnsafeRawBufferPointer(start: type.utf8Start, count: type.utf8CodeUnitCount))
        diff.append(contentsOf: #""}"#.utf8)
    }

    /// Appends `"configurationItemDiff":…` as the detail's last member, and notes it.
    private func insertDiff(into envelope: EventEnvelope) {
        var notes: [(key: Range<Int>, value: Range<Int>)] = []
        let members = envelope.writtenDetailMembers
        for index in 0..<members.count { notes.append((members.key(index).range, members.value(index))) }
        envelope.writtenDetail.removeLast()
        envelope.writtenDetail.append(contentsOf: #","configurationItemDiff":"#.utf8)
        let valueStart = envelope.writtenDetail.count
        envelope.writtenDetail.append(contentsOf: diff)
        let valueEnd = envelope.writtenDetail.count
        envelope.writtenDetail.append(UInt8(ascii: "}"))
        let keyEnd = valueStart - 2
        notes.append(((keyEnd - 21)..<keyEnd, valueStart..<valueEnd))
        members.withNotes { written in
            for note in notes { written.append(key: note.key, keyIsEscaped: false, value: note.value) }
        }
    }

    // MARK: - Helpers

    private static func appendLength(_ length: Int, to output: inout [UInt8]) {
        let value = UInt32(truncatingIfNeeded: length)
        output.append(UInt8(truncatingIfNeeded: value))
        output.append(UInt8(truncatingIfNeeded: value >> 8))
        output.append(UInt8(truncatingIfNeeded: value >> 16))
        output.append(UInt8(truncatingIfNeeded: value >> 24))
    }

    private static func length(_ bytes: [UInt8], at offset: Int) -> Int {
        guard offset + 4 <= bytes.count else { return 0 }
        return Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
    }

    /// A capture time (`2026-11-20T09:31:02.123Z`) in milliseconds since 1970: two items of one
    /// resource may be captured within the same second.
    static func milliseconds(_ bytes: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int64? {
        guard let (contents, isEscaped) = JSONMembers.stringContents(of: range, in: bytes), !isEscaped else { return nil }
        let text = UnsafeRawBufferPointer(rebasing: bytes[contents])
        guard let seconds = Timestamps.parse(text) else { return nil }
        var fraction: Int64 = 0
        if text.count > 20, text[19] == UInt8(ascii: ".") {
            var digits = 0
            var position = 20
            while position < text.count, digits < 3, text[position] >= 48, text[position] <= 57 {
                fraction = fraction * 10 + Int64(text[position] - 48)
                digits += 1
                position += 1
            }
            while digits < 3 {
                fraction *= 10
                digits += 1
            }
        }
        return seconds * 1000 + fraction
    }
}

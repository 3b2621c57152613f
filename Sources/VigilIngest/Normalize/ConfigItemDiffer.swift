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
    /// The leaves of the item (`current`) and of the one before it (`previous`): names and values
    /// one after another in `paths` and `values`, in the order the items hold them.
    private var paths: [UInt8] = []
    private var values: [UInt8] = []
    private var leaves: [(path: Range<Int>, value: Range<Int>)] = []
    private var previous: [(path: Range<Int>, value: Range<Int>)] = []
    private var matched: [Bool] = []
    private var diff: [UInt8] = []
    private var key: [UInt8] = []

    public init() {}

    /// Remembers the Config item `envelope` carries (if any) in `memory` and, unless it has a diff
    /// already, adds the one computed from the item remembered before it.
    ///
    /// Remembering is a copy of the item as written into the memory's ring; its properties are
    /// read only when the next item of the resource comes. Measured (release, a 300 MB snapshot of
    /// RDS items, one thread): flattening and sorting every item's properties as it came made
    /// Config 4.7 × slower per byte than CloudTrail.
    public mutating func apply(to envelope: EventEnvelope, memory: ConfigItemMemory) {
        guard let location = envelope.configItem, let captureTime = location.captureTime else { return }
        key.removeAll(keepingCapacity: true)
        key.append(contentsOf: envelope.account)
        key.append(0)
        key.append(contentsOf: envelope.region)
        key.append(0)
        let resource = envelope.identity.lastIndex(of: UInt8(ascii: "@")) ?? envelope.identity.endIndex
        key.append(contentsOf: envelope.identity[..<resource])
        let before = memory.captureTime(of: key)
        if let before, before >= captureTime { return }
        paths.removeAll(keepingCapacity: true)
        values.removeAll(keepingCapacity: true)
        leaves.removeAll(keepingCapacity: true)
        if before != nil, !location.hasDiff {
            // The previous item is read before the new one is written over the memory's oldest.
            _ = memory.withItem(of: key) { flatten(item: $0) }
            swap(&leaves, &previous)
            leaves.removeAll(keepingCapacity: true)
        }
        envelope.writtenDetail.withUnsafeBytes { detail in
            memory.remember(UnsafeRawBufferPointer(rebasing: detail[location.item]), captureTime: captureTime, of: key)
        }
        guard !location.hasDiff else { return }
        if before != nil {
            envelope.writtenDetail.withUnsafeBytes { flatten(item: UnsafeRawBufferPointer(rebasing: $0[location.item])) }
            writeDiff(changeType: location.isDeleted ? "DELETE" : "UPDATE")
        } else if location.isDiscovered {
            diff.removeAll(keepingCapacity: true)
            diff.append(utf8: #"{"changedProperties":{},"changeType":"CREATE"}"#)
        } else {
            return
        }
        insertDiff(into: envelope)
    }

    // MARK: - The item's properties

    /// Notes the leaves of the item's `configuration`, `supplementaryConfiguration`,
    /// `relationships` and `tags`, in the order the item holds them.
    private mutating func flatten(item object: UnsafeRawBufferPointer) {
        try? JSONMembers.forEach(in: object) { key, _, value in
            let prefix: StaticString
            switch key.count {
            case 4 where JSONBytes.equals(key, "tags"): prefix = "Tags"
            case 13 where JSONBytes.equals(key, "configuration"): prefix = "Configuration"
            case 13 where JSONBytes.equals(key, "relationships"): prefix = "Relationships"
            case 26 where JSONBytes.equals(key, "supplementaryConfiguration"): prefix = "SupplementaryConfiguration"
            default: return true
            }
            pathStack.removeAll(keepingCapacity: true)
            pathStack.append(contentsOf: UnsafeRawBufferPointer(start: prefix.utf8Start, count: prefix.utf8CodeUnitCount))
            flatten(object, value)
            return true
        }
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

    // MARK: - The diff

    /// Compares `leaves` with `previous`, both in their items' order: a property is looked for
    /// first where the previous item had it (items of a resource keep their members' order),
    /// else among the rest.
    private mutating func writeDiff(changeType: StaticString) {
        matched.removeAll(keepingCapacity: true)
        matched.append(contentsOf: repeatElement(false, count: previous.count))
        diff.removeAll(keepingCapacity: true)
        diff.append(utf8: #"{"changedProperties":{"#)
        var first = true
        var next = 0
        for leaf in leaves {
            let path = paths[leaf.path]
            var found: Int?
            if next < previous.count, !matched[next], paths[previous[next].path].elementsEqual(path) {
                found = next
            } else {
                found = previous.indices.first { !matched[$0] && paths[previous[$0].path].elementsEqual(path) }
            }
            guard let index = found else {
                entry(&first, path: path, previous: nil, updated: values[leaf.value], type: "CREATE")
                continue
            }
            matched[index] = true
            next = index + 1
            let before = values[previous[index].value], updated = values[leaf.value]
            if !before.elementsEqual(updated) {
                entry(&first, path: path, previous: before, updated: updated, type: "UPDATE")
            }
        }
        for (index, leaf) in previous.enumerated() where !matched[index] {
            entry(&first, path: paths[leaf.path], previous: values[leaf.value], updated: nil, type: "DELETE")
        }
        diff.append(utf8: #"},"changeType":""#)
        diff.append(contentsOf: UnsafeRawBufferPointer(start: changeType.utf8Start, count: changeType.utf8CodeUnitCount))
        diff.append(utf8: #""}"#)
    }

    private mutating func entry(_ first: inout Bool, path: ArraySlice<UInt8>, previous: ArraySlice<UInt8>?,
                                updated: ArraySlice<UInt8>?, type: StaticString) {
        if !first { diff.append(UInt8(ascii: ",")) }
        first = false
        diff.append(UInt8(ascii: "\""))
        diff.append(contentsOf: path)
        diff.append(utf8: #"":{"previousValue":"#)
        if let previous { diff.append(contentsOf: previous) } else { diff.append(utf8: "null") }
        diff.append(utf8: #","updatedValue":"#)
        if let updated { diff.append(contentsOf: updated) } else { diff.append(utf8: "null") }
        diff.append(utf8: #","changeType":""#)
        diff.append(contentsOf: UnsafeRawBufferPointer(start: type.utf8Start, count: type.utf8CodeUnitCount))
        diff.append(utf8: #""}"#)
    }

    /// Appends `"configurationItemDiff":…` as the detail's last member, and notes it.
    private func insertDiff(into envelope: EventEnvelope) {
        var notes: [(key: Range<Int>, value: Range<Int>)] = []
        let members = envelope.writtenDetailMembers
        for index in 0..<members.count { notes.append((members.key(index).range, members.value(index))) }
        envelope.writtenDetail.removeLast()
        envelope.writtenDetail.append(utf8: #","configurationItemDiff":"#)
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

    /// A capture time (`2026-11-20T09:31:02.123Z`) in milliseconds since 1970: two items of one
    /// resource may be captured within the same second.
    static func milliseconds(of text: UnsafeRawBufferPointer) -> Int64? {
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

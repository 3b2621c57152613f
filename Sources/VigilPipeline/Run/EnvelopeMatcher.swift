import VigilIngest
import VigilJSON
import VigilPattern

/// Matches normalized events against a pattern set without materializing them: the envelope's
/// values are handed to the matcher one by one and the record is scanned as `detail`.
///
/// Values of top-level keys that no pattern names are never computed (the event `id`, a UUID
/// derived with SHA-1, is the costly one). One per thread, like the `PatternMatcher` it owns.
public final class EnvelopeMatcher {
    public let matcher: PatternMatcher
    private let version: PatternMatcher.TopLevelKey?
    private let id: PatternMatcher.TopLevelKey?
    private let detailType: PatternMatcher.TopLevelKey?
    private let source: PatternMatcher.TopLevelKey?
    private let account: PatternMatcher.TopLevelKey?
    private let time: PatternMatcher.TopLevelKey?
    private let region: PatternMatcher.TopLevelKey?
    private let resources: PatternMatcher.TopLevelKey?
    private let detail: PatternMatcher.TopLevelKey?
    private var idScratch: [UInt8] = []
    /// The fields of the last flow format seen that some pattern names, by position, and their
    /// `detail` keys: a file's records share one format, so they are looked up once per file,
    /// and a record's other fields are never looked at.
    private var flowFormat: FlowLogFormat?
    private var flowNamedPositions: [Int32] = []
    private var flowNamedKeys: [PatternMatcher.TopLevelKey] = []
    private static let versionValue: [UInt8] = [UInt8(ascii: "0")]

    /// Writes every event's `detail` before matching it, as matching did before flow fields were
    /// handed over one by one: the reference the lazy path is tested against.
    let writesDetailFirst: Bool

    /// - Parameter writesDetailFirst: match the written `detail` of every event, never the
    ///   fields of an unwritten one (for tests: the reference the lazy path must equal).
    public init(_ patterns: CompiledPatternSet, writesDetailFirst: Bool = false) {
        self.writesDetailFirst = writesDetailFirst
        matcher = patterns.makeMatcher()
        version = matcher.topLevelKey("version")
        id = matcher.topLevelKey("id")
        detailType = matcher.topLevelKey("detail-type")
        source = matcher.topLevelKey("source")
        account = matcher.topLevelKey("account")
        time = matcher.topLevelKey("time")
        region = matcher.topLevelKey("region")
        resources = matcher.topLevelKey("resources")
        detail = matcher.topLevelKey("detail")
    }

    /// The indices of the patterns `envelope` matches (the matcher's array, overwritten by the
    /// next call).
    public func match(_ envelope: EventEnvelope) throws(EventError) -> [Int32] {
        if envelope.isWholeEvent {
            return try matcher.match(envelope.record, members: envelope.recordMembers)
        }
        if writesDetailFirst { envelope.withDetail { _ in } }
        matcher.beginComposedEvent()
        if let version { add(Self.versionValue, for: version) }
        if let id {
            idScratch.removeAll(keepingCapacity: true)
            envelope.appendID(to: &idScratch)
            add(idScratch, for: id)
        }
        if let detailType { add(envelope.detailType, for: detailType) }
        if let source { add(envelope.source, for: source) }
        if let account { add(envelope.account, for: account) }
        if let time { add(envelope.time, for: time) }
        if let region { add(envelope.region, for: region) }
        // An array of strings matches where any element does: each is one value of the field.
        if let resources { envelope.forEachResource { matcher.addString($0, for: resources) } }
        // The detail is scanned only if some pattern may still match: `source` and `detail-type`
        // rule most records out of a hunt or a rule set of one service.
        guard let detail, writesDetailFirst || matcher.mayMatch(withValuesStillToComeUnder: detail) else {
            return matcher.finishComposedEvent()
        }
        if let format = envelope.flowFormat {
            // A flow record's fields go to the matcher as they are, as the scanner would find them
            // in the `detail` it would otherwise write for every record (EventEnvelope.forEachFlowField).
            if format != flowFormat { noteFlowKeys(of: format, below: detail) }
            flowNamedPositions.withUnsafeBufferPointer { positions in
                flowNamedKeys.withUnsafeBufferPointer { keys in
                    envelope.forEachFlowField(at: positions) { index, isNumeric, value in
                        if isNumeric {
                            matcher.addNumber(value, for: keys[index])
                        } else {
                            matcher.addString(value, for: keys[index])
                        }
                    }
                }
            }
        } else {
            var failure: EventError?
            let members = envelope.detailMembers
            envelope.withDetail { bytes in
                do throws(EventError) { try matcher.addObject(bytes, under: detail, members: members) } catch { failure = error }
            }
            if let failure { throw failure }
        }
        return matcher.finishComposedEvent()
    }

    /// Looks up the `detail` key of each field of `format`, keeping the fields some pattern names.
    private func noteFlowKeys(of format: FlowLogFormat, below detail: PatternMatcher.TopLevelKey) {
        flowFormat = format
        flowNamedPositions.removeAll()
        flowNamedKeys.removeAll()
        for (position, name) in format.fieldNames.enumerated() {
            guard let key = Array(name.utf8).withUnsafeBytes({ matcher.key($0, below: detail) }) else { continue }
            flowNamedPositions.append(Int32(position))
            flowNamedKeys.append(key)
        }
    }

    private func add(_ value: [UInt8], for key: PatternMatcher.TopLevelKey) {
        value.withUnsafeBytes { matcher.addString($0, for: key) }
    }
}

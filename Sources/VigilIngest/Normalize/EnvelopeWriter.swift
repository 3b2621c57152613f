import VigilJSON

/// Writes an envelope as the EventBridge event's JSON, on one line: for `vigil normalize`, and
/// for alerts, the only places where the whole event is materialized.
public enum EnvelopeWriter {
    /// Appends the event: `{"version":"0","id":…,"detail-type":…,"source":…,"account":…,
    /// "time":…,"region":…,"resources":[…],"detail":{…}}`, or an EventBridge event as it came
    /// (compacted). Returns where the `detail` object starts in `output` (an offset into it), or
    /// nil for an EventBridge event, which is written as it came.
    @discardableResult
    public static func append(_ envelope: EventEnvelope, to output: inout [UInt8]) -> Int? {
        if envelope.isWholeEvent {
            if envelope.recordIsKnownCompact {
                output.append(contentsOf: envelope.record)
            } else {
                JSONText.appendCompacted(envelope.record, to: &output)
            }
            return nil
        }
        output.append(utf8: #"{"version":"0","id":""#)
        envelope.appendID(to: &output)
        output.append(utf8: #"","detail-type":"#)
        JSONText.appendQuoted(envelope.detailType, to: &output)
        output.append(utf8: #","source":"#)
        JSONText.appendQuoted(envelope.source, to: &output)
        output.append(utf8: #","account":"#)
        JSONText.appendQuoted(envelope.account, to: &output)
        output.append(utf8: #","time":"#)
        JSONText.appendQuoted(envelope.time, to: &output)
        output.append(utf8: #","region":"#)
        JSONText.appendQuoted(envelope.region, to: &output)
        output.append(utf8: #","resources":["#)
        var first = true
        envelope.forEachResource { resource in
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            JSONText.appendQuoted(resource, to: &output)
        }
        output.append(utf8: #"],"detail":"#)
        let isCompact = envelope.detailIsKnownCompact
        let detailStart = output.count
        envelope.withDetail { detail in
            if isCompact {
                output.append(contentsOf: detail)
            } else {
                JSONText.appendCompacted(detail, to: &output)
            }
        }
        output.append(UInt8(ascii: "}"))
        return detailStart
    }
}

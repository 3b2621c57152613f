import VigilJSON

/// Writes an envelope as the EventBridge event's JSON, on one line: for `vigil normalize`, and
/// for alerts, the only places where the whole event is materialized.
public enum EnvelopeWriter {
    /// Appends the event: `{"version":"0","id":…,"detail-type":…,"source":…,"account":…,
    /// "time":…,"region":…,"resources":[…],"detail":{…}}`, or an EventBridge event as it came
    /// (compacted).
    public static func append(_ envelope: EventEnvelope, to output: inout [UInt8]) {
        if envelope.isWholeEvent {
            if envelope.recordIsKnownCompact {
                output.append(contentsOf: envelope.record)
            } else {
                JSONText.appendCompacted(envelope.record, to: &output)
            }
            return
        }
        output.append(contentsOf: #"{"version":"0","id":""#.utf8)
        envelope.appendID(to: &output)
        output.append(contentsOf: #"","detail-type":"#.utf8)
        JSONText.appendQuoted(envelope.detailType, to: &output)
        output.append(contentsOf: #","source":"#.utf8)
        JSONText.appendQuoted(envelope.source, to: &output)
        output.append(contentsOf: #","account":"#.utf8)
        JSONText.appendQuoted(envelope.account, to: &output)
        output.append(contentsOf: #","time":"#.utf8)
        JSONText.appendQuoted(envelope.time, to: &output)
        output.append(contentsOf: #","region":"#.utf8)
        JSONText.appendQuoted(envelope.region, to: &output)
        output.append(contentsOf: #","resources":["#.utf8)
        var first = true
        envelope.forEachResource { resource in
            if !first { output.append(UInt8(ascii: ",")) }
            first = false
            JSONText.appendQuoted(resource, to: &output)
        }
        output.append(contentsOf: #"],"detail":"#.utf8)
        let isCompact = envelope.detailIsKnownCompact
        envelope.withDetail { detail in
            if isCompact {
                output.append(contentsOf: detail)
            } else {
                JSONText.appendCompacted(detail, to: &output)
            }
        }
        output.append(UInt8(ascii: "}"))
    }
}

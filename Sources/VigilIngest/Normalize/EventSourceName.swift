import VigilJSON

/// The EventBridge `source` of a CloudTrail record: `aws.` + the service prefix of its
/// `eventSource` (`rds.amazonaws.com` → `aws.rds`), as EventBridge names events it receives
/// through CloudTrail.
public enum EventSourceName {
    /// Services whose EventBridge source is not their CloudTrail prefix (ARCHITECTURE.md).
    ///
    /// EventBridge's reference pages name nearly every service `aws.<prefix>`; the exception kept
    /// here is CloudWatch, whose API calls (`monitoring.amazonaws.com`) EventBridge has long
    /// delivered as `aws.cloudwatch`, the source CloudWatch's own guide gives its events.
    static let exceptions: [(service: StaticString, source: StaticString)] = [
        ("monitoring", "aws.cloudwatch"),
    ]

    /// Appends the source for the `eventSource` value `eventSource` (unescaped bytes).
    static func append(eventSource: UnsafeRawBufferPointer, to output: inout [UInt8]) {
        let prefixEnd = eventSource.firstIndex(of: UInt8(ascii: ".")) ?? eventSource.count
        let prefix = UnsafeRawBufferPointer(rebasing: eventSource[0..<prefixEnd])
        for (service, source) in exceptions where JSONBytes.equals(prefix, service) {
            output.append(utf8: source)
            return
        }
        output.append(utf8: "aws.")
        output.append(contentsOf: prefix)
    }

    /// The source for an `eventSource` value, as text (rules written from `eventSource`, such as
    /// converted Sigma rules, name the same source the normalizer gives their events).
    public static func source(ofEventSource eventSource: String) -> String {
        var output: [UInt8] = []
        Array(eventSource.utf8).withUnsafeBytes { append(eventSource: $0, to: &output) }
        return String(decoding: output, as: UTF8.self)
    }
}

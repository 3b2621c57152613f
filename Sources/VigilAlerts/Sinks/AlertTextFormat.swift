/// How the `stdout` sink shows alerts when not as JSON Lines: a table for people, TSV (see
/// VigilReport's `AlertTableFormat`). The sink writes `heading` once, before its first alert.
public protocol AlertTextFormat: Sendable {
    /// Text written once before the first alert (a table's header), or empty.
    var heading: [UInt8] { get }
    /// Appends what is shown for `alert`, its newline included.
    func append(_ alert: Alert, to output: inout [UInt8])
}

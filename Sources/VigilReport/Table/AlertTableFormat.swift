import VigilAlerts

/// The `stdout` sink's rows for people: each alert line read back (`AlertDocument`) and written
/// as a row of `table`. A line that cannot be read (it cannot happen for Vigil's own alerts) is
/// shown by its id and rule rather than dropped.
public struct AlertTableFormat: AlertTextFormat {
    public let table: AlertTable

    public init(table: AlertTable) {
        self.table = table
    }

    public var heading: [UInt8] { Array(table.header.utf8) }

    public func append(_ alert: Alert, to output: inout [UInt8]) {
        let fields: AlertRowFields
        if let document = try? AlertDocument(line: alert.line) {
            fields = AlertRowFields(document)
        } else {
            fields = AlertRowFields(time: "", severity: alert.severity.rawValue, rule: alert.rule, what: "(alert \(alert.id))")
        }
        output.append(contentsOf: table.row(fields, id: alert.id).utf8)
    }
}

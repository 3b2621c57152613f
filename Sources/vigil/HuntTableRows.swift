import VigilAlerts
import VigilPipeline
import VigilReport

/// `vigil hunt --output table|tsv`: each matching event as a row for people, the alert table's
/// columns without severity and rule (an event found by a hunt is no alert), and the event's
/// provenance (`FILE#RECORD`) where an alert row has its id.
///
/// A row is made from the event's hunt line read back (`AlertDocument`), so that the table of a
/// hunt and of a replay show the same fields of the same event alike (`AlertRowFields`).
struct HuntTableRows: HuntFormat {
    let table: AlertTable
    private var line: [UInt8] = []
    private var headed = false

    init(table: AlertTable) {
        self.table = table
    }

    mutating func append(_ match: Alerter.Match, to output: inout [UInt8]) {
        if !headed {
            output.append(contentsOf: table.header.utf8)
            headed = true
        }
        line.removeAll(keepingCapacity: true)
        AlertWriter.appendEventLine(time: match.time, file: match.file, record: match.record, event: match.event, to: &line)
        let fields = (try? AlertDocument(line: line)).map(AlertRowFields.init)
            ?? AlertRowFields(time: String(decoding: match.time, as: UTF8.self), what: "(an event that cannot be shown)")
        output.append(contentsOf: table.row(fields, id: "\(match.file)#\(match.record)").utf8)
    }

    mutating func finish(to output: inout [UInt8]) {}
}

import VigilIngest

/// Counters of a tail since it started.
struct TailCounters {
    var records = 0
    var events = 0
    var alerts = 0
    var problems = 0

    mutating func add(_ summary: RunSummary) {
        records += summary.records
        events += summary.events
        alerts += summary.alerts
        problems += summary.problemCount
    }
}

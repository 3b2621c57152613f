/// A progress line on stderr, redrawn at most five times a second, erased at the end; nil when
/// stderr is not a terminal.
final class ProgressLine {
    private let totalFiles: Int
    private var filesDone = 0
    private var records = 0
    private var alerts = 0
    private var decodedBytes = 0
    private var sinceCheck = 0
    private var lastDrawn = 0.0
    private var drawn = false

    init?(totalFiles: Int) {
        guard StandardError.isTerminal else { return nil }
        self.totalFiles = totalFiles
    }

    /// Counts a record of the file being read, so that one large file shows progress too.
    func recordRead() {
        records += 1
        sinceCheck += 1
        if sinceCheck >= 4096 {
            sinceCheck = 0
            drawIfDue()
        }
    }

    /// Counts alerts sent while a file is read.
    func alertsSent(_ count: Int) {
        alerts += count
    }

    func filesDone(_ count: Int, decodedBytes bytes: Int, alerts newAlerts: Int = 0) {
        filesDone += count
        decodedBytes += bytes
        alerts += newAlerts
        drawIfDue()
    }

    private func drawIfDue() {
        let now = MonotonicClock.now()
        guard now - lastDrawn >= 0.2 else { return }
        lastDrawn = now
        StandardError.write("\r\u{1B}[K\(filesDone)/\(totalFiles) files, \(records) records, "
            + "\(RunSummary.megabytes(decodedBytes)), \(alerts) alerts")
        drawn = true
    }

    func finish() {
        if drawn { StandardError.write("\r\u{1B}[K") }
    }
}

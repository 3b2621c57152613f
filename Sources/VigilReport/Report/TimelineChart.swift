/// The report's timeline, as inline SVG: the event volume of each source (lines, top panel) over
/// the alerts by severity (stacked bars, bottom panel), on one time axis.
///
/// Bins are the smallest of one minute to one week that give at most `maximumBins` over the time
/// the alerts and events span. Every bar and line point carries a `<title>` with its counts.
struct TimelineChart {
    static let severities = ["critical", "high", "medium", "low", "info"]
    static let binSizes: [Int64] = [60, 300, 900, 3_600, 21_600, 86_400, 604_800]
    static let maximumBins: Int64 = 120
    static let width = 960.0, panelHeight = 110.0, left = 64.0, right = 16.0

    let alertTimes: [(seconds: Int64, severity: String)]
    /// nil: the volume is unknown (a report from alert files).
    let volumeByMinute: [String: [Int64: Int]]?

    func svg() -> String {
        var times = alertTimes.map(\.seconds)
        for counts in (volumeByMinute ?? [:]).values { times += counts.keys.map { $0 * 60 } }
        guard let earliest = times.min(), let latest = times.max() else {
            return "<p class=\"note\">No alert or event has a time: nothing to chart.</p>"
        }
        let binSize = Self.binSizes.first { (latest - earliest) / $0 + 1 <= Self.maximumBins } ?? Self.binSizes.last!
        let start = earliest / binSize * binSize
        let bins = Int((latest - start) / binSize) + 1
        let plotWidth = Self.width - Self.left - Self.right
        let barWidth = plotWidth / Double(bins)
        var svg = "<svg id=\"timeline\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(Self.width)) \(Int(2 * Self.panelHeight + 70))\" role=\"img\" aria-label=\"Timeline of alerts by severity over event volume\">"
        // Top panel: the volume of each source.
        let volumeTop = 10.0
        if let volume = volumeByMinute, !volume.isEmpty {
            var binned: [String: [Int]] = [:]
            for (source, counts) in volume {
                var series = Array(repeating: 0, count: bins)
                for (minute, count) in counts {
                    let bin = Int((minute * 60 - start) / binSize)
                    if bin >= 0, bin < bins { series[bin] += count }
                }
                binned[source] = series
            }
            let highest = max(1, binned.values.flatMap { $0 }.max() ?? 1)
            svg += axisLabel(x: 4, y: volumeTop + 10, "\(highest)")
            svg += axisLabel(x: 4, y: volumeTop + Self.panelHeight, "0")
            svg += "<text class=\"panel\" x=\"\(Int(Self.left))\" y=\"\(Int(volumeTop + 8))\">events per \(Self.binName(binSize)), by source</text>"
            for (index, source) in binned.keys.sorted().enumerated() {
                let series = binned[source]!
                let points = series.enumerated().map { bin, count in
                    "\(format(Self.left + (Double(bin) + 0.5) * barWidth)),\(format(volumeTop + Self.panelHeight - Double(count) / Double(highest) * (Self.panelHeight - 12)))"
                }.joined(separator: " ")
                svg += "<polyline class=\"volume v\(index % 6)\" points=\"\(points)\"><title>\(MarkupText.html(source)): \(series.reduce(0, +)) events</title></polyline>"
                svg += "<text class=\"legend v\(index % 6)\" x=\"\(format(Self.width - Self.right - 150))\" y=\"\(Int(volumeTop + 20 + Double(index) * 13))\">\(MarkupText.html(source))</text>"
            }
        } else {
            svg += "<text class=\"panel\" x=\"\(Int(Self.left))\" y=\"\(Int(volumeTop + 40))\">Event volume unknown: this report was made from alert files, not during a replay.</text>"
        }
        // Bottom panel: alerts per bin, stacked by severity.
        let alertTop = volumeTop + Self.panelHeight + 20
        var counts = Array(repeating: [String: Int](), count: bins)
        for alert in alertTimes {
            let bin = Int((alert.seconds - start) / binSize)
            if bin >= 0, bin < bins { counts[bin][alert.severity, default: 0] += 1 }
        }
        let highest = max(1, counts.map { $0.values.reduce(0, +) }.max() ?? 1)
        svg += "<text class=\"panel\" x=\"\(Int(Self.left))\" y=\"\(Int(alertTop + 8))\">alerts per \(Self.binName(binSize)), by severity</text>"
        svg += axisLabel(x: 4, y: alertTop + 10, "\(highest)")
        svg += axisLabel(x: 4, y: alertTop + Self.panelHeight, "0")
        for (bin, bySeverity) in counts.enumerated() where !bySeverity.isEmpty {
            var base = alertTop + Self.panelHeight
            let binStart = start + Int64(bin) * binSize
            for severity in Array(Self.severities.reversed()) + bySeverity.keys.filter({ !Self.severities.contains($0) }).sorted() {
                guard let count = bySeverity[severity] else { continue }
                let height = Double(count) / Double(highest) * (Self.panelHeight - 12)
                base -= height
                svg += "<rect class=\"bar sev-\(MarkupText.html(severity))\" x=\(quoted(Self.left + Double(bin) * barWidth + 0.5)) y=\(quoted(base)) width=\(quoted(max(1, barWidth - 1))) height=\(quoted(max(0.5, height)))><title>\(ReportTime.text(binStart)): \(count) \(MarkupText.html(severity))</title></rect>"
            }
        }
        for (index, severity) in Self.severities.enumerated() {
            svg += "<rect class=\"bar sev-\(severity)\" x=\(quoted(Self.width - Self.right - 150)) y=\(quoted(alertTop + 14 + Double(index) * 13)) width=\"9\" height=\"9\"/><text class=\"legend\" x=\(quoted(Self.width - Self.right - 136)) y=\(quoted(alertTop + 22 + Double(index) * 13))>\(severity)</text>"
        }
        // The time axis.
        let axisY = alertTop + Self.panelHeight
        svg += "<line class=\"axis\" x1=\(quoted(Self.left)) y1=\(quoted(axisY)) x2=\(quoted(Self.width - Self.right)) y2=\(quoted(axisY))/>"
        for fraction in [0.0, 0.5, 1.0] {
            let seconds = start + Int64(Double(Int64(bins) * binSize) * fraction)
            let anchor = fraction == 0 ? "start" : fraction == 1 ? "end" : "middle"
            svg += "<text class=\"tick\" text-anchor=\"\(anchor)\" x=\(quoted(Self.left + plotWidth * fraction)) y=\(quoted(axisY + 16))>\(ReportTime.text(seconds)) UTC</text>"
        }
        return svg + "</svg>"
    }

    private func axisLabel(x: Double, y: Double, _ text: String) -> String {
        "<text class=\"tick\" x=\(quoted(x)) y=\(quoted(y))>\(text)</text>"
    }

    private func format(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(abs(tenths % 10))"
    }

    private func quoted(_ value: Double) -> String { "\"" + format(value) + "\"" }

    static func binName(_ seconds: Int64) -> String {
        switch seconds {
        case 60: "minute"
        case 300: "5 minutes"
        case 900: "15 minutes"
        case 3_600: "hour"
        case 21_600: "6 hours"
        case 86_400: "day"
        default: "week"
        }
    }
}

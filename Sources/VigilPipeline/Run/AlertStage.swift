import VigilAlerts
import VigilIngest

/// The stages after the matcher (ARCHITECTURE.md's Alerter and Router): a match becomes an alert, or
/// nothing when a rule's dedup or threshold holds it back, and an alert goes to its rule's sinks.
///
/// Its decisions depend on the order of the matches (windows, ids already sent), so a run has one
/// stage, used by one thread, fed in input order: directly by the reader in a sequential replay
/// and in a tail, by the merging thread of a parallel replay.
final class AlertStage {
    let rules: RuleSet
    let alerter: Alerter
    let router: AlertRouter
    /// Where each rule's alerts go (indexed like `rules.rules`).
    private let queuesByRule: [[SinkQueue]]

    init(rules: RuleSet, router: AlertRouter) {
        self.rules = rules
        self.router = router
        queuesByRule = rules.rules.map(router.queues(for:))
        alerter = Alerter(rules: rules.rules) { seconds in
            var text: [UInt8] = []
            Timestamps.appendISO8601(Int64(seconds.rounded(.down)), to: &text)
            return text
        }
    }

    /// Decides and sends the alerts of `match` for the rules at `ruleIndices`, counting what
    /// happened in `summary`; returns how many alerts were sent.
    @discardableResult
    func handle(_ match: Alerter.Match, ruleIndices: some Sequence<Int32>, summary: inout RunSummary) -> Int {
        var sent = 0
        for index in ruleIndices {
            // The name alone, not a copy of the whole rule per match.
            let name = rules.rules[Int(index)].name
            switch alerter.decide(ruleIndex: Int(index), match: match) {
            case .alert(let alert):
                if router.deliver(alert, to: queuesByRule[Int(index)]) {
                    summary.alertsByRule[name, default: 0] += 1
                    sent += 1
                } else {
                    summary.duplicateAlerts += 1
                }
            case .suppressedByDedup:
                summary.suppressedByDedup[name, default: 0] += 1
            case .belowThreshold, .silencedByThreshold:
                summary.heldByThreshold[name, default: 0] += 1
            }
        }
        return sent
    }
}

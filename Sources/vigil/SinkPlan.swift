import ArgumentParser
import VigilAlerts
import VigilPipeline
import VigilReport

/// Which sinks a run makes, checked before any is made: the default sinks (`--sink`, else the
/// configuration's) and every sink a rule targets, each resolved to its definition. Replay makes
/// them once; tail again on every reload and after a failure.
struct SinkPlan {
    let configuration: VigilConfiguration
    let stateDirectory: String
    private let defaultNames: [String]
    private let targetNames: [String]
    private let definitions: [String: SinkDefinition]
    /// How stdout sinks show alerts (`--output`); nil: JSON Lines.
    private let standardOutputFormat: (any AlertTextFormat)?

    /// The plan for `rules`, or every problem with the sink names (for the caller to print).
    static func make(configuration: VigilConfiguration, sinkSpecs: [String], stateDirectory: String?,
                     rules: [Rule], standardOutputFormat: (any AlertTextFormat)? = nil) -> Result<SinkPlan, SinkPlanProblems> {
        var problems: [String] = []
        let defaultNames = unique(sinkSpecs.isEmpty ? configuration.defaultSinks : sinkSpecs)
        var definitions: [String: SinkDefinition] = [:]
        for name in defaultNames {
            do {
                definitions[name] = try configuration.sinkDefinition(named: name)
            } catch {
                problems.append("--sink \(name): \(error.reason)")
            }
        }
        var targetNames: [String] = []
        for rule in rules {
            for target in rule.targets ?? [] where definitions[target] == nil {
                do {
                    definitions[target] = try configuration.sinkDefinition(named: target)
                    targetNames.append(target)
                } catch {
                    problems.append(RuleProblem(file: rule.file, rule: rule.name,
                                                reason: configuration.sinkNames.problem(with: target) ?? error.reason).description)
                }
            }
        }
        guard problems.isEmpty else { return .failure(SinkPlanProblems(messages: problems)) }
        return .success(SinkPlan(configuration: configuration, stateDirectory: stateDirectory ?? configuration.stateDirectory,
                                 defaultNames: defaultNames, targetNames: targetNames, definitions: definitions,
                                 standardOutputFormat: standardOutputFormat))
    }

    /// Makes the sinks, each behind its queue, and the router over them. `checkpoints` let file
    /// sinks drop alerts they wrote before a crash; `memory` and `remembering` as for `AlertRouter`;
    /// `report` takes every alert, whatever its rule targets.
    func makeRouter(checkpoints: [String: SinkCheckpoint] = [:], memory: Int = 2_000_000,
                    remembering: [String] = [], recordsSent: Bool = false, report: ReportCollector? = nil,
                    warn: (String) -> Void) throws(SinkError) -> AlertRouter {
        let factory = SinkFactory(configuration: configuration, stateDirectory: stateDirectory,
                                  fileSinkCheckpoints: checkpoints, standardOutputFormat: standardOutputFormat)
        let capacity = configuration.queueCapacity
        var defaultQueues: [SinkQueue] = []
        var namedQueues: [SinkQueue] = []
        for name in defaultNames {
            defaultQueues.append(SinkQueue(try factory.makeSink(named: name, definition: definitions[name]!), capacity: capacity))
        }
        for name in targetNames {
            namedQueues.append(SinkQueue(try factory.makeSink(named: name, definition: definitions[name]!), capacity: capacity))
        }
        for warning in factory.warnings { warn("warning: \(warning)") }
        let reportQueues = report.map { [SinkQueue($0.makeSink(), capacity: capacity)] } ?? []
        return AlertRouter(defaultSinks: defaultQueues, namedSinks: namedQueues, everyAlert: reportQueues, memory: memory,
                           remembering: remembering, recordsSent: recordsSent)
    }

    /// `names` without repeats, in order.
    static func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

/// What is wrong with the sinks a run names.
struct SinkPlanProblems: Error {
    let messages: [String]
}

import Foundation
import Synchronization
import VigilAWS
import VigilIngest
import VigilPattern

/// Files read and matched on several threads, their matches handed back on the calling thread in
/// file and record order: the machinery a parallel replay and a parallel hunt share.
///
/// `jobs` threads read and match runs of files, at most two runs each ahead of the caller; the
/// caller takes each run's matches in batches, then its outcome, in the order of the file list. So
/// whatever comes after the matcher (a replay's alert stage, a hunt's printing and its repeats
/// filter) sees exactly what a read on one thread would give.
///
/// A Config item's diff depends on the items of its resource before it, so readers hand Config
/// items on unmatched, and this thread diffs and matches them in file order through one memory,
/// as a read on one thread would (ARCHITECTURE.md: `--jobs N` gives what `--jobs 1` gives).
///
/// Small files go to the threads in runs of consecutive files (up to 1 MB stored or 256 files):
/// handing over each file of a tree of 10,000 small ones costs more in thread wake-ups than
/// reading it. A large file among the last runs, when fewer runs are left than cores, is spread
/// over them (`SpreadPass`): a directory of one large file and a few small ones (200 MB of flow
/// logs, 20 rules) took 3.0 s, and 2.1 s spread.
struct OrderedParallelRead {
    let files: [LogSource]
    let jobs: Int
    let settings: EventReader.Settings
    let s3: S3Client?
    let patterns: CompiledPatternSet
    /// How many of the patterns an event must match to be handed back (see `MatchingVisitor`).
    var minimumMatches = 1
    /// Matches a reader gathers before handing them over (fewer at the end of a run). A hunt with
    /// `--limit N` hands over every N, so that the N-th match reaches the caller, who stops the
    /// readers, while the file is still being read rather than at its end.
    var batchSize = 256

    /// Reads every file. `handle` gets each match, in order; `runFinished` each run's outcome and
    /// file count once its matches were handled. `shouldStop` is asked before each batch and after
    /// each run: once it says true, the readers are cancelled (they stop at their next refill, not
    /// at the end of their file), nothing more is handed to `handle`, and the outcomes of the runs
    /// already started still come to `runFinished`.
    func run(handle: (FoundMatch) -> Void, runFinished: (InputOutcome, Int) -> Void, shouldStop: () -> Bool) {
        let runs = Self.runs(of: files)
        let results = runs.map { _ in FileResults() }
        let slots = DispatchSemaphore(value: jobs * 2)
        let nextFile = FileCounter()
        let cancellation = ReadCancellation()
        let readersDone = DispatchGroup()
        let settings = settings
        let s3 = s3
        let patterns = patterns
        let files = files
        let minimumMatches = minimumMatches
        let batchSize = max(batchSize, 1)
        for number in 0..<jobs {
            readersDone.enter()
            let thread = Thread {
                defer { readersDone.leave() }
                var reader = EventReader(settings: settings)
                let matcher = EnvelopeMatcher(patterns)
                while true {
                    slots.wait()
                    let index = nextFile.take()
                    guard index < runs.count else {
                        slots.signal()
                        return
                    }
                    let batcher = MatchBatcher(into: results[index], size: batchSize)
                    let configItems = ConfigItemOrder.handedOn { batcher.add(.configItem($0)) }
                    var visitor = MatchingVisitor(matcher: matcher, minimumMatches: minimumMatches,
                                                  configItems: configItems) { match, ruleIndices, _ in
                        batcher.add(.match(FoundMatch(match: match, ruleIndices: ruleIndices)))
                        return 0
                    }
                    // A run of one large file among the last runs may be spread over the cores:
                    // fewer runs are left than cores, so some would idle. Other runs are read on
                    // this thread alone, the other threads having runs of their own.
                    let maySpread = runs[index].count == 1 && runs.count - 1 - index < (settings.spread?.helpers ?? 0)
                    var outcome = InputOutcome()
                    for file in runs[index] {
                        guard !cancellation.isCancelled else { break }
                        outcome.add(reader.read(files[file], s3: s3, cancellation: cancellation, maySpread: maySpread,
                                                into: &visitor))
                    }
                    batcher.flush()
                    results[index].finish(outcome)
                }
            }
            thread.name = "vigil reader \(number)"
            thread.start()
        }
        var stopped = false
        func stop(from index: Int) {
            stopped = true
            cancellation.cancel()
            for later in results[index...] { later.abandon() }
        }
        withoutActuallyEscaping(handle) { handle in
            // The Config items of every file pass through this one visitor and memory, in file order.
            var configVisitor = MatchingVisitor(matcher: EnvelopeMatcher(patterns), minimumMatches: minimumMatches) {
                match, ruleIndices, _ in
                handle(FoundMatch(match: match, ruleIndices: ruleIndices))
                return 0
            }
            for (index, result) in results.enumerated() {
                var configProblems: [InputProblem] = []
                // Asked before waiting for the next batch: once the caller has what it wants, waiting
                // would wait for the reader to read on.
                while !stopped {
                    if shouldStop() {
                        stop(from: index)
                        break
                    }
                    guard let batch = result.next() else { break }
                    for found in batch {
                        switch found {
                        case .match(let match):
                            handle(match)
                        case .configItem(let item):
                            var counted = RunSummary()
                            do throws(InputProblem) {
                                try configVisitor.visit(item, summary: &counted)
                            } catch {
                                configProblems.append(error)
                            }
                        }
                    }
                }
                var outcome = result.takeOutcome()
                outcome.addMatchingProblems(configProblems)
                runFinished(outcome, runs[index].count)
                slots.signal()
                if !stopped && shouldStop() && index + 1 < results.count { stop(from: index + 1) }
            }
        }
        readersDone.wait()
    }

    /// `files` cut into runs of consecutive files: each run holds files until they add up to 1 MB
    /// stored, or 256 files; a file of 1 MB or more is a run of its own (so that it can be spread
    /// over the cores when it comes last).
    static func runs(of files: [LogSource]) -> [Range<Int>] {
        var runs: [Range<Int>] = []
        var start = 0
        var stored = 0
        for (index, source) in files.enumerated() {
            let size = source.storedSize ?? 0
            if size >= 1 << 20 && index > start {
                runs.append(start..<index)
                start = index
                stored = 0
            }
            stored += size
            if stored >= 1 << 20 || index + 1 - start >= 256 {
                runs.append(start..<(index + 1))
                start = index + 1
                stored = 0
            }
        }
        if start < files.count { runs.append(start..<files.count) }
        return runs
    }
}

/// Hands out file indices to the reading threads, each once.
private final class FileCounter: Sendable {
    private let next = Atomic<Int>(0)

    func take() -> Int {
        next.add(1, ordering: .relaxed).oldValue
    }
}

/// Gathers one file's matches into batches for its `FileResults`, so that the handling thread
/// is woken per batch rather than per match. Used by one reading thread.
private final class MatchBatcher {
    private let results: FileResults
    private var batch: [FoundEvent] = []
    private let size: Int

    init(into results: FileResults, size: Int) {
        self.results = results
        self.size = size
    }

    func add(_ match: FoundEvent) {
        batch.append(match)
        if batch.count >= size { flush() }
    }

    func flush() {
        guard !batch.isEmpty else { return }
        results.push(batch)
        batch = []
    }
}

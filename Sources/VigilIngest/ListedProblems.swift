/// The problems found in one input, as they are to be printed: the first `limit` in full, and the
/// rest only counted, by kind, and summed up in one line at the end.
///
/// A file can hold millions of bad records: a 16 KB gzip of 5.6 million `{}` decodes to as many
/// unrecognized records, whose problems, each kept to the end of the file, took 623 MB and printed
/// 770 MB of lines. Kept here, they take at most `limit` problems and a count per kind, whatever
/// the file; the run's summary still counts every one.
public struct ListedProblems: Sendable {
    /// Problems listed one by one per input, by default.
    public static let standardLimit = 100

    /// How many problems are listed one by one.
    public let limit: Int
    /// The first `limit` problems, in the order found.
    public private(set) var listed: [InputProblem] = []
    /// The problems past the limit, counted by kind.
    public private(set) var unlisted: [InputProblem.Kind: Int] = [:]

    public init(limit: Int = standardLimit) {
        self.limit = limit
    }

    /// How many problems went unlisted.
    public var unlistedCount: Int { unlisted.values.reduce(0, +) }

    /// Lists `problem` if fewer than `limit` are listed, or counts it.
    public mutating func add(_ problem: InputProblem) {
        if listed.count < limit {
            listed.append(problem)
        } else {
            unlisted[problem.kind, default: 0] += 1
        }
    }

    /// What to print: the listed problems, then, when some went unlisted, one that says how many
    /// (of the kind most of them are), for the input at `path`.
    public func reports(path: String) -> [InputProblem] {
        guard let summary = summary(path: path) else { return listed }
        return listed + [summary]
    }

    /// The problem that sums up the unlisted ones, or nil when none went unlisted.
    public func summary(path: String) -> InputProblem? {
        let kinds = InputProblem.Kind.allCases.compactMap { kind in unlisted[kind].map { (kind, $0) } }
            .sorted { $0.1 > $1.1 }
        guard let (mostKind, _) = kinds.first else { return nil }
        let total = Self.grouped(unlistedCount)
        let reason = kinds.count == 1
            ? "… and \(total) more like it (\(mostKind.rawValue)), not listed one by one"
            : "… and \(total) more (" + kinds.map { "\(Self.grouped($0.1)) \($0.0.rawValue)" }.joined(separator: ", ")
                + "), not listed one by one"
        return InputProblem(mostKind, path: path, reason: reason)
    }

    /// `count` with its digits grouped by threes: 5,592,304.
    static func grouped(_ count: Int) -> String {
        var digits = String(count)
        var index = digits.endIndex
        while digits.distance(from: digits.startIndex, to: index) > 3 {
            index = digits.index(index, offsetBy: -3)
            digits.insert(",", at: index)
        }
        return digits
    }
}

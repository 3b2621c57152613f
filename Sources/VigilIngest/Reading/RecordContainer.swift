import VigilJSON

/// An object whose member holds an array of records, such as a CloudTrail log file's
/// `{"Records":[…]}`: when that member comes first, the reader streams the array element by
/// element instead of holding the object whole (`RecordArrayReader`); anywhere else in an object
/// held in memory, the classifier finds it (`RecordClassifier`).
///
/// Each container is declared in the file of the form it belongs to and listed in `all`.
struct RecordContainer: Sendable {
    /// The key of the member that holds the array.
    let key: StaticString
    /// What every element is, when the container says so (a CloudTrail log file holds CloudTrail
    /// records); nil when each element is classified on its own.
    let elementKind: LogRecord.Kind?

    /// Every container, in the order their keys are looked for.
    static let all: [RecordContainer] = [
        .cloudTrailRecords, .lookupEvents, .getFindingsOutput, .configurationItems, .baseConfigurationItems,
    ]

    /// The container whose key is `key`, if any.
    init?(key: UnsafeRawBufferPointer) {
        guard let found = Self.all.first(where: { JSONBytes.equals(key, $0.key) }) else { return nil }
        self = found
    }

    init(key: StaticString, elementKind: LogRecord.Kind?) {
        self.key = key
        self.elementKind = elementKind
    }
}

/// The reader of one form a log file can take — a CloudTrail log file, JSON Lines, VPC flow log
/// text, … —: how the form is recognized from the input's first bytes, and how its records are
/// read.
///
/// Adding a form is adding a file with a type that conforms, and listing it in
/// `LogFormatRecognizer.readers`. The form is chosen once per input; its records then go to the
/// visitor without further dispatch.
protocol LogFormatReader: Sendable {
    /// Whether the input is in this form, judged from `reader.position`, its first byte of
    /// content. It may read more of the input to decide, but leaves `position` where it was.
    static func recognizes(_ reader: LogFileReader) -> Bool

    /// Reads the input's records, from `reader.position` to the end.
    static func read<Visitor: RecordVisitor>(_ reader: LogFileReader, into visitor: inout Visitor)
}

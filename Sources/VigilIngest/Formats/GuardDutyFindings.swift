/// `aws guardduty get-findings` output, `{"Findings":[…]}`, streamed by `RecordArrayReader`. Its
/// elements are classified one by one, as GuardDuty findings wherever else they come from (raw
/// findings in arrays and JSON Lines, the S3 export, EventBridge `GuardDuty Finding` events).
extension RecordContainer {
    /// `get-findings` output.
    static let getFindingsOutput = RecordContainer(key: "Findings", elementKind: nil)
}

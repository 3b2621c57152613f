import VigilJSON

/// Finding JSON values in the window: a record whose end is found by validating it where it lies
/// whole, or by its brackets, reading more, where it does not.
extension LogFileReader {
    /// Reads the object or array starting at `position`. Returns its range in the window; `.some(nil)`
    /// when it was larger than the limit (reported, skipped); nil when the input ended inside it.
    func readValue<Visitor: RecordVisitor>(into visitor: inout Visitor) -> Range<Int>?? {
        // Most records lie whole in the window: validating one there finds its end as well, so it
        // is walked once. One that runs past the window's end, or that is malformed, too deep or
        // too large, takes the long way: its end is found by its brackets, reading more as
        // needed, and the validation that follows reports what is wrong with it.
        if let end = try? JSONValidator.validateValue(window.bytes, from: position, maximumDepth: limits.maximumDepth,
                                                      members: memberIndex),
           end - position <= limits.maximumRecordSize {
            let range = position..<end
            position = end
            lastValueIsValidated = true
            return .some(range)
        }
        lastValueIsValidated = false
        mark = position
        defer { mark = nil }
        boundary.reset()
        var scanFrom = position
        while true {
            if let end = boundary.scan(window.bytes, from: scanFrom) {
                let range = mark!..<end
                position = end
                // A record that fitted in the window is held to the limit too, not only one that outgrew it.
                if range.count > limits.maximumRecordSize {
                    reportOversized(at: range.lowerBound, what: "A record", into: &visitor)
                    return .some(nil)
                }
                if boundary.deepest > limits.maximumDepth {
                    visitor.report(problem(.tooDeep, at: range.lowerBound, record: ordinal,
                                           reason: "A record nested deeper than \(limits.maximumDepth) levels"))
                    ordinal += 1
                    return .some(nil)
                }
                return .some(range)
            }
            let scanned = window.end - mark!
            if scanned > limits.maximumRecordSize {
                reportOversized(at: mark!, what: "A record", into: &visitor)
                // Go on finding its end, dropping its bytes as they pass.
                mark = nil
                position = window.end
                while true {
                    guard readMore() else { return nil }
                    if let end = boundary.scan(window.bytes, from: position) {
                        position = end
                        return .some(nil)
                    }
                    position = window.end
                }
            }
            guard readMore() else { return nil }
            scanFrom = mark! + scanned
        }
    }

}

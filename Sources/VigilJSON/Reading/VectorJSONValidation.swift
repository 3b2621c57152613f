import CSimd

/// The fast path of `JSONValidator.validateValue`: CSimd's AVX2 validator (simdjson-style
/// structural indexing and lookup-table UTF-8), used when the process takes the AVX2 route
/// (`JSONValidationChoice`: the CPU has AVX2 and `VIGIL_JSON_VALIDATION=scalar` is not set).
///
/// It only proves: a record it accepts is one the scalar validator accepts, with the same end and
/// the same members; for anything else (a problem, a top-level scalar, nesting past 1024 levels)
/// it answers nil and the scalar validator decides, so every verdict, message and offset stays
/// the scalar validator's (the differential test and `fuzz-json-validator` hold the two to that).
enum VectorJSONValidation {
    /// Whether this process proves records with the vector validator (`JSONValidationChoice`:
    /// the CPU has AVX2 and `VIGIL_JSON_VALIDATION=scalar` does not ask otherwise); asked once.
    static let isChosen = JSONValidationChoice.current.route == .avx2

    /// The offset just past the object or array starting at `start` (after optional whitespace),
    /// with its members noted into `members`, or nil when the vector validator did not prove it
    /// well-formed or this process takes the scalar route.
    @inline(__always)
    static func validateValue(_ bytes: UnsafeRawBufferPointer, from start: Int, maximumDepth: Int,
                              members: ObjectMemberIndex?) -> Int? {
        guard isChosen else { return nil }
        return prove(bytes, from: start, maximumDepth: maximumDepth, members: members)
    }

    /// `validateValue` whichever route this process takes, for the tests that hold the vector
    /// validator to the scalar one (nil without AVX2).
    @inline(__always)
    static func prove(_ bytes: UnsafeRawBufferPointer, from start: Int, maximumDepth: Int,
                      members: ObjectMemberIndex?) -> Int? {
        guard JSONValidationChoice.cpuHasAVX2, let base = bytes.baseAddress, start >= 0, start < bytes.count, maximumDepth >= 0 else {
            return nil
        }
        let first = base.assumingMemoryBound(to: UInt8.self)
        if let members, members.vectorNotes == nil { members.growVectorNotes() }
        var end = 0
        var noteCount = 0
        while true {
            let outcome = vigil_simd_json_validate_value(first, bytes.count, start, maximumDepth,
                                                         members?.vectorNotes, members?.vectorNotesCapacity ?? 0,
                                                         &noteCount, &end)
            if outcome == VIGIL_SIMD_JSON_VALID || outcome == VIGIL_SIMD_JSON_VALID_COMPACT {
                members?.takeVectorNotes(count: noteCount, compactLength: outcome == VIGIL_SIMD_JSON_VALID_COMPACT ? end - start : nil)
                return end
            }
            guard outcome == VIGIL_SIMD_JSON_NOTES_FULL, let members else { return nil }
            members.growVectorNotes()
        }
    }
}

extension VectorJSONValidation {
    /// How the vector validator disagrees with the scalar one on the value at `start`, or nil when
    /// it does not: what it proves well-formed, the scalar validator must accept with the same end
    /// and the same members. Whether it proves at all is not a verdict (nil makes the scalar
    /// validator decide). What the differential test and `fuzz-json-validator` check.
    static func disagreement(_ bytes: UnsafeRawBufferPointer, from start: Int,
                             maximumDepth: Int = JSONBytes.maximumDepth) -> String? {
        let vectorMembers = ObjectMemberIndex()
        guard let vectorEnd = prove(bytes, from: start, maximumDepth: maximumDepth, members: vectorMembers) else {
            return nil
        }
        let scalarMembers = ObjectMemberIndex()
        let scalarEnd: Int
        do throws(EventError) {
            scalarEnd = try JSONValidator.scalarValidateValue(bytes, from: start, maximumDepth: maximumDepth,
                                                              members: scalarMembers)
        } catch {
            return "the vector validator accepted what the scalar one refuses: \(error)"
        }
        guard vectorEnd == scalarEnd else {
            return "the value ends at \(vectorEnd) for the vector validator, at \(scalarEnd) for the scalar one"
        }
        let noted = { (index: ObjectMemberIndex) in
            (0..<index.count).map { [index.key($0).range, index.key($0).isEscaped ? 1..<1 : 0..<0, index.value($0)] }
        }
        guard noted(vectorMembers) == noted(scalarMembers) else {
            return "members differ: vector \(noted(vectorMembers)), scalar \(noted(scalarMembers))"
        }
        // Compact exactly when compacting changes nothing (and nothing comes before the value).
        let value = UnsafeRawBufferPointer(rebasing: bytes[start..<vectorEnd])
        var compacted: [UInt8] = []
        JSONText.appendCompactedByScanning(value, to: &compacted)
        let isCompact = compacted.elementsEqual(value)
        if (vectorMembers.compactLength != nil) != isCompact {
            return isCompact ? "the vector validator missed that the value is compact"
                : "the vector validator called a value with whitespace outside its strings compact"
        }
        if let length = vectorMembers.compactLength, length != vectorEnd - start {
            return "the compact length is \(length), the value's \(vectorEnd - start)"
        }
        return nil
    }
}

/// Case folding for `equals-ignore-case`, character by character as Java's String does it.
///
/// event-ruler turns each UTF-16 unit of the operand into the set {lower case, upper case} of
/// that one character (Java's `toLowerCase`/`toUpperCase` with `Locale.ROOT`, full mappings) and
/// matches the event's bytes against that sequence. So `ß` matches `SS` (its upper case) but `SS`
/// does not match `ß`; `Σ` matches `σ` but not the final form `ς`; `k` does not match the Kelvin
/// sign. A character outside the Basic Multilingual Plane is two lone surrogates to Java, each
/// encoded as `?`; we keep that quirk so that verdicts agree. Swift's Unicode tables are newer than
/// Java 17's (Unicode 13); `JavaCaseMappings` holds the 26 characters where that changes the
/// answer, found by `Scripts/make-java-case-mappings.py` comparing the two over every BMP code unit.
enum CaseFolding {
    /// For each character of `text`, the UTF-8 spellings it accepts (one or two, never empty).
    static func alternatives(for text: String) -> [[[UInt8]]] {
        text.utf16.map { unit -> [[UInt8]] in
            guard let scalar = Unicode.Scalar(UInt32(unit)) else {
                return [[UInt8(ascii: "?")]]
            }
            if let java = JavaCaseMappings.exceptions[unit] {
                return java.lower == java.upper ? [java.lower] : [java.lower, java.upper]
            }
            let lower = Array(scalar.properties.lowercaseMapping.utf8)
            let upper = Array(scalar.properties.uppercaseMapping.utf8)
            return lower == upper ? [lower] : [lower, upper]
        }
    }
}

/// Stops the run when a promise Vigil makes does not hold for the input at hand, so that libFuzzer
/// reports the input as a crash and saves it, as it does for a trap or a sanitizer's finding.
///
/// A target checks more than "does not crash": every envelope written is valid JSON, two ways of
/// reading the same bytes agree, and so on. `message` says which promise broke.
public func fuzzRequire(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String,
                        file: StaticString = #fileID, line: UInt = #line) {
    if !condition() {
        fatalError("fuzz check failed: \(message())", file: file, line: line)
    }
}

/// The input libFuzzer hands `LLVMFuzzerTestOneInput`, copied: the targets call APIs that take arrays.
public func fuzzBytes(_ data: UnsafePointer<UInt8>?, _ size: Int) -> [UInt8] {
    guard let data, size > 0 else { return [] }
    return Array(UnsafeBufferPointer(start: data, count: size))
}

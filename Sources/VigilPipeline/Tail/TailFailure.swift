/// Why a session cannot go on: a sink failed, or the state database could not be written.
struct TailFailure: Error, CustomStringConvertible {
    let description: String
}

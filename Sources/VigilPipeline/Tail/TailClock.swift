import Foundation

/// The clocks a tail session decides by: monotonic seconds for how long things take and when a
/// file has stopped changing, and wall-clock seconds to compare with file modification times.
///
/// The seam of `TailSession`'s unit tests, which move time forward themselves instead of sleeping.
struct TailClock: Sendable {
    var monotonic: @Sendable () -> Double
    var wall: @Sendable () -> Double

    static let system = TailClock(monotonic: { MonotonicClock.now() }, wall: { Date().timeIntervalSince1970 })
}

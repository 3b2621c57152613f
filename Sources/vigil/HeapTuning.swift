import CHeapTuning

/// How much freed memory the process keeps for reuse rather than handing it back to the system.
///
/// Alerts are written on one thread and freed on the sink's, a few thousand bytes each, so the
/// heap grows while the sink's queue fills and shrinks as it drains; glibc returned the top of
/// the heap to the system each time (321 `brk` calls in one alert-heavy replay) and every regrowth
/// faulted fresh pages in. Keeping up to 64 MB, and serving blocks below that from the heap, cut
/// the page faults of that replay (42 CloudTrail files, 71,508 alerts) from 19,900 to 12,600 and
/// its CPU time by 8 %, medians of 9; peak memory did not change (77 MB).
enum HeapTuning {
    static let keptBytes = 64 << 20

    /// Applies the setting; called once, before any command runs.
    static func apply() {
        _ = vigil_keep_freed_heap_memory(keptBytes)
    }
}

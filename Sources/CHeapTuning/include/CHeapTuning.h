#ifndef VIGIL_CHEAP_TUNING_H
#define VIGIL_CHEAP_TUNING_H

#include <stddef.h>

/// Asks glibc's allocator to keep up to `bytes` of freed memory at the top of its heaps instead
/// of returning it to the system, and to serve blocks below `bytes` from its heaps instead of
/// mapping each on its own. Returns 1 when both were set, 0 where the C library is not glibc.
int vigil_keep_freed_heap_memory(size_t bytes);

#endif

// glibc's allocator settings for a process that allocates and frees in bursts (CHeapTuning.h).

#include "CHeapTuning.h"

#if defined(__GLIBC__)
#include <limits.h>
#include <malloc.h>

int vigil_keep_freed_heap_memory(size_t bytes) {
    int value = bytes > INT_MAX ? INT_MAX : (int)bytes;
    return mallopt(M_TRIM_THRESHOLD, value) == 1 && mallopt(M_MMAP_THRESHOLD, value) == 1;
}
#else
int vigil_keep_freed_heap_memory(size_t bytes) {
    (void)bytes;
    return 0;
}
#endif

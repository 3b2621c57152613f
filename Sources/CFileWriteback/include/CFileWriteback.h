#ifndef VIGIL_CFILEWRITEBACK_H
#define VIGIL_CFILEWRITEBACK_H

#include <stdint.h>

/// Asks the kernel to start writing `length` bytes of the file `descriptor` from `offset` to its
/// device, without waiting (Linux's `sync_file_range` with `SYNC_FILE_RANGE_WRITE`), so that a
/// later `fsync` finds little left to write. A hint: returns 0 when started, -1 (with `errno`)
/// when not, and -1 with ENOSYS where the system has no such call; nothing is lost either way.
///
/// A shim because Swift's Glibc module does not import `sync_file_range` (a GNU extension).
int vigil_start_writeback(int descriptor, int64_t offset, int64_t length);

#endif

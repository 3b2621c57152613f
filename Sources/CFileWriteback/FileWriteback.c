// Starting writeback of a file range without waiting (CFileWriteback.h).

#if defined(__linux__)
#define _GNU_SOURCE
#include <fcntl.h>
#endif
#include <errno.h>

#include "CFileWriteback.h"

#if defined(__linux__)
int vigil_start_writeback(int descriptor, int64_t offset, int64_t length) {
    return sync_file_range(descriptor, (off_t)offset, (off_t)length, SYNC_FILE_RANGE_WRITE);
}
#else
int vigil_start_writeback(int descriptor, int64_t offset, int64_t length) {
    (void)descriptor; (void)offset; (void)length;
    errno = ENOSYS;
    return -1;
}
#endif

#ifndef VIGIL_CISAL_H
#define VIGIL_CISAL_H

#include <stddef.h>
#include <stdint.h>

/// Intel ISA-L's igzip inflate, about twice as fast as zlib's on gzipped logs, reached through a
/// thin C layer so that Vigil builds and runs without it: the layer carries the declarations it
/// needs (vendored from ISA-L's header) and is always compiled, and the library is opened at run
/// time (dlopen of libisal.so.2, Debian's libisal2). Where the library is missing,
/// `vigil_isal_available()` is 0 and Vigil decodes with zlib.

/// What one call to `vigil_isal_inflate` came to.
typedef enum {
    /// More input or more output room is needed.
    VIGIL_ISAL_PROGRESSING = 0,
    /// The gzip member's trailer was read and checked.
    VIGIL_ISAL_MEMBER_ENDED = 1,
    /// The data is bad; `vigil_isal_error_message` says how.
    VIGIL_ISAL_FAILED = -1,
} vigil_isal_outcome;

typedef struct vigil_isal_inflater vigil_isal_inflater;

/// 1 when ISA-L's library opens (the first call tries, once per process), else 0.
int vigil_isal_available(void);

/// The name of the library opened, or looked for: "libisal.so.2".
const char *vigil_isal_library_name(void);

/// A decoder for gzip members; NULL when ISA-L is not available or memory ran out.
vigil_isal_inflater *vigil_isal_create(void);
void vigil_isal_destroy(vigil_isal_inflater *inflater);
/// Gets ready for the next member of a multi-member stream.
void vigil_isal_reset(vigil_isal_inflater *inflater);

/// Decodes from `input` into `output` until one runs out, the member ends, or the data is bad;
/// says how many bytes it consumed and produced.
vigil_isal_outcome vigil_isal_inflate(vigil_isal_inflater *inflater, const uint8_t *input, size_t input_count,
                                      uint8_t *output, size_t output_count, size_t *consumed, size_t *produced);

/// What the last failure was, in zlib's words where zlib has them ("incorrect data check").
const char *vigil_isal_error_message(const vigil_isal_inflater *inflater);

#endif

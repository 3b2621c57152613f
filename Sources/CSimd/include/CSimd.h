#ifndef VIGIL_CSIMD_H
#define VIGIL_CSIMD_H

#include <stddef.h>
#include <stdint.h>

/// Strict JSON validation of one object or array with AVX2, simdjson-style: a first stage finds
/// quotes, backslashes, structural characters and the starts of scalars 64 bytes at a time and
/// checks UTF-8 with the lookup-table algorithm (Keiser and Lemire, "Validating UTF-8 in less
/// than one instruction per byte", 2021), and a second stage checks the grammar token by token.
///
/// It only ever proves a value well-formed: any problem, or anything it does not handle (a
/// top-level scalar, nesting past 1024 levels, more members than `notes_capacity`), makes it
/// give up, and the caller validates the same bytes the scalar way, which finds the problem and
/// reports it with its offset. So the verdicts, the messages and the offsets are the scalar
/// validator's by construction; this only makes the common case, a well-formed record, fast.

/// 1 when this CPU has what the vector validator needs (AVX2 and carry-less multiplication),
/// else 0 (the caller validates the scalar way).
int vigil_simd_json_available(void);

/// What one call came to.
typedef enum {
    /// The value is well-formed; `*end` is the offset just past it.
    VIGIL_SIMD_JSON_VALID = 0,
    /// Not proven: the caller validates the same bytes the scalar way.
    VIGIL_SIMD_JSON_UNPROVEN = 1,
    /// The top-level object has more members than `notes_capacity / 4`; nothing else is known.
    VIGIL_SIMD_JSON_NOTES_FULL = 2,
    /// As `VIGIL_SIMD_JSON_VALID`, and `bytes[start..<*end]` hold no whitespace outside strings
    /// (none before the value either), so that writing the value compacted is a copy. The masks
    /// of whitespace and strings are at hand in the first stage: this costs two operations a
    /// block, where proving it afterwards read every byte again. (An outcome rather than an out
    /// parameter: a pointer kept until the end cost stage 2 a spilled register, 130 instructions
    /// a record.)
    VIGIL_SIMD_JSON_VALID_COMPACT = 3,
} vigil_simd_json_outcome;

/// Validates the object or array starting at `start` (after optional JSON whitespace) in
/// `bytes[0..<count]`; what follows it is not looked at (nor read past 64 bytes beyond it).
/// `maximum_depth`: nesting deeper than this is not accepted.
///
/// When `notes` is not NULL and the value is an object, its top-level members are written there,
/// four offsets each relative to the object's first byte: key start, key end (the key's contents
/// without quotes; stored as `-end - 1` when the key holds a backslash), value start, value end;
/// `*note_count` is how many offsets were written. This is `ObjectMemberIndex`'s layout.
vigil_simd_json_outcome vigil_simd_json_validate_value(const uint8_t *bytes, size_t count, size_t start,
                                                       size_t maximum_depth, intptr_t *notes, size_t notes_capacity,
                                                       size_t *note_count, size_t *end);

#endif

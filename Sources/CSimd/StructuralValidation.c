// Strict JSON validation with AVX2 (CSimd.h says what it does and why it only ever proves).
//
// Stage 1 indexes one 64-byte block at a time, as simdjson's stage 1 does: bit masks of quotes,
// backslashes, structural characters and whitespace; characters escaped by an odd run of
// backslashes; which bytes lie inside strings (prefix XOR of the unescaped quotes, by carry-less
// multiplication); the first byte of each scalar; and the bytes that are wrong wherever they
// are: control characters in strings, escapes other than \" \\ \/ \b \f \n \r \t \uXXXX, and
// invalid UTF-8. Stage 2 pulls token positions from the masks and checks the grammar. Blocks are
// indexed only as stage 2 needs them, so a record amid a window of records costs at most one
// block past its end.
//
// A problem found in stage 1 stops indexing at the problem's position: if the value ends before
// it, the value is valid (the problem belongs to what follows); otherwise stage 2 runs out of
// tokens and gives up, and the caller's scalar validator reports the problem. Every check here
// is one the scalar validator makes (Sources/VigilJSON/Reading/JSONValidator.swift), so "valid"
// here implies valid there, with the same end and members (Tests/VigilJSONTests: the
// differential test; Fuzz/Sources/fuzz-json-validator).

#include "CSimd.h"

#include <string.h>

#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define VIGIL_SIMD_X86 1
#include <immintrin.h>
#endif

#if VIGIL_SIMD_X86

#define VIGIL_AVX2 __attribute__((target("avx2,pclmul")))

int vigil_simd_json_available(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("pclmul");
}

// Nesting kept as one bit per level (1: array). Deeper than this, the scalar validator decides.
enum { stack_levels = 1024 };

typedef struct {
    const uint8_t *bytes;
    size_t count;
    // The block whose tokens are being handed out, and the next block to index.
    size_t base;
    size_t next_base;
    uint64_t tokens;
    uint64_t backslashes;          // the backslashes of the block whose tokens are handed out
    // What carries from one block to the next.
    uint64_t previous_in_string;   // all ones when the previous block ended inside a string
    uint64_t previous_odd_backslash; // 1 when it ended in an odd run of backslashes
    uint64_t previous_scalar;      // 1 when its last byte belonged to a scalar
    __m256i previous_input;        // its last 32 bytes, for UTF-8 sequences that cross
    int previous_had_non_ascii;
    // A problem was found: no block at or past it is indexed.
    int stopped;
    // Whitespace outside strings: in the block whose tokens are handed out, and in the blocks
    // before it (from the value's first byte on), ORed. What tells a compact value.
    uint64_t loose_spaces;
    uint64_t earlier_loose_spaces;
} scanner;

VIGIL_AVX2 static inline uint64_t equal_mask(__m256i low, __m256i high, char character) {
    const __m256i wanted = _mm256_set1_epi8(character);
    uint32_t a = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, wanted));
    uint32_t b = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, wanted));
    return (uint64_t)a | ((uint64_t)b << 32);
}

VIGIL_AVX2 static inline uint64_t below_space_mask(__m256i low, __m256i high) {
    const __m256i limit = _mm256_set1_epi8(0x1F);
    uint32_t a = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(low, limit), low));
    uint32_t b = (uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_min_epu8(high, limit), high));
    return (uint64_t)a | ((uint64_t)b << 32);
}

// Each bit becomes the XOR of itself and every bit below it: 1 from an opening quote up to,
// not including, its closing quote.
VIGIL_AVX2 static inline uint64_t prefix_xor(uint64_t bits) {
    __m128i product = _mm_clmulepi64_si128(_mm_set_epi64x(0, (long long)bits), _mm_set1_epi8((char)0xFF), 0);
    return (uint64_t)_mm_cvtsi128_si64(product);
}

// The characters escaped by an odd run of backslashes (simdjson's find_odd_backslash_sequences).
static inline uint64_t escaped_characters(uint64_t backslashes, uint64_t *previous_odd) {
    const uint64_t even_bits = 0x5555555555555555ULL;
    const uint64_t odd_bits = ~even_bits;
    uint64_t start_edges = backslashes & ~(backslashes << 1);
    uint64_t even_start_mask = even_bits ^ *previous_odd;
    uint64_t even_starts = start_edges & even_start_mask;
    uint64_t odd_starts = start_edges & ~even_start_mask;
    uint64_t even_carries = backslashes + even_starts;
    uint64_t odd_carries;
    int ends_odd = __builtin_add_overflow(backslashes, odd_starts, &odd_carries);
    odd_carries |= *previous_odd;
    *previous_odd = ends_odd ? 1 : 0;
    uint64_t even_carry_ends = even_carries & ~backslashes;
    uint64_t odd_carry_ends = odd_carries & ~backslashes;
    return (even_carry_ends & odd_bits) | (odd_carry_ends & even_bits);
}

// UTF-8 by lookup tables (simdjson's utf8_lookup4): each byte's error bits from itself and the
// three before it. Nonzero where a sequence is overlong, a surrogate, above U+10FFFF, too short
// or too long, or where a continuation byte stands alone.
enum {
    too_short = 1 << 0, too_long = 1 << 1, overlong_3 = 1 << 2, too_large = 1 << 3,
    surrogate = 1 << 4, overlong_2 = 1 << 5, too_large_1000 = 1 << 6, overlong_4 = 1 << 6,
    two_continuations = -128, // 1 << 7 as a signed byte, for _mm256_setr_epi8
    carry = too_short | too_long | two_continuations,
};

#define LOOKUP16(...) _mm256_setr_epi8(__VA_ARGS__, __VA_ARGS__)

VIGIL_AVX2 static inline __m256i previous_bytes(__m256i input, __m256i previous, int n) {
    __m256i joined = _mm256_permute2x128_si256(previous, input, 0x21);
    switch (n) {
    case 1: return _mm256_alignr_epi8(input, joined, 15);
    case 2: return _mm256_alignr_epi8(input, joined, 14);
    default: return _mm256_alignr_epi8(input, joined, 13);
    }
}

VIGIL_AVX2 static inline __m256i high_nibbles(__m256i v) {
    return _mm256_and_si256(_mm256_srli_epi16(v, 4), _mm256_set1_epi8(0x0F));
}

VIGIL_AVX2 static inline __m256i utf8_errors(__m256i input, __m256i previous) {
    const __m256i byte_1_high_table = LOOKUP16(
        too_long, too_long, too_long, too_long, too_long, too_long, too_long, too_long,
        two_continuations, two_continuations, two_continuations, two_continuations,
        too_short | overlong_2, too_short, too_short | overlong_3 | surrogate,
        too_short | too_large | too_large_1000 | overlong_4);
    const __m256i byte_1_low_table = LOOKUP16(
        carry | overlong_3 | overlong_2 | overlong_4, carry | overlong_2, carry, carry,
        carry | too_large, carry | too_large | too_large_1000, carry | too_large | too_large_1000,
        carry | too_large | too_large_1000, carry | too_large | too_large_1000, carry | too_large | too_large_1000,
        carry | too_large | too_large_1000, carry | too_large | too_large_1000, carry | too_large | too_large_1000,
        carry | too_large | too_large_1000 | surrogate, carry | too_large | too_large_1000,
        carry | too_large | too_large_1000);
    const __m256i byte_2_high_table = LOOKUP16(
        too_short, too_short, too_short, too_short, too_short, too_short, too_short, too_short,
        too_long | overlong_2 | two_continuations | overlong_3 | too_large_1000 | overlong_4,
        too_long | overlong_2 | two_continuations | overlong_3 | too_large,
        too_long | overlong_2 | two_continuations | surrogate | too_large,
        too_long | overlong_2 | two_continuations | surrogate | too_large,
        too_short, too_short, too_short, too_short);
    __m256i previous_1 = previous_bytes(input, previous, 1);
    __m256i special = _mm256_and_si256(
        _mm256_and_si256(_mm256_shuffle_epi8(byte_1_high_table, high_nibbles(previous_1)),
                         _mm256_shuffle_epi8(byte_1_low_table, _mm256_and_si256(previous_1, _mm256_set1_epi8(0x0F)))),
        _mm256_shuffle_epi8(byte_2_high_table, high_nibbles(input)));
    // Where the third or fourth byte of a sequence must be a continuation byte.
    __m256i previous_2 = previous_bytes(input, previous, 2);
    __m256i previous_3 = previous_bytes(input, previous, 3);
    __m256i third = _mm256_subs_epu8(previous_2, _mm256_set1_epi8((char)(0xE0 - 0x80)));
    __m256i fourth = _mm256_subs_epu8(previous_3, _mm256_set1_epi8((char)(0xF0 - 0x80)));
    __m256i must_continue = _mm256_and_si256(_mm256_or_si256(third, fourth), _mm256_set1_epi8((char)0x80));
    return _mm256_xor_si256(must_continue, special);
}

VIGIL_AVX2 static inline uint64_t nonzero_mask(__m256i low, __m256i high) {
    const __m256i zero = _mm256_setzero_si256();
    uint32_t a = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(low, zero));
    uint32_t b = ~(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(high, zero));
    return (uint64_t)a | ((uint64_t)b << 32);
}

static const uint8_t hex_digit[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
    ['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
};

// Bytes that continue a scalar: anything but whitespace, structural characters and quotes.
static const uint8_t ends_scalar[256] = {
    [' '] = 1, ['\n'] = 1, ['\r'] = 1, ['\t'] = 1,
    ['{'] = 1, ['}'] = 1, ['['] = 1, [']'] = 1, [','] = 1, [':'] = 1, ['"'] = 1,
};

// Indexes the next block; 0 when there is none (input ended, or a problem stopped indexing).
VIGIL_AVX2 static inline int index_block(scanner *s) {
    if (s->stopped || s->next_base >= s->count) return 0;
    size_t base = s->next_base;
    size_t available = s->count - base;
    const uint8_t *block = s->bytes + base;
    uint8_t padded[64];
    if (available < 64) {
        // The last bytes, padded with spaces: nothing is read past `count`.
        memset(padded, ' ', sizeof padded);
        memcpy(padded, block, available);
        block = padded;
    }
    __m256i low = _mm256_loadu_si256((const __m256i *)block);
    __m256i high = _mm256_loadu_si256((const __m256i *)(block + 32));

    uint64_t backslashes = equal_mask(low, high, '\\');
    uint64_t escaped = escaped_characters(backslashes, &s->previous_odd_backslash);
    uint64_t quotes = equal_mask(low, high, '"') & ~escaped;
    uint64_t in_string = prefix_xor(quotes) ^ s->previous_in_string;
    s->previous_in_string = (uint64_t)((int64_t)in_string >> 63);

    // Whitespace and structural characters by table lookup on the low four bits (simdjson's
    // classification): a byte is one when the table's entry for its low bits is the byte itself;
    // [ and ] are looked up as { and } (OR 0x20). Bytes from 0x80 look up 0, which nothing equals.
    const __m256i whitespace_table = LOOKUP16(' ', 100, 100, 100, 17, 100, 113, 2, 100, '\t', '\n', 112, 100, '\r', 100, 100);
    const __m256i operator_table = LOOKUP16(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, ':', '{', ',', '}', 0, 0);
    const __m256i fold = _mm256_set1_epi8(0x20);
    uint64_t whitespace = (uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(whitespace_table, low), low))
        | ((uint64_t)(uint32_t)_mm256_movemask_epi8(_mm256_cmpeq_epi8(_mm256_shuffle_epi8(whitespace_table, high), high)) << 32);
    uint64_t operators = (uint64_t)(uint32_t)_mm256_movemask_epi8(
                             _mm256_cmpeq_epi8(_mm256_shuffle_epi8(operator_table, low), _mm256_or_si256(low, fold)))
        | ((uint64_t)(uint32_t)_mm256_movemask_epi8(
               _mm256_cmpeq_epi8(_mm256_shuffle_epi8(operator_table, high), _mm256_or_si256(high, fold))) << 32);
    uint64_t outside = ~(in_string | quotes);
    s->earlier_loose_spaces |= s->loose_spaces;
    s->loose_spaces = whitespace & outside;
    uint64_t scalar = outside & ~operators & ~whitespace;
    uint64_t scalar_starts = scalar & ~((scalar << 1) | s->previous_scalar);
    s->previous_scalar = scalar >> 63;
    uint64_t tokens = (operators & outside) | quotes | scalar_starts;

    uint64_t problems = below_space_mask(low, high) & in_string;
    for (uint64_t remaining = escaped; remaining; remaining &= remaining - 1) {
        size_t offset = (size_t)__builtin_ctzll(remaining);
        size_t position = base + offset;
        if (position >= s->count) break;
        switch (s->bytes[position]) {
        case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
            break;
        case 'u':
            if (position + 5 > s->count || !hex_digit[s->bytes[position + 1]] || !hex_digit[s->bytes[position + 2]]
                || !hex_digit[s->bytes[position + 3]] || !hex_digit[s->bytes[position + 4]]) {
                problems |= 1ULL << offset;
            }
            break;
        default:
            problems |= 1ULL << offset;
        }
    }
    int has_non_ascii = (_mm256_movemask_epi8(_mm256_or_si256(low, high)) != 0);
    if (has_non_ascii || s->previous_had_non_ascii) {
        problems |= nonzero_mask(utf8_errors(low, s->previous_input), utf8_errors(high, low));
    }
    s->previous_input = high;
    s->previous_had_non_ascii = has_non_ascii;

    if (available < 64) {
        // Nothing past the input's end is a token (or a problem: the input ended first).
        uint64_t inside = (1ULL << available) - 1;
        tokens &= inside;
        problems &= inside;
        s->stopped = 1;
    }
    if (problems) {
        tokens &= (1ULL << __builtin_ctzll(problems)) - 1;
        s->stopped = 1;
    }
    s->base = base;
    s->backslashes = backslashes;
    s->tokens = tokens;
    s->next_base = base + 64;
    return 1;
}

// Whether bytes[from..<to] hold a backslash, where `to` lies in the block whose tokens are being
// handed out: from that block's mask when `from` lies in it too (almost every key), else byte by
// byte. Instead of a memchr call per key: 3 % fewer instructions on a CloudTrail file (callgrind).
static inline int holds_backslash(const scanner *s, size_t from, size_t to) {
    if (from >= s->base) {
        uint64_t span = (1ULL << (to - from)) - 1; // to - from < 64: both lie in one block
        return ((s->backslashes >> (from - s->base)) & span) != 0;
    }
    for (size_t i = from; i < to; i++) {
        if (s->bytes[i] == '\\') return 1;
    }
    return 0;
}

// Indexes blocks until one has tokens; 0 when none is left. Kept out of line so that the
// common case of `next_token`, a token left in the block, inlines into stage 2 small.
VIGIL_AVX2 __attribute__((noinline)) static int index_blocks(scanner *s) {
    while (s->tokens == 0) {
        if (!index_block(s)) return 0;
    }
    return 1;
}

VIGIL_AVX2 __attribute__((always_inline)) static inline int next_token(scanner *s, size_t *position) {
    if (__builtin_expect(s->tokens == 0, 0) && !index_blocks(s)) return 0;
    *position = s->base + (size_t)__builtin_ctzll(s->tokens);
    s->tokens &= s->tokens - 1;
    return 1;
}

// RFC 8259 numbers: -? (0 | [1-9][0-9]*) (\.[0-9]+)? ([eE][+-]?[0-9]+)?, the whole of `bytes[start..<end]`.
static inline int is_number(const uint8_t *bytes, size_t start, size_t end) {
    size_t i = start;
    if (i < end && bytes[i] == '-') i++;
    if (i >= end) return 0;
    if (bytes[i] == '0') {
        i++;
    } else {
        size_t digits = i;
        while (i < end && bytes[i] >= '0' && bytes[i] <= '9') i++;
        if (i == digits) return 0;
    }
    if (i < end && bytes[i] == '.') {
        i++;
        size_t digits = i;
        while (i < end && bytes[i] >= '0' && bytes[i] <= '9') i++;
        if (i == digits) return 0;
    }
    if (i < end && (bytes[i] == 'e' || bytes[i] == 'E')) {
        i++;
        if (i < end && (bytes[i] == '+' || bytes[i] == '-')) i++;
        size_t digits = i;
        while (i < end && bytes[i] >= '0' && bytes[i] <= '9') i++;
        if (i == digits) return 0;
    }
    return i == end;
}

// The end of the scalar starting at `start`, or 0 when it is not a number, true, false or null
// (or the input ends in it: what follows decides where it ends).
static inline size_t scalar_end(const uint8_t *bytes, size_t count, size_t start) {
    size_t end = start;
    while (end < count && !ends_scalar[bytes[end]]) end++;
    if (end == count) return 0;
    size_t length = end - start;
    switch (bytes[start]) {
    case 't': return length == 4 && memcmp(bytes + start, "true", 4) == 0 ? end : 0;
    case 'f': return length == 5 && memcmp(bytes + start, "false", 5) == 0 ? end : 0;
    case 'n': return length == 4 && memcmp(bytes + start, "null", 4) == 0 ? end : 0;
    default: return is_number(bytes, start, end) ? end : 0;
    }
}

// Notes one member of the top-level object as four offsets from the object's start: key start,
// key end (negative, -(end) - 1, when the key holds an escape), value start, value end. 0 when
// the room for notes is full. One function for the two places a member's value ends (after a
// scalar, after a closing bracket); always inlined, as the two copies were.
__attribute__((always_inline)) static inline int note_member(intptr_t *notes, size_t capacity, size_t *written,
                                                             size_t object_start, size_t key_start, size_t key_end,
                                                             int key_escaped, size_t value_start, size_t value_end) {
    if (*written + 4 > capacity) return 0;
    intptr_t *note = notes + *written;
    note[0] = (intptr_t)(key_start - object_start);
    note[1] = key_escaped ? -(intptr_t)(key_end - object_start) - 1 : (intptr_t)(key_end - object_start);
    note[2] = (intptr_t)(value_start - object_start);
    note[3] = (intptr_t)(value_end - object_start);
    *written += 4;
    return 1;
}

// Whether the value just proven, from the first byte of the first block to `end` (which lies in
// the block whose tokens are handed out), holds no whitespace outside its strings.
static inline int holds_no_loose_space(const scanner *s, size_t end) {
    size_t length = end - s->base; // 1...64: the value's last byte lies in this block
    uint64_t within = length >= 64 ? ~0ULL : (1ULL << length) - 1;
    return (s->earlier_loose_spaces | (s->loose_spaces & within)) == 0;
}

VIGIL_AVX2 static vigil_simd_json_outcome validate_value_avx2(const uint8_t *bytes, size_t count, size_t start,
                                                               size_t maximum_depth, intptr_t *notes,
                                                               size_t notes_capacity, size_t *note_count,
                                                               size_t *end) {
    size_t position = start;
    while (position < count && (bytes[position] == ' ' || bytes[position] == '\n' || bytes[position] == '\r'
                                || bytes[position] == '\t')) {
        position++;
    }
    if (position >= count || (bytes[position] != '{' && bytes[position] != '[')) return VIGIL_SIMD_JSON_UNPROVEN;
    if (maximum_depth > stack_levels) maximum_depth = stack_levels;
    const size_t object_start = position;

    scanner s;
    memset(&s, 0, sizeof s);
    s.bytes = bytes;
    s.count = count;
    s.next_base = position;
    s.previous_input = _mm256_setzero_si256();
    s.earlier_loose_spaces = position != start; // whitespace before the value: not compact

    uint64_t is_array[stack_levels / 64];
    size_t depth = 0;
    size_t written = 0;
    int noting = notes != NULL && bytes[position] == '{';
    // The member of the top-level object being read.
    size_t key_start = 0, key_end = 0, value_start = 0;
    int key_escaped = 0;

    size_t token;
    if (!next_token(&s, &token)) return VIGIL_SIMD_JSON_UNPROVEN;
    // The state: a value is expected (1), or a ',' or a closing bracket (0).
    int expecting_value = 1;
    for (;;) {
        uint8_t byte = bytes[token];
        if (expecting_value) {
            size_t value_end;
            if (byte == '{' || byte == '[') {
                if (depth >= maximum_depth) return VIGIL_SIMD_JSON_UNPROVEN;
                uint64_t bit = 1ULL << (depth & 63);
                if (byte == '[') is_array[depth >> 6] |= bit; else is_array[depth >> 6] &= ~bit;
                depth++;
                // An empty container, or the first member or element.
                if (!next_token(&s, &token)) return VIGIL_SIMD_JSON_UNPROVEN;
                if (bytes[token] == (byte == '[' ? ']' : '}')) {
                    depth--;
                    value_end = token + 1;
                    goto value_ended;
                }
                if (byte == '{') goto key;
                continue;
            } else if (byte == '"') {
                size_t closing;
                if (!next_token(&s, &closing)) return VIGIL_SIMD_JSON_UNPROVEN;
                value_end = closing + 1;
            } else {
                value_end = scalar_end(bytes, count, token);
                if (value_end == 0) return VIGIL_SIMD_JSON_UNPROVEN;
            }
            if (depth == 0) return VIGIL_SIMD_JSON_UNPROVEN; // not reached: the top level is a container
        value_ended:
            if (depth == 0) {
                *end = value_end;
                *note_count = written;
                return holds_no_loose_space(&s, value_end) ? VIGIL_SIMD_JSON_VALID_COMPACT : VIGIL_SIMD_JSON_VALID;
            }
            if (depth == 1 && noting && !note_member(notes, notes_capacity, &written, object_start,
                                                     key_start, key_end, key_escaped, value_start, value_end)) {
                return VIGIL_SIMD_JSON_NOTES_FULL;
            }
            expecting_value = 0;
            if (!next_token(&s, &token)) return VIGIL_SIMD_JSON_UNPROVEN;
            continue;
        }
        // After a value inside a container: ',' or its closing bracket.
        int in_array = (is_array[(depth - 1) >> 6] >> ((depth - 1) & 63)) & 1;
        if (byte == ',') {
            if (!next_token(&s, &token)) return VIGIL_SIMD_JSON_UNPROVEN;
            expecting_value = 1;
            if (in_array) continue;
            goto key;
        }
        if (byte != (in_array ? ']' : '}')) return VIGIL_SIMD_JSON_UNPROVEN;
        depth--;
        {
            size_t value_end = token + 1;
            if (depth == 0) {
                *end = value_end;
                *note_count = written;
                return holds_no_loose_space(&s, value_end) ? VIGIL_SIMD_JSON_VALID_COMPACT : VIGIL_SIMD_JSON_VALID;
            }
            if (depth == 1 && noting && !note_member(notes, notes_capacity, &written, object_start,
                                                     key_start, key_end, key_escaped, value_start, value_end)) {
                return VIGIL_SIMD_JSON_NOTES_FULL;
            }
        }
        if (!next_token(&s, &token)) return VIGIL_SIMD_JSON_UNPROVEN;
        continue;

    key:
        // `token` should open a key; then ':' and the value's first token.
        {
            if (bytes[token] != '"') return VIGIL_SIMD_JSON_UNPROVEN;
            size_t closing;
            if (!next_token(&s, &closing)) return VIGIL_SIMD_JSON_UNPROVEN;
            if (depth == 1) {
                key_start = token + 1;
                key_end = closing;
                key_escaped = holds_backslash(&s, key_start, key_end);
            }
            size_t colon;
            if (!next_token(&s, &colon) || bytes[colon] != ':') return VIGIL_SIMD_JSON_UNPROVEN;
            if (!next_token(&s, &token)) return VIGIL_SIMD_JSON_UNPROVEN;
            if (depth == 1) value_start = token;
            expecting_value = 1;
        }
    }
}

vigil_simd_json_outcome vigil_simd_json_validate_value(const uint8_t *bytes, size_t count, size_t start,
                                                       size_t maximum_depth, intptr_t *notes, size_t notes_capacity,
                                                       size_t *note_count, size_t *end) {
    *note_count = 0;
    return validate_value_avx2(bytes, count, start, maximum_depth, notes, notes_capacity, note_count, end);
}

#else

int vigil_simd_json_available(void) { return 0; }

vigil_simd_json_outcome vigil_simd_json_validate_value(const uint8_t *bytes, size_t count, size_t start,
                                                       size_t maximum_depth, intptr_t *notes, size_t notes_capacity,
                                                       size_t *note_count, size_t *end) {
    (void)bytes; (void)count; (void)start; (void)maximum_depth; (void)notes; (void)notes_capacity; (void)end;
    *note_count = 0;
    return VIGIL_SIMD_JSON_UNPROVEN;
}

#endif

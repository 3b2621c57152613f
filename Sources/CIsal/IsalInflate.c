#include "CIsal.h"

#if defined(__has_include)
#if __has_include(<isa-l/igzip_lib.h>) && __has_include(<dlfcn.h>) && !defined(VIGIL_WITHOUT_ISAL)
#define VIGIL_HAS_ISAL 1
#endif
#endif

#ifdef VIGIL_HAS_ISAL

#include <dlfcn.h>
#include <isa-l/igzip_lib.h>
#include <pthread.h>
#include <stdlib.h>

// The three functions Vigil uses, looked up once. Opening the library at run time, rather than
// linking it, keeps a binary built with ISA-L runnable on a machine without it.
static void (*inflate_init)(struct inflate_state *);
static void (*inflate_reset)(struct inflate_state *);
static int (*inflate_step)(struct inflate_state *);
static int library_opened;
static pthread_once_t open_once = PTHREAD_ONCE_INIT;

static void open_library(void) {
    const char *names[] = {"libisal.so.2", "libisal.so"};
    for (size_t index = 0; index < sizeof names / sizeof names[0]; index++) {
        void *library = dlopen(names[index], RTLD_NOW | RTLD_LOCAL);
        if (!library) continue;
        inflate_init = (void (*)(struct inflate_state *))dlsym(library, "isal_inflate_init");
        inflate_reset = (void (*)(struct inflate_state *))dlsym(library, "isal_inflate_reset");
        inflate_step = (int (*)(struct inflate_state *))dlsym(library, "isal_inflate");
        if (inflate_init && inflate_reset && inflate_step) {
            library_opened = 1;
            return;
        }
        dlclose(library);
    }
}

struct vigil_isal_inflater {
    struct inflate_state state;
    const char *message;
};

int vigil_isal_available(void) {
    pthread_once(&open_once, open_library);
    return library_opened;
}

vigil_isal_inflater *vigil_isal_create(void) {
    if (!vigil_isal_available()) return NULL;
    vigil_isal_inflater *inflater = malloc(sizeof *inflater);
    if (!inflater) return NULL;
    inflate_init(&inflater->state);
    // The gzip wrapper: ISA-L reads the header and checks the trailer's CRC-32 and length.
    inflater->state.crc_flag = ISAL_GZIP;
    inflater->message = "";
    return inflater;
}

void vigil_isal_destroy(vigil_isal_inflater *inflater) {
    free(inflater);
}

void vigil_isal_reset(vigil_isal_inflater *inflater) {
    inflate_reset(&inflater->state);
    inflater->state.crc_flag = ISAL_GZIP;
    inflater->message = "";
}

static const char *describe(int status) {
    switch (status) {
    case ISAL_INCORRECT_CHECKSUM: return "incorrect data check";
    case ISAL_UNSUPPORTED_METHOD: return "unknown compression method";
    case ISAL_INVALID_WRAPPER: return "incorrect header check";
    case ISAL_INVALID_BLOCK: return "invalid block type";
    case ISAL_INVALID_SYMBOL: return "invalid code";
    case ISAL_INVALID_LOOKBACK: return "invalid distance too far back";
    default: return "invalid compressed data";
    }
}

vigil_isal_outcome vigil_isal_inflate(vigil_isal_inflater *inflater, const uint8_t *input, size_t input_count,
                                      uint8_t *output, size_t output_count, size_t *consumed, size_t *produced) {
    struct inflate_state *state = &inflater->state;
    // ISA-L counts in 32 bits; a larger buffer is used in part.
    uint32_t in_count = input_count > UINT32_MAX ? UINT32_MAX : (uint32_t)input_count;
    uint32_t out_count = output_count > UINT32_MAX ? UINT32_MAX : (uint32_t)output_count;
    state->next_in = (uint8_t *)input;
    state->avail_in = in_count;
    state->next_out = output;
    state->avail_out = out_count;
    int status = inflate_step(state);
    *consumed = in_count - state->avail_in;
    *produced = out_count - state->avail_out;
    state->next_in = NULL;
    state->next_out = NULL;
    if (status != ISAL_DECOMP_OK && status != ISAL_END_INPUT && status != ISAL_OUT_OVERFLOW) {
        inflater->message = describe(status);
        return VIGIL_ISAL_FAILED;
    }
    return state->block_state == ISAL_BLOCK_FINISH ? VIGIL_ISAL_MEMBER_ENDED : VIGIL_ISAL_PROGRESSING;
}

const char *vigil_isal_error_message(const vigil_isal_inflater *inflater) {
    return inflater->message;
}

#else

// Built without ISA-L's header: zlib does all decoding.
int vigil_isal_available(void) { return 0; }
vigil_isal_inflater *vigil_isal_create(void) { return NULL; }
void vigil_isal_destroy(vigil_isal_inflater *inflater) { (void)inflater; }
void vigil_isal_reset(vigil_isal_inflater *inflater) { (void)inflater; }
vigil_isal_outcome vigil_isal_inflate(vigil_isal_inflater *inflater, const uint8_t *input, size_t input_count,
                                      uint8_t *output, size_t output_count, size_t *consumed, size_t *produced) {
    (void)inflater; (void)input; (void)input_count; (void)output; (void)output_count;
    *consumed = 0;
    *produced = 0;
    return VIGIL_ISAL_FAILED;
}
const char *vigil_isal_error_message(const vigil_isal_inflater *inflater) { (void)inflater; return "ISA-L is not available"; }

#endif

#include "CIsal.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdlib.h>

// ISA-L's declarations, vendored (see the file), so that this layer is always compiled and the
// choice of decoder is made at run time: a build made before ISA-L was installed uses it once it is.
#include "igzip_inflate.h"

// The library's soname, the promise of the ABI the vendored declarations describe. The unversioned
// libisal.so (a development symlink) is not tried: it may name another major version, with
// another layout of `struct inflate_state`.
static const char library_name[] = "libisal.so.2";

// The three functions Vigil uses, looked up once. Opening the library at run time, rather than
// linking it, keeps a binary built with or without ISA-L runnable on a machine with or without it.
static void (*inflate_init)(struct inflate_state *);
static void (*inflate_reset)(struct inflate_state *);
static int (*inflate_step)(struct inflate_state *);
static int library_opened;
static pthread_once_t open_once = PTHREAD_ONCE_INIT;

static void open_library(void) {
    void *library = dlopen(library_name, RTLD_NOW | RTLD_LOCAL);
    if (!library) return;
    inflate_init = (void (*)(struct inflate_state *))dlsym(library, "isal_inflate_init");
    inflate_reset = (void (*)(struct inflate_state *))dlsym(library, "isal_inflate_reset");
    inflate_step = (int (*)(struct inflate_state *))dlsym(library, "isal_inflate");
    if (inflate_init && inflate_reset && inflate_step) {
        library_opened = 1;
        return;
    }
    dlclose(library);
}

struct vigil_isal_inflater {
    struct inflate_state state;
    const char *message;
};

int vigil_isal_available(void) {
    pthread_once(&open_once, open_library);
    return library_opened;
}

const char *vigil_isal_library_name(void) {
    return library_name;
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

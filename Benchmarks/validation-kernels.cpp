// CSimd against Debian's libsimdjson (3.0.1, libsimdjson-dev) on one decompressed CloudTrail file:
// the records of its Records array validated one by one, as Vigil does (CSimd also notes each
// record's members), by simdjson's DOM parser (its only fully validating API; it is given each
// record's end, which Vigil would otherwise have to find), and both on the whole file at once.
// CPU time of this thread, min and median of the repeats. Not part of the build:
//
//   gzip -dc FILE.json.gz > one.json
//   clang -O2 -c Sources/CSimd/StructuralValidation.c -ISources/CSimd/include -o /tmp/csimd.o
//   g++ -O2 -std=c++17 Benchmarks/validation-kernels.cpp /tmp/csimd.o -ISources/CSimd/include -lsimdjson -o /tmp/kernels
//   /tmp/kernels one.json [all|none|csimd-records|csimd-whole-file|simdjson-records|simdjson-whole-file] [REPEATS]
#include <simdjson.h>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <vector>
#include <algorithm>
extern "C" {
#include "CSimd.h"
}
#include <time.h>
static bool proven(vigil_simd_json_outcome o) { return o == VIGIL_SIMD_JSON_VALID || o == VIGIL_SIMD_JSON_VALID_COMPACT; }
static double now() { timespec t; clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t); return t.tv_sec + t.tv_nsec * 1e-9; }
int main(int argc, char **argv) {
    const char *mode = argc > 2 ? argv[2] : "all";
    int reps = argc > 3 ? atoi(argv[3]) : 20;
    simdjson::padded_string file = simdjson::padded_string::load(argv[1]);
    const uint8_t *b = (const uint8_t *)file.data();
    size_t n = file.size();
    // Record starts: after "[" of Records, then after each ",".
    std::vector<size_t> starts, ends;
    size_t pos = (size_t)(strstr((const char *)b, "[") - (const char *)b) + 1;
    std::vector<intptr_t> notes(4096);
    for (;;) {
        size_t nc = 0, end = 0;
        if (!proven(vigil_simd_json_validate_value(b, n, pos, 1000, notes.data(), notes.size(), &nc, &end))) break;
        starts.push_back(pos); ends.push_back(end);
        if (b[end] != ',') break;
        pos = end + 1;
    }
    fprintf(stderr, "%zu records, %zu bytes\n", starts.size(), n);
    simdjson::dom::parser parser;
    auto run = [&](const char *name, auto body) {
        if (strcmp(mode, "all") && strcmp(mode, name)) return;
        std::vector<double> t;
        for (int r = 0; r < reps; r++) {
            double a = now(); size_t ok = body(); double z = now();
            t.push_back(z - a);
            if (r == 0) fprintf(stderr, "%s: %zu ok\n", name, ok);
        }
        std::sort(t.begin(), t.end());
        printf("%-22s cpu: min %.2f ms (%.2f GB/s), median %.2f ms\n", name, t[0] * 1e3, n / t[0] / 1e9, t[t.size() / 2] * 1e3);
    };
    run("csimd-records", [&] {
        size_t ok = 0;
        for (size_t i = 0; i < starts.size(); i++) {
            size_t nc = 0, end = 0;
            ok += proven(vigil_simd_json_validate_value(b, n, starts[i], 1000, notes.data(), notes.size(), &nc, &end));
        }
        return ok;
    });
    run("csimd-whole-file", [&] {
        size_t nc = 0, end = 0;
        return (size_t)proven(vigil_simd_json_validate_value(b, n, 0, 1000, nullptr, 0, &nc, &end));
    });
    run("simdjson-records", [&] {
        size_t ok = 0;
        for (size_t i = 0; i < starts.size(); i++) {
            // The file is padded at its end, and each record is followed by more of it, so no copy.
            auto doc = parser.parse(b + starts[i], ends[i] - starts[i], false);
            ok += doc.error() == simdjson::SUCCESS;
        }
        return ok;
    });
    run("simdjson-whole-file", [&] {
        auto doc = parser.parse(file);
        return (size_t)(doc.error() == simdjson::SUCCESS);
    });
    run("simdjson-utf8-only", [&] {
        return (size_t)simdjson::validate_utf8((const char *)b, n);
    });
    return 0;
}

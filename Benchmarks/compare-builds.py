#!/usr/bin/env python3
"""Time two builds of Vigil against each other in one run: every performance change reports its
before and after from the same machine at the same moment.

    Benchmarks/compare-builds.py BASE [NEW] [--repeat 5] [--kinds cloudtrail] [--cases alert-heavy]
                                 [--corpus DIR | --size-mb 300] [--callgrind-files 4]

BASE and NEW are commits (anything `git rev-parse` takes: main, HEAD~3, a946f28). Each is checked
out in a detached git worktree under .build-bench/rev-COMMIT (a scratch directory git ignores),
built there in release mode from scratch, and its binary kept in .build-bench/bin-COMMIT/ so that
the next comparison does not build it again. Without NEW, this working tree is the new build
(built in .build-release, changes not yet committed included; named `HEAD+` when it has any).
Gzip is inflated with ISA-L where `libisal.so.2` is installed (as in every Vigil build: the
library is opened at run time); the report's machine line says which.

Then, on the same gzipped files (an AWSLogs tree from Benchmarks/make-corpus.py), every case
(`replay` with one rule, with the pack, with the pack on one job, `normalize`; on CloudTrail also
a rule that never matches and the alert-heavy rule set with its alerts written to a file and to
/dev/null) runs on both builds and `gzip -dc` round by round, the builds' order swapped every
round, so the machine's noise falls on all alike. It prints and writes to
.build-bench/compare-BASE.md the medians, the ratio NEW ÷ BASE, each ÷ `gzip -dc`, CPU seconds,
peak memory, what one alert costs (alert-heavy minus never-matching over the number of alerts),
whether the two builds wrote the same alert file, and with --callgrind-files N instruction counts
of the alert cases on N files (figures the machine's load does not change).

The timing itself is run-benchmarks.py's (`compare`), so the suite and this script measure the
same cases the same way.
"""
import argparse
import importlib.util
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def load_suite():
    """Benchmarks/run-benchmarks.py as a module (its name has a hyphen, so no plain import)."""
    spec = importlib.util.spec_from_file_location("run_benchmarks", os.path.join(HERE, "run-benchmarks.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base", metavar="BASE", help="the commit to compare against (the 'before')")
    parser.add_argument("new", metavar="NEW", nargs="?", help="the commit to compare (the 'after'); this working tree if absent")
    parser.add_argument("--repeat", type=int, default=5, help="rounds per case (the medians are over these)")
    parser.add_argument("--kinds", default="cloudtrail,vpcflowlogs,guardduty", help="input kinds to time, comma-separated")
    parser.add_argument("--cases", default="", help="only cases whose name holds one of these words, comma-separated "
                        "(e.g. alert-heavy,never-matching)")
    parser.add_argument("--size-mb", type=float, default=300, help="decompressed size of the corpus to write")
    parser.add_argument("--corpus", help="an AWSLogs tree to read instead of the one --size-mb writes")
    parser.add_argument("--callgrind-files", type=int, default=0, metavar="N",
                        help="also count instructions under callgrind on the first N CloudTrail files")
    arguments = parser.parse_args()
    suite = load_suite()
    if not arguments.new:
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", os.path.join(suite.ROOT, ".build-release"),
                        "--product", "vigil"], cwd=suite.ROOT, check=True)
    corpus = arguments.corpus or os.path.join(suite.BENCH, f"corpus-{arguments.size_mb:g}mb")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(HERE, "make-corpus.py"), "--size-mb", str(arguments.size_mb),
                        "--out", corpus], check=True)
    suite.compare(arguments.base, corpus, arguments.repeat, against=arguments.new,
                  kinds=tuple(arguments.kinds.split(",")), callgrind_files=arguments.callgrind_files,
                  cases=tuple(word for word in arguments.cases.split(",") if word))


if __name__ == "__main__":
    main()

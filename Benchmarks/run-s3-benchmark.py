#!/usr/bin/env python3
"""Reading from S3 against reading from disk: `vigil replay s3://…` with the rule pack on a local
S3 endpoint (moto's server, started here on 127.0.0.1) against `vigil replay DIR` on the same
files, alternating, with `gzip -dc` of the files as the machine's baseline.

    Benchmarks/run-s3-benchmark.py [--size-mb 300] [--repeat 5]

It uses the release build and the corpus that run-benchmarks.py makes (.build-bench/corpus-Nmb,
made here when missing) and prints medians and the ratio S3/disk (the issue's target: 1.5 or less).
moto serves objects from one Python process, so the ratio includes its overhead.
"""
import argparse
import os
import socket
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
VIGIL = os.path.join(ROOT, ".build-release", "release", "vigil")
FIXTURE = os.path.join(ROOT, "Tests", "VigilTestSupport", "moto_fixture.py")


def timed(command, environment):
    """Wall seconds and peak memory (MB) of one run."""
    start = time.monotonic()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=environment)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        sys.exit(f"{command[0]} failed: {process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss / 1024


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--size-mb", type=float, default=300)
    parser.add_argument("--repeat", type=int, default=5)
    arguments = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--scratch-path", os.path.join(ROOT, ".build-release"),
                    "--product", "vigil"], check=True, cwd=ROOT)
    corpus = os.path.join(ROOT, ".build-bench", f"corpus-{arguments.size_mb:g}mb")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "make-corpus.py"), "--size-mb",
                        str(arguments.size_mb), "--out", corpus], check=True)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}"
    moto = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        subprocess.run([sys.executable, FIXTURE, endpoint, "setup", "bench", "unused", "30"], check=True, stdout=subprocess.DEVNULL)
        subprocess.run([sys.executable, FIXTURE, endpoint, "put-dir", "bench", corpus], check=True)
        environment = dict(os.environ, AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_REGION="us-east-1")
        files = [os.path.join(root, name) for root, _, names in os.walk(corpus) for name in names]
        runs = {"gzip -dc": [], "disk": [], "s3": []}
        memory = {"disk": [], "s3": []}
        for _ in range(arguments.repeat):
            runs["gzip -dc"].append(timed(["gzip", "-dc"] + files, environment)[0])
            for name, source in (("disk", [corpus]), ("s3", ["--endpoint-url", endpoint, "s3://bench/"])):
                seconds, peak = timed([VIGIL, "replay", "--rules", os.path.join(ROOT, "Rules"), "--quiet"] + source, environment)
                runs[name].append(seconds)
                memory[name].append(peak)
        medians = {name: statistics.median(values) for name, values in runs.items()}
        for name, value in medians.items():
            peak = f", peak {statistics.median(memory[name]):.0f} MB" if name in memory else ""
            print(f"{name:>9}: {value:.2f} s (runs {', '.join(f'{v:.2f}' for v in runs[name])}){peak}")
        print(f"S3 / disk: {medians['s3'] / medians['disk']:.2f} x (target: 1.5 x or less)")
    finally:
        moto.kill()
        moto.wait()


if __name__ == "__main__":
    main()

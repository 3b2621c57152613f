#!/usr/bin/env python3
"""Vigil's benchmark suite: one command, results in BENCHMARKS.md.

    Benchmarks/run-benchmarks.py [--size-mb 1000] [--repeat 3] [--no-build]
    Benchmarks/run-benchmarks.py --compare REV [--size-mb 300] [--repeat 5]

It builds Vigil in release mode, writes a reproducible AWSLogs tree (Benchmarks/make-corpus.py)
and synthetic rule sets under .build-bench/, then times, side by side in the same run on the same
files: `gzip -dc`, the `zcat | jq` (or `jq -R` for flow logs) filter equivalent to one rule, and
`vigil replay` with that one rule, with the shipped rule pack, and with 20, 200 and 2,000 rules.
For each it records wall time (median of --repeat runs), CPU seconds and peak memory (from
wait4), and writes events/s, decompressed MB/s and the ratios to the baselines into
BENCHMARKS.md, with the machine they came from and a chart of throughput against rule count
(Benchmarks/throughput-by-rules.svg).

With --compare REV it builds that commit's vigil too (a detached worktree under .build-bench/) and
times the two builds against each other instead: replay with one rule, with the pack and with the
pack on one job, and normalize, for every input kind, the two binaries alternating run by run so
that the machine's noise falls on both alike; it prints the medians and the ratios (this build ÷
REV's) and writes them to .build-bench/compare-REV.md. BENCHMARKS.md is left as it is.
"""
import argparse
import datetime
import glob
import json
import os
import platform
import random
import shlex
import statistics
import subprocess
import sys
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
BENCH = os.path.join(ROOT, ".build-bench")
VIGIL = os.path.join(ROOT, ".build-release", "release", "vigil")

# One rule per kind, and the jq filter that does the same.
ONE_RULE = {
    "cloudtrail": ({"source": ["aws.rds"], "detail": {"eventName": ["DeleteDBInstance"]}},
                   "jq -c '.Records[] | select(.eventSource == \"rds.amazonaws.com\" and .eventName == \"DeleteDBInstance\")'"),
    "vpcflowlogs": ({"source": ["aws.vpcflowlogs"], "detail": {"dstport": [5432], "action": ["REJECT"]}},
                    "jq -R -c 'split(\" \") | select(.[6] == \"5432\" and .[12] == \"REJECT\")'"),
    "guardduty": ({"source": ["aws.guardduty"], "detail": {"severity": [{"numeric": [">=", 7]}]}},
                  "jq -c 'select(.severity >= 7)'"),
}
SERVICE = {"cloudtrail": "CloudTrail", "vpcflowlogs": "vpcflowlogs", "guardduty": "GuardDuty"}


def descendants(pid):
    """The processes below `pid` (the commands of a shell line)."""
    found, queue = [], [pid]
    while queue:
        parent = queue.pop()
        try:
            for task in os.listdir(f"/proc/{parent}/task"):
                with open(f"/proc/{parent}/task/{task}/children") as handle:
                    children = [int(child) for child in handle.read().split()]
                found += children
                queue += children
        except OSError:
            pass
    return found


def peak_resident_mb(pids):
    """The largest peak resident set (VmHWM) among `pids`, in MB."""
    peak = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/status") as handle:
                for line in handle:
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]) / 1024)
        except OSError:
            pass
    return peak


def run(command, repeat):
    """Runs `command` (a shell line) `repeat` times; returns the median wall time, with the CPU
    seconds (wait4) and the peak memory (MB) of that run. Peak memory is sampled from /proc every
    20 ms over the processes the line starts (wait4's maxrss would count the benchmark's own
    memory, which a forked child starts with)."""
    samples = []
    for _ in range(repeat):
        start = time.monotonic()
        process = subprocess.Popen(["bash", "-c", command], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        peak = 0
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            peak = max(peak, peak_resident_mb([process.pid] + descendants(process.pid)))
            time.sleep(0.02)
        wall = time.monotonic() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        error = process.stderr.read().decode(errors="replace")
        if process.returncode not in (0, 1):
            sys.exit(f"failed ({process.returncode}): {command}\n{error}")
        samples.append((wall, usage.ru_utime + usage.ru_stime, peak))
    samples.sort()
    return samples[len(samples) // 2]


# The rules of every synthetic set that name APIs the corpus has; all others are near misses.
MATCHING_RULES = (9, 13)


def write_rules(directory, count, pool):
    """`count` rules of the kinds the pack has: names, prefixes, CIDRs, numbers, wildcards.

    Like real detection rules, few of them match: the same two rules in every set name APIs the
    corpus has, the others are near misses (same service, a name that differs in its last
    letters). Every set begins with the same rules (one seed), so the sets raise the same
    alerts and differ only in how many rules the matcher holds: rule count is measured apart
    from alert rate, which the scaling table measures on its own."""
    os.makedirs(directory, exist_ok=True)
    rng = random.Random(7)
    for index in range(count):
        source, name = rng.choice(pool)
        if index not in MATCHING_RULES:
            name = name + rng.choice(["V2", "Batch", "Async", "Legacy", "Internal"]) + str(index)
        shape = index % 5
        if shape == 0:
            detail = {"eventName": [name]}
        elif shape == 1:
            detail = {"eventName": [{"prefix": name[:-2] if index not in MATCHING_RULES else name[:4]}], "errorCode": [{"exists": False}]}
        elif shape == 2:
            detail = {"sourceIPAddress": [{"cidr": f"{rng.randrange(1, 223)}.{rng.randrange(256)}.0.0/16"}]}
        elif shape == 3:
            detail = {"eventName": [{"wildcard": f"*{name[-5:]}"}], "userIdentity": {"type": ["IAMUser", "AssumedRole"]}}
        else:
            detail = {"eventName": [name], "awsRegion": [rng.choice(["us-east-1", "eu-west-1"])]}
        rule = {"name": f"synthetic-{index:05d}", "severity": "low",
                "eventPattern": {"source": ["aws." + source.split(".")[0]], "detail": detail}}
        with open(os.path.join(directory, f"r{index:05d}.json"), "w") as handle:
            json.dump(rule, handle)


def machine():
    model = "unknown"
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            model = line.split(":", 1)[1].strip()
            break
    memory = int(open("/proc/meminfo").readline().split()[1]) / 1024 / 1024
    swift = subprocess.run(["swift", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    isal = any(os.path.exists(p) for p in glob.glob("/usr/lib/*/libisal.so.2"))
    return (f"{model}, {os.cpu_count()} cores, {memory:.0f} GiB, Linux {platform.release()}; {swift}; "
            f"gzip decoding with {'ISA-L' if isal else 'zlib'}")


def chart(points, path):
    """An SVG line chart of MB/s against rule count (log scale)."""
    import math
    width, height, left, bottom = 560, 320, 60, 40
    xs = [math.log10(count) for count, _ in points]
    top = max(rate for _, rate in points) * 1.15
    def x(value): return left + (value - min(xs)) / (max(xs) - min(xs) or 1) * (width - left - 20)
    def y(value): return height - bottom - value / top * (height - bottom - 20)
    line = " ".join(f"{x(math.log10(c)):.1f},{y(r):.1f}" for c, r in points)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="12">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{left}" y1="{height - bottom}" x2="{width - 10}" y2="{height - bottom}" stroke="black"/>',
             f'<line x1="{left}" y1="10" x2="{left}" y2="{height - bottom}" stroke="black"/>',
             f'<polyline points="{line}" fill="none" stroke="#1f77b4" stroke-width="2"/>',
             f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle">rules (log scale)</text>',
             f'<text x="14" y="{height / 2}" transform="rotate(-90 14 {height / 2})" text-anchor="middle">decompressed MB/s</text>']
    for count, rate in points:
        parts.append(f'<circle cx="{x(math.log10(count)):.1f}" cy="{y(rate):.1f}" r="4" fill="#1f77b4"/>')
        parts.append(f'<text x="{x(math.log10(count)):.1f}" y="{height - bottom + 16}" text-anchor="middle">{count}</text>')
        parts.append(f'<text x="{x(math.log10(count)):.1f}" y="{y(rate) - 8:.1f}" text-anchor="middle">{rate:.0f}</text>')
    parts.append("</svg>")
    open(path, "w").write("\n".join(parts) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=1000, help="decompressed size of the corpus (all kinds)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-build", action="store_true")
    parser.add_argument("--out", default=os.path.join(ROOT, "BENCHMARKS.md"))
    parser.add_argument("--report-only", action="store_true", help="write BENCHMARKS.md from the last results.json")
    parser.add_argument("--compare", metavar="REV", help="time this build against the vigil of commit REV instead")
    arguments = parser.parse_args()
    if arguments.report_only:
        results = json.load(open(os.path.join(BENCH, "results.json")))
        arguments.size_mb = results["size_mb"]
        write_report(results, arguments)
        return

    if not arguments.no_build:
        subprocess.run(["swift", "build", "-c", "release", "--scratch-path", os.path.join(ROOT, ".build-release"),
                        "--product", "vigil"], cwd=ROOT, check=True)
    corpus = os.path.join(BENCH, f"corpus-{arguments.size_mb:g}mb")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "make-corpus.py"), "--size-mb",
                        str(arguments.size_mb), "--out", corpus], check=True)
    if arguments.compare:
        compare(arguments.compare, corpus, arguments.repeat)
        return

    pool = sorted({(r["eventSource"], r["eventName"]) for path in glob.glob(os.path.join(corpus, "AWSLogs/*/CloudTrail/*/*/*/*/*.json.gz"))[:3]
                   for r in json.loads(subprocess.run(["gzip", "-dc", path], capture_output=True).stdout)["Records"]})
    rule_sets = {}
    for count in (20, 200, 2000, 10000):
        directory = os.path.join(BENCH, f"rules-v3-{count}")
        if not os.path.isdir(directory):
            write_rules(directory, count, pool)
        rule_sets[count] = directory
    one_rules = {}
    for kind, (pattern, _) in ONE_RULE.items():
        directory = os.path.join(BENCH, f"one-rule-{kind}")
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "rule.json"), "w") as handle:
            json.dump({"name": f"one-{kind}", "severity": "low", "eventPattern": pattern}, handle)
        one_rules[kind] = directory

    results = {"machine": machine(), "date": datetime.date.today().isoformat(), "size_mb": arguments.size_mb, "kinds": {}, "rules": []}
    for kind in ("cloudtrail", "vpcflowlogs", "guardduty"):
        files = sorted(glob.glob(os.path.join(corpus, "AWSLogs", "*", SERVICE[kind], "**", "*.gz"), recursive=True))
        quoted = " ".join(shlex.quote(f) for f in files)
        decompressed = int(subprocess.run(f"gzip -dc {quoted} | wc -c", shell=True, capture_output=True, text=True).stdout)
        stats = subprocess.run(f"{VIGIL} replay --rules {one_rules[kind]} --sink file:/dev/null {quoted}", shell=True,
                               capture_output=True, text=True).stderr
        events = int(stats.split(" records")[0].split(", ")[-1].replace(",", ""))
        gzip_time = run(f"gzip -dc {quoted} > /dev/null", arguments.repeat)
        jq_time = run(f"zcat {quoted} | {ONE_RULE[kind][1]} > /dev/null", arguments.repeat)
        one = run(f"{VIGIL} replay --quiet --rules {one_rules[kind]} --sink file:/dev/null {quoted}", arguments.repeat)
        pack = run(f"{VIGIL} replay --quiet --rules {ROOT}/Rules --sink file:/dev/null {quoted}", arguments.repeat)
        pack_one_job = run(f"{VIGIL} replay --quiet --jobs 1 --rules {ROOT}/Rules --sink file:/dev/null {quoted}", arguments.repeat)
        results["kinds"][kind] = {"files": len(files), "events": events, "mb": decompressed / 1e6, "gzip": gzip_time,
                                  "jq": jq_time, "one": one, "pack": pack, "pack_one_job": pack_one_job}
        print(kind, results["kinds"][kind], flush=True)

    files = sorted(glob.glob(os.path.join(corpus, "AWSLogs", "*", "CloudTrail", "**", "*.gz"), recursive=True))
    quoted = " ".join(shlex.quote(f) for f in files)
    megabytes = results["kinds"]["cloudtrail"]["mb"]
    for count, directory in [(1, one_rules["cloudtrail"])] + sorted(rule_sets.items()):
        timing = run(f"{VIGIL} replay --quiet --rules {directory} --sink file:/dev/null {quoted}", arguments.repeat)
        results["rules"].append({"rules": count, "time": timing, "mb_per_s": megabytes / timing[0]})
        print("rules", count, timing, flush=True)

    results["scaling"] = scaling(corpus, arguments.repeat)

    with open(os.path.join(BENCH, "results.json"), "w") as handle:
        json.dump(results, handle, indent=1)
    chart([(entry["rules"], entry["mb_per_s"]) for entry in results["rules"]],
          os.path.join(ROOT, "Benchmarks", "throughput-by-rules.svg"))
    write_report(results, arguments)


def build_revision(revision):
    """The release vigil of commit `revision`, built in a detached worktree of its own."""
    commit = subprocess.run(["git", "rev-parse", "--short", revision], cwd=ROOT, check=True, capture_output=True,
                            text=True).stdout.strip()
    source = os.path.join(BENCH, f"rev-{commit}")
    if not os.path.isdir(source):
        subprocess.run(["git", "worktree", "add", "--detach", source, commit], cwd=ROOT, check=True)
    subprocess.run(["swift", "build", "-c", "release", "--product", "vigil"], cwd=source, check=True)
    return commit, os.path.join(source, ".build", "release", "vigil")


def compare(revision, corpus, repeat):
    """Times this build's vigil against `revision`'s on the same files, alternating run by run."""
    commit, baseline = build_revision(revision)
    one_rules = os.path.join(BENCH, "one-rule-{}")
    rows = []
    for kind in ("cloudtrail", "vpcflowlogs", "guardduty"):
        directory = one_rules.format(kind)
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "rule.json"), "w") as handle:
            json.dump({"name": f"one-{kind}", "severity": "low", "eventPattern": ONE_RULE[kind][0]}, handle)
        files = sorted(glob.glob(os.path.join(corpus, "AWSLogs", "*", SERVICE[kind], "**", "*.gz"), recursive=True))
        quoted = " ".join(shlex.quote(f) for f in files)
        commands = {
            "replay, 1 rule": f"replay --quiet --rules {directory} --sink file:/dev/null {quoted}",
            "replay, pack": f"replay --quiet --rules {ROOT}/Rules --sink file:/dev/null {quoted}",
            "replay, pack, --jobs 1": f"replay --quiet --jobs 1 --rules {ROOT}/Rules --sink file:/dev/null {quoted}",
            "normalize": f"normalize {quoted}",
        }
        gzip_time = run(f"gzip -dc {quoted} > /dev/null", repeat)[0]
        for name, arguments in commands.items():
            before, after = [], []
            for _ in range(repeat):
                before.append(run(f"{baseline} {arguments}", 1))
                after.append(run(f"{VIGIL} {arguments}", 1))
            before.sort()
            after.sort()
            row = (kind, name, gzip_time, before[len(before) // 2], after[len(after) // 2])
            rows.append(row)
            print(kind, name, f"{commit}: {row[3][0]:.3f} s", f"this build: {row[4][0]:.3f} s",
                  f"ratio {row[4][0] / row[3][0]:.3f}", flush=True)
    lines = [f"# This build against {commit}", "",
             f"`Benchmarks/run-benchmarks.py --compare {revision} --repeat {repeat}`, {datetime.date.today().isoformat()}, "
             f"release builds, the two binaries alternating run by run, medians. Machine: {machine()}.", "",
             f"| input | command | `gzip -dc` s | {commit} s | this build s | ratio | CPU s {commit} | CPU s this build |",
             "|---|---|---:|---:|---:|---:|---:|---:|"]
    for kind, name, gzip_time, before, after in rows:
        lines.append(f"| {kind} | {name} | {gzip_time:.2f} | {before[0]:.3f} | {after[0]:.3f} | {after[0] / before[0]:.3f} | "
                     f"{before[1]:.2f} | {after[1]:.2f} |")
    report = "\n".join(lines) + "\n"
    with open(os.path.join(BENCH, f"compare-{commit}.md"), "w") as handle:
        handle.write(report)
    print(report)


def scaling(corpus, repeat):
    """How cost grows with file count, file size and alert rate, on CloudTrail."""
    rng = random.Random(11)
    pool_file = sorted(glob.glob(os.path.join(corpus, "AWSLogs", "*", "CloudTrail", "**", "*.gz"), recursive=True))[0]
    records = json.loads(subprocess.run(["gzip", "-dc", pool_file], capture_output=True).stdout)["Records"]
    rows = {"files": [], "size": [], "alerts": []}

    def write_tree(directory, files, records_per_file):
        import gzip
        os.makedirs(directory, exist_ok=True)
        for index in range(files):
            day = os.path.join(directory, f"d{index // 500:03d}")
            os.makedirs(day, exist_ok=True)
            chosen = [dict(rng.choice(records), eventID=f"scale-{files}-{index}-{n}") for n in range(records_per_file)]
            with gzip.GzipFile(os.path.join(day, f"f{index:06d}.json.gz"), "wb", mtime=0) as handle:
                handle.write(json.dumps({"Records": chosen}, separators=(",", ":")).encode())

    for files in (10, 1000, 10000, 100000):
        directory = os.path.join(BENCH, f"scale-files-{files}")
        if not os.path.isdir(directory):
            write_tree(directory, files, 2)
        timing = run(f"{VIGIL} replay --quiet --rules {ROOT}/Rules --sink file:/dev/null {directory}", repeat)
        rows["files"].append({"files": files, "time": timing, "per_file_ms": timing[0] / files * 1000})
        print("files", files, timing, flush=True)
    for megabytes in (1, 10, 100, 1000):
        directory = os.path.join(BENCH, f"scale-size-{megabytes}")
        if not os.path.isdir(directory):
            write_tree(directory, 1, int(megabytes * 1e6 / 1400))
        mb = int(subprocess.run(f"gzip -dc {directory}/*/*.gz | wc -c", shell=True, capture_output=True, text=True).stdout) / 1e6
        timing = run(f"{VIGIL} replay --quiet --rules {ROOT}/Rules --sink file:/dev/null {directory}", repeat)
        rows["size"].append({"mb": mb, "time": timing, "mb_per_s": mb / timing[0]})
        print("size", megabytes, timing, flush=True)
    files = " ".join(shlex.quote(f) for f in sorted(glob.glob(os.path.join(corpus, "AWSLogs", "*", "CloudTrail", "**", "*.gz"), recursive=True)))
    for name, pattern in [("none", {"source": ["aws.nothing"]}), ("every event", {"source": [{"prefix": ""}]})]:
        directory = os.path.join(BENCH, "alert-rate-" + name.replace(" ", "-"))
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, "rule.json"), "w") as handle:
            json.dump({"name": "rate", "severity": "low", "eventPattern": pattern}, handle)
        timing = run(f"{VIGIL} replay --quiet --rules {directory} --sink file:/dev/null {files}", repeat)
        rows["alerts"].append({"alerts": name, "time": timing})
        print("alerts", name, timing, flush=True)
    return rows


def write_report(results, arguments):
    names = {"cloudtrail": "CloudTrail", "vpcflowlogs": "VPC Flow Logs", "guardduty": "GuardDuty"}
    lines = ["# Benchmarks", "",
             f"Last run: {results['date']}, `Benchmarks/run-benchmarks.py --size-mb {arguments.size_mb:g} --repeat {arguments.repeat}`, "
             "release build, every figure the median of the repeats, all commands timed side by side in the same run on the "
             "same gzipped files (an AWSLogs tree from `Benchmarks/make-corpus.py`).", "",
             f"Machine: {results['machine']}.", "",
             "## By input kind", "",
             "`vigil` is `vigil replay --sink file:/dev/null` with the default `--jobs` (one per core); *pack* is the shipped "
             "rule pack (`Rules/`), *1 rule* the single rule that `jq` filter is equivalent to.", "",
             "| input | files | events | MB (decompressed) | `gzip -dc` s | `zcat \\| jq` s | vigil, 1 rule s | vigil, pack s | vigil, pack, `--jobs 1` s | pack ÷ `gzip -dc` | `zcat \\| jq` ÷ vigil 1 rule | events/s (pack) | MB/s (pack) | CPU s (pack) | peak MB (pack) |",
             "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for kind, entry in results["kinds"].items():
        pack = entry["pack"]
        lines.append(f"| {names[kind]} | {entry['files']} | {entry['events']:,} | {entry['mb']:.0f} | {entry['gzip'][0]:.2f} | "
                     f"{entry['jq'][0]:.2f} | {entry['one'][0]:.2f} | {pack[0]:.2f} | {entry['pack_one_job'][0]:.2f} | "
                     f"{pack[0] / entry['gzip'][0]:.2f} | {entry['jq'][0] / entry['one'][0]:.1f} | "
                     f"{entry['events'] / pack[0]:,.0f} | {entry['mb'] / pack[0]:.0f} | {pack[1]:.2f} | {pack[2]:.0f} |")
    lines += ["", "## Rule count (CloudTrail)", "", "![throughput against rule count](Benchmarks/throughput-by-rules.svg)", "",
              "| rules | s | MB/s | ÷ time with 20 rules | peak MB |", "|---:|---:|---:|---:|---:|"]
    twenty = next(entry["time"][0] for entry in results["rules"] if entry["rules"] == 20)
    for entry in results["rules"]:
        lines.append(f"| {entry['rules']:,} | {entry['time'][0]:.2f} | {entry['mb_per_s']:.0f} | {entry['time'][0] / twenty:.2f} | {entry['time'][2]:.0f} |")
    lines += ["", "Synthetic rules mix the pack's shapes: exact names, prefixes, CIDRs, wildcards and nested fields. "
              "Like real detection rules few match: every set holds the same two rules that name APIs the corpus has, "
              "and near misses of them for the rest (same service, a name that differs in its last letters), so every "
              "set raises the same alerts and only the number of rules the matcher holds changes "
              "(`Benchmarks/run-benchmarks.py`, `write_rules`; alert rate is measured on its own below). Times include "
              "loading and compiling the rules: about 0.07 s for 2,000 rule files and 0.26 s for 10,000. "
              "The machine is shared: compare ratios within one run, not figures across runs.", ""]
    scaling_rows = results.get("scaling")
    if scaling_rows:
        lines += ["## Scaling (CloudTrail, the rule pack)", "",
                  "| files of 2 records | s | ms per file | peak MB |", "|---:|---:|---:|---:|"]
        for row in scaling_rows["files"]:
            lines.append(f"| {row['files']:,} | {row['time'][0]:.2f} | {row['per_file_ms']:.3f} | {row['time'][2]:.0f} |")
        lines += ["", "| one file of | s | MB/s | peak MB |", "|---:|---:|---:|---:|"]
        for row in scaling_rows["size"]:
            lines.append(f"| {row['mb']:.0f} MB | {row['time'][0]:.2f} | {row['mb_per_s']:.0f} | {row['time'][2]:.0f} |")
        lines += ["", "| alerts (all CloudTrail above) | s | CPU s | peak MB |", "|---|---:|---:|---:|"]
        for row in scaling_rows["alerts"]:
            lines.append(f"| {row['alerts']} | {row['time'][0]:.2f} | {row['time'][1]:.2f} | {row['time'][2]:.0f} |")
        lines.append("")
    cloudtrail = results["kinds"]["cloudtrail"]
    two_thousand = next(entry for entry in results["rules"] if entry["rules"] == 2000)
    peak = max([entry["pack"][2] for entry in results["kinds"].values()] + [entry["time"][2] for entry in results["rules"]]
               + [row["time"][2] for row in (scaling_rows or {}).get("size", [])])
    def verdict(met): return "met" if met else "**not met**"
    lines += ["## Against the targets", "",
              "| target | measured | |", "|---|---:|---|",
              f"| CloudTrail replay with the pack ≤ 0.5 × `gzip -dc` | {cloudtrail['pack'][0] / cloudtrail['gzip'][0]:.2f} × | {verdict(cloudtrail['pack'][0] / cloudtrail['gzip'][0] <= 0.5)} |",
              f"| ≥ 20 × faster than `zcat \\| jq` with one rule's filter | {cloudtrail['jq'][0] / cloudtrail['one'][0]:.1f} × | {verdict(cloudtrail['jq'][0] / cloudtrail['one'][0] >= 20)} |",
              f"| 2,000 rules ≤ 1.5 × the time with 20 | {two_thousand['time'][0] / twenty:.1f} × | {verdict(two_thousand['time'][0] / twenty <= 1.5)} |",
              f"| peak memory < 200 MB | {peak:.0f} MB | {verdict(peak < 200)} |", ""]
    open(arguments.out, "w").write("\n".join(lines))
    print("wrote", arguments.out)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The report of a large replay: how long `vigil report` takes, how big the file is, and how long
headless Chromium takes to open it — the issue's targets are under 20 MB and under 3 s for
100,000 alerts.

    Benchmarks/run-report-benchmark.py [--alerts 100000] [--repeat 3]

Alerts come from a real replay: the benchmark corpus (make-corpus.py, made under .build-bench when
missing) replayed with three broad rules (every API call, rejected flows, GuardDuty findings), the
first ALERTS lines kept. `vigil report` runs REPEAT times (wall, CPU, peak memory); the report is
then loaded REPEAT times in Debian's `chromium` through the browser tests' DevTools client
(Tests/VigilReportTests/Browser/cdp_check.py), which also checks that the page drew its first
page of alerts and knows all of them, with no console message and no exception. Medians printed.
"""
import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
VIGIL = os.path.join(ROOT, ".build-release", "release", "vigil")
CDP_CHECK = os.path.join(ROOT, "Tests", "VigilReportTests", "Browser", "cdp_check.py")
BROAD_RULES = [
    {"name": "every-api-call", "severity": "medium", "eventPattern": {"detail-type": [{"suffix": "via CloudTrail"}]}},
    {"name": "rejected-flow", "severity": "low", "eventPattern": {"source": ["aws.vpcflowlogs"], "detail": {"action": ["REJECT"]}}},
    {"name": "guardduty-finding", "severity": "high", "eventPattern": {"source": ["aws.guardduty"]}},
]
# What the page says once loaded: alerts drawn (one page), alerts it holds, and the range shown.
EXPRESSION = """JSON.stringify({
  shown: document.querySelectorAll('details.alert').length,
  held: JSON.parse(document.getElementById('alert-data').textContent).rows.length,
  range: document.getElementById('alert-range').textContent})"""


def alerts_file(count, workdir):
    """A JSON Lines file of `count` alerts from a replay of the benchmark corpus."""
    size_mb = max(50, count * 1.6 / 1000)  # about 1.6 kB of decoded logs per alert with these rules
    corpus = os.path.join(ROOT, ".build-bench", f"corpus-{size_mb:g}mb")
    if not os.path.isdir(corpus):
        subprocess.run([sys.executable, os.path.join(ROOT, "Benchmarks", "make-corpus.py"), "--size-mb", f"{size_mb:g}",
                        "--out", corpus], check=True)
    rules = os.path.join(workdir, "broad.json")
    with open(rules, "w") as file:
        json.dump(BROAD_RULES, file)
    everything = os.path.join(workdir, "all-alerts.jsonl")
    with open(everything, "wb") as out:
        status = subprocess.run([VIGIL, "replay", "--rules", rules, "--output", "json", corpus], stdout=out,
                                stderr=subprocess.DEVNULL).returncode
    if status not in (0, 1):
        sys.exit(f"vigil replay failed ({status})")
    chosen = os.path.join(workdir, "alerts.jsonl")
    written = 0
    with open(everything, "rb") as source, open(chosen, "wb") as out:
        for line in source:
            if written == count:
                break
            out.write(line)
            written += 1
    if written < count:
        sys.exit(f"the corpus gave only {written} alerts; delete {corpus} and raise its size")
    return chosen


def timed_report(alerts, report):
    """Wall seconds, CPU seconds and peak memory (MB) of one `vigil report`."""
    start = time.monotonic()
    process = subprocess.Popen([VIGIL, "report", alerts, "-o", report], stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.monotonic() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"vigil report failed: {process.stderr.read().decode()}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def browser_load(chromium, report, count):
    """Chromium's load time (navigation to the load event, ms), after checking what the page shows."""
    output = subprocess.run([sys.executable, CDP_CHECK, chromium, report, EXPRESSION], capture_output=True, text=True,
                            timeout=900)
    if output.returncode != 0:
        sys.exit(f"cdp_check.py failed: {output.stderr}")
    outcome = json.loads(output.stdout)
    page = json.loads(outcome["result"])
    problems = []
    if outcome["console"] or outcome["exceptions"]:
        problems.append(f"console {outcome['console']}, exceptions {outcome['exceptions']}")
    if page["held"] != count or page["shown"] != min(count, 250):
        problems.append(f"the page holds {page['held']} alerts and shows {page['shown']}")
    if len(outcome["requests"]) != 1:
        problems.append(f"requests beyond the file: {outcome['requests']}")
    if problems:
        sys.exit("the report is not right: " + "; ".join(problems))
    return outcome["load_ms"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--alerts", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    arguments = parser.parse_args()
    subprocess.run(["swift", "build", "-c", "release", "--scratch-path", os.path.join(ROOT, ".build-release"),
                    "--product", "vigil"], check=True, cwd=ROOT)
    with tempfile.TemporaryDirectory() as workdir:
        alerts = alerts_file(arguments.alerts, workdir)
        report = os.path.join(workdir, "report.html")
        runs = [timed_report(alerts, report) for _ in range(arguments.repeat)]
        loads = [browser_load(arguments.chromium, report, arguments.alerts) for _ in range(arguments.repeat)]
        alerts_mb = os.path.getsize(alerts) / 1e6
        report_mb = os.path.getsize(report) / 1e6
    wall = statistics.median(run[0] for run in runs)
    cpu = statistics.median(run[1] for run in runs)
    memory = max(run[2] for run in runs)
    load = statistics.median(loads) / 1000
    print(f"{arguments.alerts} alerts ({alerts_mb:.1f} MB of JSON Lines), medians of {arguments.repeat}, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| measure | figure | target |")
    print("|---|---|---|")
    print(f"| `vigil report` wall / CPU | {wall:.2f} s / {cpu:.2f} s | |")
    print(f"| `vigil report` peak memory | {memory:.0f} MB | |")
    print(f"| report size | {report_mb:.1f} MB | under 20 MB |")
    print(f"| Chromium load (navigation to load event) | {load:.2f} s | under 3 s |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes a realistic, reproducible AWSLogs tree of a chosen size for the benchmarks.

    Benchmarks/make-corpus.py --size-mb 1000 --out .build-bench/corpus

The tree has S3's layout (AWSLogs/ACCOUNT/SERVICE/REGION/YYYY/MM/DD/...), gzipped as AWS
delivers it:

* CloudTrail log files {"Records":[...]}: records drawn from the shared corpus (Stratus Red Team
  detonations, Panther test events, AWS documentation examples: ../shared/corpus/cloudtrail, see
  its SOURCES.md), each with a fresh eventID, time and account so that no two are alike;
* VPC flow logs, half in the default v2 format (no header) and half in a v5 custom format with its
  header line, with a realistic mix of ACCEPT/REJECT, ports and addresses;
* GuardDuty findings as the JSON Lines export, drawn from the shared corpus' AWS samples.

Sizes are decompressed bytes: 70 % CloudTrail, 25 % flow logs, 5 % GuardDuty. The same size and
seed give byte-identical files.
"""
import argparse
import glob
import gzip
import json
import os
import random
import uuid

CORPUS = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "corpus")
ACCOUNTS = ["111122223333", "444455556666", "777788889999"]
REGIONS = ["us-east-1", "eu-west-1"]
V5_FIELDS = ("version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end "
             "action log-status vpc-id subnet-id instance-id tcp-flags type pkt-srcaddr pkt-dstaddr region "
             "az-id sublocation-type sublocation-id pkt-src-aws-service pkt-dst-aws-service flow-direction traffic-path")


def cloudtrail_pool():
    records = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "cloudtrail", "stratus-red-team", "*.json"))):
        records += json.load(open(path))
    for path in sorted(glob.glob(os.path.join(CORPUS, "cloudtrail", "aws-docs", "log-file-example-*.json"))):
        records += json.load(open(path)).get("Records", [])
    for line in open(os.path.join(CORPUS, "cloudtrail", "panther-tests", "AWS.CloudTrail.jsonl")):
        line = line.strip()
        if line:
            record = json.loads(line)
            if isinstance(record, dict) and "eventSource" in record:
                records.append(record)
    return [r for r in records if isinstance(r, dict) and "eventSource" in r and "eventName" in r]


def guardduty_pool():
    findings = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "guardduty", "**", "*.json"), recursive=True)):
        try:
            value = json.load(open(path))
        except ValueError:
            continue
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, dict) and "detail" in item and isinstance(item["detail"], dict):
                item = item["detail"]
            if isinstance(item, dict) and "severity" in item and "type" in item:
                findings.append(item)
    return findings


def iso(seconds):
    import time
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(seconds))


class Writer:
    def __init__(self, out, rng, file_size):
        self.out, self.rng, self.file_size = out, rng, file_size
        self.base = 1763596800  # 2025-11-20T00:00:00Z

    def path(self, account, service, region, when, name):
        import time
        day = time.strftime("%Y/%m/%d", time.gmtime(when))
        directory = os.path.join(self.out, "AWSLogs", account, service, region, day)
        os.makedirs(directory, exist_ok=True)
        return os.path.join(directory, name)

    def stamp(self, when):
        import time
        return time.strftime("%Y%m%dT%H%MZ", time.gmtime(when))

    def fill(self, budget, service, spacing, name, entry, join):
        """Writes files of `service` until `budget` decompressed bytes are written. Each file's
        entries (`entry(account, region, when, index)`, a text or None to skip) are added until the
        file size is reached and joined by `join(texts, index)`; `name(account, region, when, index)`
        names it; files are `spacing` seconds apart."""
        written, index = 0, 0
        while written < budget:
            account, region = self.rng.choice(ACCOUNTS), self.rng.choice(REGIONS)
            when = self.base + index * spacing
            file_name = name(account, region, when, index)
            texts, size = [], 0
            while size < self.file_size:
                text = entry(account, region, when, index)
                texts.append(text)
                size += len(text) + 1
            body = join(texts, index)
            # mtime 0: the same size and seed give byte-identical files.
            with gzip.GzipFile(self.path(account, service, region, when, file_name), "wb", compresslevel=6, mtime=0) as handle:
                handle.write(body.encode())
            written += len(body)
            index += 1
        return written

    def cloudtrail(self, budget, pool):
        def record(account, region, when, index):
            record = dict(self.rng.choice(pool))
            record["eventID"] = str(uuid.UUID(int=self.rng.getrandbits(128)))
            record["eventTime"] = iso(when + self.rng.randrange(300))
            record["recipientAccountId"] = account
            record["awsRegion"] = region
            return json.dumps(record, separators=(",", ":"))
        return self.fill(
            budget, "CloudTrail", 300,
            lambda account, region, when, index:
                f"{account}_CloudTrail_{region}_{self.stamp(when)}_{self.rng.getrandbits(48):012x}.json.gz",
            record, lambda texts, index: '{"Records":[' + ",".join(texts) + "]}")

    def flow_line(self, version5, account, region, when):
        rng = self.rng
        internal = rng.random() < 0.7
        src = f"10.0.{rng.randrange(4)}.{rng.randrange(1, 255)}" if internal else \
            f"{rng.choice([198, 203, 45, 91])}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        dst = f"10.0.{rng.randrange(4)}.{rng.randrange(1, 255)}"
        port = rng.choice([443, 443, 443, 80, 5432, 3306, 22, 53, 1433, rng.randrange(1024, 65535)])
        action = "REJECT" if (not internal and rng.random() < 0.6) else "ACCEPT"
        packets = rng.randrange(1, 200)
        start = when + rng.randrange(600)
        fields = ["5" if version5 else "2", account, f"eni-{rng.getrandbits(32):08x}", src, dst,
                  str(rng.randrange(1024, 65535)), str(port), "6", str(packets), str(packets * rng.randrange(40, 1500)),
                  str(start), str(start + 60), action, "OK"]
        if version5:
            fields += ["vpc-0a1b2c3d", "subnet-0a1b2c3d", rng.choice(["i-0123456789abcdef0", "-"]), str(rng.choice([2, 18, 19, 3])),
                       "IPv4", src, dst, region, "use1-az1", "-", "-", rng.choice(["-", "S3", "AMAZON"]), "-",
                       rng.choice(["ingress", "egress"]), rng.choice(["1", "-"])]
        return " ".join(fields)

    def flows(self, budget):
        # Odd files are in the v5 custom format with its header line, even ones in the default v2.
        return self.fill(
            budget, "vpcflowlogs", 600,
            lambda account, region, when, index:
                f"{account}_vpcflowlogs_{region}_fl-{self.rng.getrandbits(32):08x}_{self.stamp(when)}_{self.rng.getrandbits(32):08x}.log.gz",
            lambda account, region, when, index: self.flow_line(index % 2 == 1, account, region, when),
            lambda texts, index: "\n".join(([V5_FIELDS] if index % 2 == 1 else []) + texts) + "\n")

    def guardduty(self, budget, pool):
        def finding(account, region, when, index):
            finding = dict(self.rng.choice(pool))
            finding["id"] = uuid.UUID(int=self.rng.getrandbits(128)).hex
            finding["accountId"] = account
            finding["region"] = region
            finding["updatedAt"] = iso(when + self.rng.randrange(3600))
            return json.dumps(finding, separators=(",", ":"))
        return self.fill(
            budget, "GuardDuty", 3600,
            lambda account, region, when, index: f"{uuid.UUID(int=self.rng.getrandbits(128))}.jsonl.gz",
            finding, lambda texts, index: "\n".join(texts) + "\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size-mb", type=float, default=1000, help="decompressed size of the whole tree, in MB")
    parser.add_argument("--file-mb", type=float, default=5, help="decompressed size of one file, in MB")
    parser.add_argument("--only", choices=["cloudtrail", "vpcflowlogs", "guardduty"], help="write one kind only, with the whole size")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    rng = random.Random(arguments.seed)
    writer = Writer(arguments.out, rng, int(arguments.file_mb * 1e6))
    total = arguments.size_mb * 1e6
    shares = {"cloudtrail": 0.70, "vpcflowlogs": 0.25, "guardduty": 0.05}
    if arguments.only:
        shares = {arguments.only: 1.0}
    written = {}
    if "cloudtrail" in shares:
        written["cloudtrail"] = writer.cloudtrail(total * shares["cloudtrail"], cloudtrail_pool())
    if "vpcflowlogs" in shares:
        written["vpcflowlogs"] = writer.flows(total * shares["vpcflowlogs"])
    if "guardduty" in shares:
        written["guardduty"] = writer.guardduty(total * shares["guardduty"], guardduty_pool())
    print(json.dumps({kind: round(size / 1e6, 1) for kind, size in written.items()}))


if __name__ == "__main__":
    main()

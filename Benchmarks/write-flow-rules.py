#!/usr/bin/env python3
"""Writes the 20-rule VPC flow log set of issue 20's flow benchmark.

    Benchmarks/write-flow-rules.py --out .build-bench/flow-rules-20

The shipped pack's flow rules (those of Rules/ whose source is aws.vpcflowlogs: two) and 18 ordinary
network detections of the kinds a flow rule set holds: remote administration and legacy ports from
the internet, known bad ports, threat-list ranges, large transfers, rejected DNS. On the v5 files
of Benchmarks/make-corpus.py's flow records (942,746 records) 80,121 alert (8.5 %), nine rules
matching: most of them from the pack's database-port rule (33,797), a threat-list range (28,209)
and SSH from the internet (11,382); the others match a few thousand times or less.
"""
import argparse
import glob
import json
import os
import shutil

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
INTERNET = [{"cidr": c} for c in ("0.0.0.0/5", "8.0.0.0/7", "11.0.0.0/8", "12.0.0.0/6", "16.0.0.0/4", "32.0.0.0/3",
                                  "64.0.0.0/3", "96.0.0.0/6", "100.0.0.0/10", "100.128.0.0/9", "101.0.0.0/8",
                                  "102.0.0.0/7", "104.0.0.0/5", "112.0.0.0/4", "128.0.0.0/3", "160.0.0.0/5",
                                  "168.0.0.0/6", "172.0.0.0/12", "172.32.0.0/11", "172.64.0.0/10", "172.128.0.0/9",
                                  "173.0.0.0/8", "174.0.0.0/7", "176.0.0.0/4", "192.0.0.0/9", "192.128.0.0/11",
                                  "192.160.0.0/13", "192.169.0.0/16", "192.170.0.0/15", "192.172.0.0/14",
                                  "192.176.0.0/12", "192.192.0.0/10", "193.0.0.0/8", "194.0.0.0/7", "196.0.0.0/6",
                                  "200.0.0.0/5", "208.0.0.0/4", "224.0.0.0/3")]


def flow(detail):
    return {"source": ["aws.vpcflowlogs"], "detail-type": ["VPC Flow Log Record"], "detail": detail}


RULES = {
    "ssh-accepted-from-internet": flow({"action": ["ACCEPT"], "dstport": [22], "srcaddr": INTERNET}),
    "rdp-from-internet": flow({"dstport": [3389], "srcaddr": INTERNET}),
    "telnet-any": flow({"dstport": [23], "protocol": [6]}),
    "smb-from-internet": flow({"dstport": [445, 139], "srcaddr": INTERNET}),
    "known-bad-ports": flow({"dstport": [4444, 6667, 6666, 31337, 12345]}),
    "threat-list-range-accepted": flow({"srcaddr": [{"cidr": "45.0.0.0/8"}], "action": ["ACCEPT"]}),
    "large-transfer-out": flow({"bytes": [{"numeric": [">=", 290000]}], "flow-direction": ["egress"]}),
    "large-transfer": flow({"bytes": [{"numeric": [">=", 295000]}]}),
    "rejected-dns-internal": flow({"dstport": [53], "action": ["REJECT"], "srcaddr": [{"cidr": "10.0.0.0/8"}]}),
    "dns-to-internet": flow({"dstport": [53], "dstaddr": INTERNET}),
    "icmp-from-internet": flow({"protocol": [1], "srcaddr": INTERNET}),
    "udp-high-volume": flow({"protocol": [17], "packets": [{"numeric": [">", 150]}]}),
    "nodata-interface": flow({"log-status": ["NODATA", "SKIPDATA"]}),
    "s3-egress-large": flow({"pkt-dst-aws-service": ["S3"], "bytes": [{"numeric": [">", 250000]}]}),
    "redis-memcached-exposed": flow({"dstport": [6379, 11211], "action": ["ACCEPT"], "srcaddr": INTERNET}),
    "elasticsearch-exposed": flow({"dstport": [9200, 9300], "srcaddr": INTERNET}),
    "mssql-from-outside-vpc": flow({"dstport": [1433], "srcaddr": [{"cidr": "203.0.0.0/8"}], "action": ["ACCEPT"]}),
    "unknown-instance-postgres": flow({"dstport": [5432], "instance-id": [{"exists": False}], "srcaddr": [{"cidr": "91.0.0.0/8"}]}),
}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", required=True)
    arguments = parser.parse_args()
    os.makedirs(arguments.out, exist_ok=True)
    for path in sorted(glob.glob(os.path.join(ROOT, "Rules", "*.json"))):
        if json.load(open(path))["eventPattern"].get("source") == ["aws.vpcflowlogs"]:
            shutil.copy(path, arguments.out)
    for name, pattern in RULES.items():
        with open(os.path.join(arguments.out, f"{name}.json"), "w") as handle:
            json.dump({"name": name, "severity": "medium", "eventPattern": pattern}, handle)
    print(len(glob.glob(os.path.join(arguments.out, "*.json"))), "rules in", arguments.out)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes the wildcard-automaton attack of issue 16: rules and records chosen so that the lazy DFA
of one field would need far more states than its cache holds.

    Benchmarks/make-wildcard-attack.py OUT [--rules 5] [--records 3] [--value-kb 100] [--seed 16]
                                           [--literal-length 2] [--alphabet abcd]

OUT/rules/ gets RULES rule files, each one `{"wildcard": …}` on `detail.userAgent` at EventBridge's
2,048-character pattern limit: `*` between many two-byte literals over a four-letter alphabet (by
default), a different random sequence per rule. OUT/records.json gets a CloudTrail file of RECORDS records
whose user agents are VALUE_KB kilobytes of random text over the same alphabet. Each rule then
advances through its literals at its own pace, so the combined automaton's state (where each rule
is, and which literal it has half seen) is new at nearly every byte: the number of DFA states a
value visits grows with its length, not with the rules.

Time it with the release binary:
    time .build-release/release/vigil replay --rules OUT/rules OUT/records.json
"""
import argparse
import json
import os
import random

PATTERN_LIMIT = 2048


def wildcard_operand(rng, alphabet, literal_length):
    """`*xy*zw*…*` as long as it fits in a pattern at the 2,048-character limit."""
    skeleton = json.dumps({"detail": {"userAgent": [{"wildcard": ""}]}}, separators=(",", ":"))
    room = PATTERN_LIMIT - len(skeleton)
    operand = "*"
    while len(operand) + literal_length + 1 <= room:
        operand += "".join(rng.choice(alphabet) for _ in range(literal_length)) + "*"
    return operand


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out")
    parser.add_argument("--rules", type=int, default=5)
    parser.add_argument("--records", type=int, default=3)
    parser.add_argument("--value-kb", type=int, default=100)
    parser.add_argument("--seed", type=int, default=16)
    parser.add_argument("--literal-length", type=int, default=2)
    parser.add_argument("--alphabet", default="abcd")
    options = parser.parse_args()
    rng = random.Random(options.seed)

    rules = os.path.join(options.out, "rules")
    os.makedirs(rules, exist_ok=True)
    for name in os.listdir(rules):
        os.remove(os.path.join(rules, name))
    for index in range(options.rules):
        pattern = {"detail": {"userAgent": [{"wildcard": wildcard_operand(rng, options.alphabet, options.literal_length)}]}}
        assert len(json.dumps(pattern, separators=(",", ":"))) <= PATTERN_LIMIT
        rule = {"name": f"wildcard-attack-{index}", "severity": "low", "eventPattern": pattern}
        with open(os.path.join(rules, f"wildcard-attack-{index}.json"), "w") as handle:
            json.dump(rule, handle)

    records = []
    for index in range(options.records):
        records.append({
            "eventVersion": "1.08", "eventTime": "2026-11-20T09:00:00Z", "eventSource": "iam.amazonaws.com",
            "eventName": "GetUser", "awsRegion": "us-east-1", "sourceIPAddress": "203.0.113.10",
            "userAgent": "".join(rng.choice(options.alphabet) for _ in range(options.value_kb * 1024)),
            "eventID": f"00000000-0000-4000-8000-{index:012d}", "eventType": "AwsApiCall",
            "recipientAccountId": "111122223333",
            "userIdentity": {"type": "IAMUser", "accountId": "111122223333", "userName": "attacker"},
        })
    with open(os.path.join(options.out, "records.json"), "w") as handle:
        json.dump({"Records": records}, handle)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Agreement of `vigil rules import-sigma` with an independent Sigma evaluator.

For every Sigma rule that Vigil converts, pySigma with its DuckDB backend (pysigma,
pysigma-backend-duckdb, duckdb from PyPI) decides each CloudTrail record of the corpus and each
record of the converted rule's generated tests; Vigil decides the corpus records through
`vigil replay` (its real reader, normalizer and matcher) and the tests through `vigil rules test`.
Any record decided differently is printed and fails the run.

How records are put before DuckDB (a SIEM's view of JSON): one text column per field the rule
names, compared regardless of case as Sigma specifies (see CaseAwareDuckDBBackend), holding the value at that dotted path; strings as they are, numbers and booleans as their
JSON text, objects as compact JSON text, absent and null as SQL NULL. Sigma values are text too
(a pySigma processing pipeline: `fromPort: 22` is compared as '22', `readOnly: false` as 'false',
where the backend would write them as SQL numbers and booleans and cast every row's text).
An array gives one row per element, as SQL's UNNEST does: two fields of the objects in one array
(`items.cidrIpv4`, `items.toPort`) come from the same element, which is also how EventBridge
matches them; a record matches when any of its rows does. (A SIEM that flattens arrays into
independent multi-valued fields would also combine values from different elements.)

Vigil's reader takes a CloudTrail record by its eventVersion and a readable eventTime; some of
the corpus's Panther test fragments lack them. A record Vigil passes over gets them (eventVersion
"1.08", eventTime 2020-01-01T00:00:00Z) where no Sigma rule names those fields, and both
evaluators decide the completed record. Records Vigil still does not read are left out of the
comparison; how many of them pySigma would match is printed, not hidden.

With --rules DIR the rule files there are compared instead of a fresh conversion (the Swift tests
use it to show that a deliberately wrong rule is caught).

Usage: sigma_agreement.py --vigil PATH --sigma DIR --corpus DIR|FILE… [--work DIR] [--rules DIR]
Exit status: 0 agreement, 1 a disagreement or a failed step, 2 pySigma/DuckDB missing.
"""
import argparse
import itertools
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

try:
    import duckdb
    from sigma.collection import SigmaCollection
    from sigma.processing.pipeline import ProcessingItem, ProcessingPipeline
    from sigma.processing.transformations import ConvertTypeTransformation
    from sigma.processing.transformations.base import ValueTransformation
    from sigma.types import SigmaBool, SigmaString
    from sigma.rule import SigmaDetection, SigmaDetectionItem, SigmaRule
    from sigma_backend_duckdb import DuckDBBackend
except ImportError as error:  # the Swift test skips outside CI on this status
    print(f"pySigma or DuckDB missing: {error}", file=sys.stderr)
    sys.exit(2)

MAX_ROWS_PER_RECORD = 256


class CaseAwareDuckDBBackend(DuckDBBackend):
    """The DuckDB backend over columns that compare regardless of case.

    The backend writes a plain value as `=` / `IN`, which DuckDB compares case-sensitively, while
    Sigma compares values regardless of case unless `cased` (SigmaHQ's `MFAUsed: 'NO'` is meant to
    select CloudTrail's "No"), so the columns are COLLATE NOCASE, as a SIEM's keyword fields
    would be. That collation also folds GLOB, the backend's form for `cased`, so that one form is
    given the binary collation back; `re` (regexp_matches) and ILIKE are unaffected by it."""

    case_sensitive_match_expression = '({field} COLLATE "binary") GLOB {value}'


class BooleansAsText(ValueTransformation):
    """`readOnly: false` compared as the text 'false' (pySigma's ConvertTypeTransformation does
    numbers only)."""

    def apply_value(self, field, val):
        if isinstance(val, SigmaBool):
            return SigmaString("true" if val.boolean else "false")
        return None


def corpus_records(corpus):
    """(label, record) for every CloudTrail record in the file `corpus` or under the directory, in
    file order."""
    records = []
    if os.path.isfile(corpus):
        walk = [(os.path.dirname(corpus), [], [os.path.basename(corpus)])]
        top = os.path.dirname(corpus)
    else:
        walk = sorted(os.walk(corpus))
        top = corpus
    for root, _, files in walk:
        for name in sorted(files):
            path = os.path.join(root, name)
            rel = os.path.relpath(path, top)
            if name.endswith(".jsonl"):
                with open(path, encoding="utf-8") as handle:
                    for number, line in enumerate(handle, 1):
                        if not line.strip():
                            continue
                        item = json.loads(line)
                        # Panther's labelled tests: {rule, file, test, expected, log}.
                        if isinstance(item, dict) and "log" in item and "rule" in item:
                            item = item["log"]
                        records.append((f"{rel}:{number}", item))
            elif name.endswith(".json"):
                with open(path, encoding="utf-8") as handle:
                    document = json.load(handle)
                if isinstance(document, dict) and isinstance(document.get("Records"), list):
                    items = document["Records"]
                elif isinstance(document, list):
                    items = document
                else:
                    items = [document]
                for index, item in enumerate(items):
                    records.append((f"{rel}#{index}", item))
    return [(label, record) for label, record in records
            if isinstance(record, dict) and ("eventVersion" in record or "eventSource" in record)]


ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z\Z")


def completed(record, named):
    """`record` with the envelope fields Vigil's reader needs, where it lacks them and no rule
    names them (`named`: every field the Sigma rules name); None if nothing was added."""
    additions = {}
    if "eventVersion" not in record and "eventVersion" not in named:
        additions["eventVersion"] = "1.08"
    time = record.get("eventTime")
    if not (isinstance(time, str) and ISO_TIME.match(time)) and "eventTime" not in named:
        additions["eventTime"] = "2020-01-01T00:00:00Z"
    return {**record, **additions} if additions else None


def field_names(detection):
    names = []
    for item in detection.detection_items:
        if isinstance(item, SigmaDetection):
            names += field_names(item)
        elif isinstance(item, SigmaDetectionItem) and item.field:
            names.append(item.field)
    return names


def text_of(value):
    """A value as a SIEM's text column holds it; None for JSON null."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    return json.dumps(value, separators=(",", ":"))


def rows_of(value, paths):
    """The rows `value` gives for `paths` (tuples of keys below it): dicts from path to text.

    An array gives one row per element (SQL's UNNEST), so fields of one object in an array come
    from the same element; different members of an object combine freely."""
    if isinstance(value, list):
        rows = [row for element in value for row in rows_of(element, paths)]
        return rows or [{path: None for path in paths}]
    here = {path: text_of(value) for path in paths if not path}
    below = [path for path in paths if path]
    if not isinstance(value, dict):
        return [{**here, **{path: None for path in below}}]
    rows = [here]
    for key in sorted({path[0] for path in below}):
        group = [path for path in below if path[0] == key]
        inner = rows_of(value.get(key), [path[1:] for path in group])
        rows = [{**row, **{(key,) + rest: text for rest, text in sub.items()}} for row in rows for sub in inner]
        if len(rows) > MAX_ROWS_PER_RECORD:
            raise RuntimeError(f"a record gives more than {MAX_ROWS_PER_RECORD} rows for {sorted(paths)}")
    return rows


def duckdb_matches(rule, query, records):
    """Indices of `records` the query selects."""
    fields = sorted(set(itertools.chain.from_iterable(field_names(d) for d in rule.detection.detections.values())))
    paths = [tuple(field.split(".")) for field in fields]
    con = duckdb.connect()
    columns = ", ".join(['"__record" INTEGER'] + [f'"{f}" VARCHAR COLLATE NOCASE' for f in fields])
    con.execute(f"CREATE TABLE logs ({columns})")
    rows = []
    for index, record in enumerate(records):
        rows += [(index, *[row[path] for path in paths]) for row in rows_of(record, paths)]
    if rows:
        con.executemany(f"INSERT INTO logs VALUES ({', '.join('?' * (len(fields) + 1))})", rows)
    selected = con.execute(f'SELECT DISTINCT "__record" FROM ({query})').fetchall()
    con.close()
    return {row[0] for row in selected}


def vigil_replay(vigil, rules_dir, records, work):
    """Vigil's verdicts through `vigil replay` (its reader, normalizer and matcher): for each rule
    name the indices of the records it alerted on, and the indices of records it did not read."""
    lines = os.path.join(work, "records.jsonl")
    with open(lines, "w", encoding="utf-8") as handle:
        for index, (_, record) in enumerate(records):
            # Distinct ids, so that no two records are one event to Vigil.
            unique = dict(record)
            unique["eventID"] = f"00000000-0000-4000-8000-{index:012d}"
            handle.write(json.dumps(unique, separators=(",", ":")) + "\n")
    alerts_path = os.path.join(work, "alerts.jsonl")
    state = os.path.join(work, "state")
    for stale in (alerts_path, state):
        if os.path.isdir(stale):
            shutil.rmtree(stale)
        elif os.path.exists(stale):
            os.remove(stale)
    replay = subprocess.run([vigil, "replay", "--rules", rules_dir, "--sink", f"file:{alerts_path}",
                             "--state", state, lines], capture_output=True, text=True)
    if replay.returncode not in (0, 1):
        raise RuntimeError(f"vigil replay failed ({replay.returncode}):\n{replay.stderr}")
    unread = set()
    for line in replay.stderr.splitlines():
        match = re.search(r"records\.jsonl: at decoded byte \d+, record (\d+): (.*)", line)
        if match:
            unread.add(int(match.group(1)))
    matches = {}
    if os.path.exists(alerts_path):
        with open(alerts_path, encoding="utf-8") as handle:
            for line in handle:
                alert = json.loads(line)
                matches.setdefault(alert["rule"], set()).add(alert["source"]["record"])
    return matches, unread


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--vigil", required=True)
    parser.add_argument("--sigma", required=True)
    parser.add_argument("--corpus", required=True, action="append", help="a directory or file of records; may be repeated")
    parser.add_argument("--work")
    parser.add_argument("--rules", help="compare these rule files instead of converting --sigma afresh")
    args = parser.parse_args()
    work = args.work or tempfile.mkdtemp(prefix="sigma-agreement-")
    os.makedirs(work, exist_ok=True)
    rules_dir = args.rules or os.path.join(work, "rules")

    if not args.rules:
        conversion = subprocess.run([args.vigil, "rules", "import-sigma", args.sigma, "-o", rules_dir],
                                    capture_output=True, text=True)
        print(conversion.stderr.strip().splitlines()[-1] if conversion.stderr.strip() else "import-sigma printed nothing")
        if conversion.returncode not in (0, 1) or not os.path.isdir(rules_dir):
            print(f"import-sigma failed ({conversion.returncode}):\n{conversion.stderr}", file=sys.stderr)
            return 1
    tested = subprocess.run([args.vigil, "rules", "test", rules_dir], capture_output=True, text=True)
    if tested.returncode != 0:
        print(f"vigil rules test failed ({tested.returncode}):\n{tested.stdout}{tested.stderr}", file=sys.stderr)
        return 1
    print(tested.stdout.strip().splitlines()[-1])

    sigma_by_id = {}
    for name in sorted(os.listdir(args.sigma)):
        if name.endswith((".yml", ".yaml")):
            with open(os.path.join(args.sigma, name), encoding="utf-8") as handle:
                rule = SigmaRule.from_yaml(handle.read())
            sigma_by_id[str(rule.id)] = (name, rule)

    named = set()
    for _, rule in sigma_by_id.values():
        for detection in rule.detection.detections.values():
            named.update(field_names(detection))
    records = [record for corpus in args.corpus for record in corpus_records(corpus)]
    try:
        vigil_matches, unread = vigil_replay(args.vigil, rules_dir, records, work)
        passed_over = set(unread)
        # Fragments Vigil's reader passed over, completed where no rule looks, and read again.
        completions = 0
        for index in unread:
            complete = completed(records[index][1], named)
            if complete is not None:
                records[index] = (records[index][0], complete)
                completions += 1
        if completions:
            vigil_matches, unread = vigil_replay(args.vigil, rules_dir, records, work)
    except RuntimeError as error:
        print(error, file=sys.stderr)
        return 1
    print(f"{len(records) - len(unread)} of {len(records)} corpus records read by Vigil as CloudTrail "
          f"({len(passed_over - unread)} of them once given eventVersion or eventTime); "
          f"{len(unread)} not (left out of the comparison)")

    # Sigma values as text, as the records' columns are (see above).
    as_text = ProcessingPipeline(name="values as text", items=[
        ProcessingItem(identifier="numbers_as_text", transformation=ConvertTypeTransformation("str")),
        ProcessingItem(identifier="booleans_as_text", transformation=BooleansAsText())])
    backend = CaseAwareDuckDBBackend(processing_pipeline=as_text)
    disagreements = 0
    compared_rules = 0
    compared_tests = 0
    both = 0
    unread_matched = 0
    for name in sorted(os.listdir(rules_dir)):
        with open(os.path.join(rules_dir, name), encoding="utf-8") as handle:
            vigil_rule = json.load(handle)
        sigma_id = vigil_rule["tags"].get("sigma.id")
        if sigma_id not in sigma_by_id:
            print(f"{name}: no Sigma rule with id {sigma_id}", file=sys.stderr)
            disagreements += 1
            continue
        sigma_file, sigma_rule = sigma_by_id[sigma_id]
        if "eventID" in json.dumps(vigil_rule["eventPattern"]):
            print(f"{name} names eventID, which the replay input rewrites", file=sys.stderr)
            return 1
        query = backend.convert(SigmaCollection([sigma_rule]))[0]
        compared_rules += 1
        duck = duckdb_matches(sigma_rule, query, [record for _, record in records])
        vigil = vigil_matches.get(vigil_rule["name"], set())
        both += len(duck & vigil)
        unread_matched += len(duck & unread)
        duck -= unread
        for index in sorted(duck ^ vigil):
            disagreements += 1
            print(f"DISAGREE {sigma_file} on {records[index][0]}: pySigma/DuckDB {'matches' if index in duck else 'does not match'}, "
                  f"Vigil {'matches' if index in vigil else 'does not'}   [{query}]")
        tests = vigil_rule.get("tests", [])
        test_matches = duckdb_matches(sigma_rule, query, [test["event"]["detail"] for test in tests])
        for index, test in enumerate(tests):
            compared_tests += 1
            expected = test["expect"] == "match"
            if (index in test_matches) != expected:
                disagreements += 1
                print(f"DISAGREE {sigma_file} on its test \"{test['name']}\": Vigil expects {test['expect']}, "
                      f"pySigma/DuckDB {'matches' if index in test_matches else 'does not match'}   [{query}]")
    print(f"left out: pySigma/DuckDB matches {unread_matched} (rule, record) pairs among the {len(unread)} records Vigil does not read")
    print(f"agreement: {compared_rules} converted rules x {len(records) - len(unread)} corpus records "
          f"({both} matches found by both) and {compared_tests} generated tests: {disagreements} disagreements")
    return 1 if disagreements else 0


if __name__ == "__main__":
    sys.exit(main())

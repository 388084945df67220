#!/usr/bin/python3
"""Validates `meshc check --format sarif` against the SARIF 2.1.0 schema and
checks the parts GitHub code scanning relies on (rules, ruleIndex, regions).

usage: sarif_valid.py MESHC SCHEMA MESH_FILE...
"""
import json
import subprocess
import sys

import jsonschema


def main():
    meshc, schema_path, *files = sys.argv[1:]
    run = subprocess.run([meshc, "check", "--format", "sarif", *files], capture_output=True, text=True)
    if run.returncode not in (0, 1):
        sys.exit(f"meshc exited {run.returncode}: {run.stderr}")
    log = json.loads(run.stdout)
    with open(schema_path) as f:
        schema = json.load(f)
    jsonschema.validate(log, schema)
    run0 = log["runs"][0]
    rules = run0["tool"]["driver"]["rules"]
    results = run0["results"]
    if not results:
        sys.exit("expected diagnostics in the SARIF log")
    for r in results:
        rule = rules[r["ruleIndex"]]
        assert rule["id"] == r["ruleId"], (rule["id"], r["ruleId"])
        region = r["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["startColumn"] >= 1
        assert r["level"] in ("error", "warning", "note")
    print(f"sarif ok: {len(results)} results, {len(rules)} rules")


if __name__ == "__main__":
    main()

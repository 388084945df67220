"""Reads a SARIF log on standard input, checks the parts GitHub code scanning
relies on, and prints one line per result: ruleId level uri:line:col.

usage: meshc check --format sarif ... | sarif-summary.py
"""
import json
import sys

log = json.load(sys.stdin)
assert log["version"] == "2.1.0", log["version"]
assert log["$schema"].endswith("sarif-2.1.0.json"), log["$schema"]
assert len(log["runs"]) == 1
run = log["runs"][0]
driver = run["tool"]["driver"]
assert driver["name"] == "meshc"
rules = driver["rules"]
ids = [r["id"] for r in rules]
assert len(ids) == len(set(ids)), "duplicate rule ids"
for r in rules:
    assert r["shortDescription"]["text"], r["id"]
    assert r["defaultConfiguration"]["level"] in ("error", "warning", "note"), r["id"]
uris = {a["location"]["uri"] for a in run["artifacts"]}
for res in run["results"]:
    assert rules[res["ruleIndex"]]["id"] == res["ruleId"], res["ruleId"]
    assert res["level"] in ("error", "warning", "note")
    assert res["message"]["text"]
    loc = res["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] in uris
    region = loc["region"]
    assert (region["endLine"], region["endColumn"]) > (region["startLine"], region["startColumn"])
    print(f'{res["ruleId"]} {res["level"]} {loc["artifactLocation"]["uri"]}:{region["startLine"]}:{region["startColumn"]}')
print(f"{len(rules)} rules, {len(run['results'])} results")

#!/usr/bin/python3
"""Validates `meshc check --format sarif` against the SARIF 2.1.0 schema and
against what GitHub code scanning needs to accept and track an upload
(github_problems(): rules with help, results with a rule, a message, a
location with a region, artifact locations relative to %SRCROOT% or file:
URIs, every base id described, partialFingerprints unique and independent of
line numbers).

Each MESH_FILE is checked from its own directory by relative name (the
%SRCROOT% case of CI) and by absolute path (file: URIs); its fingerprints
must survive three lines inserted at the top of the file.

usage: sarif_valid.py MESHC SCHEMA MESH_FILE...
The module is also imported by tests/ci/run.py.
"""
import json
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

from harness import report

BASE_IDS = {"%SRCROOT%", "MESHC_STDLIB", "MESHC_BASELINE"}


def github_problems(log):
    """What GitHub code scanning would refuse or mistrack in a SARIF log."""
    problems = []
    if log.get("version") != "2.1.0":
        problems.append(f"version {log.get('version')!r}, not 2.1.0")
    for run in log.get("runs", []):
        driver = run["tool"]["driver"]
        if not driver.get("name"):
            problems.append("tool.driver.name is empty")
        rules = driver.get("rules", [])
        ids = [r["id"] for r in rules]
        if len(ids) != len(set(ids)):
            problems.append("duplicate rule ids")
        for r in rules:
            if not r.get("shortDescription", {}).get("text") or not r.get("fullDescription", {}).get("text"):
                problems.append(f"rule {r['id']} has no short or full description")
            if not r.get("help", {}).get("text") or not r.get("help", {}).get("markdown"):
                problems.append(f"rule {r['id']} has no help text and markdown")
            if r.get("defaultConfiguration", {}).get("level") not in ("error", "warning", "note"):
                problems.append(f"rule {r['id']} has no default level")
        described = set(run.get("originalUriBaseIds", {}))
        artifacts = [json.dumps(a["location"], sort_keys=True) for a in run.get("artifacts", [])]
        fingerprints = set()

        def location_problems(where, loc):
            art = loc["physicalLocation"]["artifactLocation"]
            uri, base = art.get("uri", ""), art.get("uriBaseId")
            out = []
            if base is None:
                if not uri.startswith("file:///"):
                    out.append(f"{where}: {uri!r} is neither relative to a base id nor a file: URI")
            else:
                if base not in BASE_IDS or base not in described:
                    out.append(f"{where}: base id {base!r} is not described in originalUriBaseIds")
                if uri.startswith("/") or ":" in uri.split("/")[0]:
                    out.append(f"{where}: {uri!r} with a base id must be a relative reference")
            if " " in uri or "\\" in uri:
                out.append(f"{where}: {uri!r} is not percent-encoded")
            region = loc["physicalLocation"].get("region", {})
            if region.get("startLine", 0) < 1 or region.get("startColumn", 0) < 1:
                out.append(f"{where}: region without startLine/startColumn")
            return out

        for i, res in enumerate(run.get("results", [])):
            where = f"result {i} ({res.get('ruleId')})"
            if res.get("ruleIndex") is None or rules[res["ruleIndex"]]["id"] != res.get("ruleId"):
                problems.append(f"{where}: ruleIndex does not name its ruleId")
            if res.get("level") not in ("error", "warning", "note"):
                problems.append(f"{where}: level {res.get('level')!r}")
            if not res.get("message", {}).get("text"):
                problems.append(f"{where}: no message text")
            locations = res.get("locations", [])
            if not 1 <= len(locations) <= 10:
                problems.append(f"{where}: {len(locations)} locations (GitHub needs 1 to 10)")
            for loc in locations:
                problems += location_problems(where, loc)
                key = json.dumps(loc["physicalLocation"]["artifactLocation"], sort_keys=True)
                if key not in artifacts:
                    problems.append(f"{where}: its artifact is not in run.artifacts")
            for loc in res.get("relatedLocations", []):
                problems += location_problems(where + " related", loc)
            fp = res.get("partialFingerprints", {})
            if not fp:
                problems.append(f"{where}: no partialFingerprints")
            value = json.dumps(fp, sort_keys=True)
            if value in fingerprints:
                problems.append(f"{where}: partialFingerprints {value} shared with another result")
            fingerprints.add(value)
    return problems


def fingerprints(log):
    return [(r["ruleId"], json.dumps(r["partialFingerprints"], sort_keys=True)) for r in log["runs"][0]["results"]]


def sarif(meshc, args, cwd):
    run = subprocess.run([meshc, "check", "--format", "sarif", *args], capture_output=True, text=True, cwd=cwd)
    if run.returncode not in (0, 1):
        sys.exit(f"meshc exited {run.returncode}: {run.stderr}")
    return json.loads(run.stdout)


def main():
    import jsonschema
    meshc, schema_path, *files = sys.argv[1:]
    meshc = os.path.abspath(meshc)
    with open(schema_path) as f:
        schema = json.load(f)
    failures = []
    total = 0
    stdlib_seen = False
    work = pathlib.Path(tempfile.mkdtemp(prefix="mesh-sarif-"))
    try:
        for file in map(pathlib.Path, files):
            file = file.resolve()
            relative = sarif(meshc, [file.name], file.parent)
            absolute = sarif(meshc, [str(file)], "/")
            for name, log in (("relative", relative), ("absolute", absolute)):
                jsonschema.validate(log, schema)
                if not log["runs"][0]["results"]:
                    failures.append(f"{file} ({name}): expected diagnostics in the SARIF log")
                failures += [f"{file} ({name}): {p}" for p in github_problems(log)]
                total += len(log["runs"][0]["results"])
            uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    for r in relative["runs"][0]["results"]}
            if uris != {file.name}:
                failures.append(f"{file}: relative run names {uris}, not {file.name} under %SRCROOT%")
            uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    for r in absolute["runs"][0]["results"]}
            if uris != {"file://" + str(file).replace(" ", "%20")}:
                failures.append(f"{file}: absolute run names {uris}")
            stdlib_seen |= "MESHC_STDLIB" in relative["runs"][0].get("originalUriBaseIds", {})
            # Three lines inserted above: every region moves, no fingerprint does.
            shifted = work / file.name
            shutil.copy(file, shifted)
            shifted.write_text("// shifted\n// by three\n// lines\n" + file.read_text())
            moved = sarif(meshc, [shifted.name], work)
            if fingerprints(moved) != fingerprints(relative):
                failures.append(f"{file}: fingerprints changed when lines were inserted above:\n"
                                f"{fingerprints(relative)}\n{fingerprints(moved)}")
            lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in relative["runs"][0]["results"]]
            moved_lines = [r["locations"][0]["physicalLocation"]["region"]["startLine"]
                           for r in moved["runs"][0]["results"]]
            if moved_lines != [n + 3 for n in lines]:
                failures.append(f"{file}: regions did not move with the inserted lines: {lines} -> {moved_lines}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    if not stdlib_seen:
        failures.append("no input had a location in the standard library (MESHC_STDLIB)")
    report(failures, f"sarif ok: {total} results of {len(files)} inputs, schema-valid and as GitHub code scanning "
                     "needs them")


if __name__ == "__main__":
    main()

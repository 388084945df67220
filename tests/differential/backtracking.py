#!/usr/bin/env python3
"""ajv against the exported JSON Schema of patterns that backtrack
exponentially (W0316, docs/hardening.md "Hardening II: exported regexes and
PII in messages").

`meshc check` must warn W0316 for each such pattern; the exported schema must
leave them out (listed under x-mesh-unexpressed) and keep the linear one as a
pattern; and ajv must validate messages built to make a backtracking engine
try every division of the text (30 `a`s and a `!`: tens of seconds per value
when the pattern is exported, see the hardening log) within a time limit.

usage: backtracking.py --meshc MESHC [--node NODE] [--limit SECONDS]
Exit status 0 when all holds, 1 otherwise, 2 when ajv cannot be installed.
"""
import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
CONTRACT = os.path.join(HERE, "backtracking", "hazard.mesh")
HAZARDOUS = ["nested", "squashed", "words"]


def patterns_of(node):
    """Every `pattern` keyword in a schema."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "pattern" and isinstance(value, str):
                yield value
            else:
                yield from patterns_of(value)
    elif isinstance(node, list):
        for item in node:
            yield from patterns_of(item)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meshc", required=True)
    ap.add_argument("--node", default=shutil.which("node") or "node")
    ap.add_argument("--npm", default=shutil.which("npm") or "npm")
    ap.add_argument("--limit", type=float, default=20.0, help="seconds ajv may take for the whole file")
    args = ap.parse_args()
    sys.path.insert(0, HERE)
    from run import ensure_node_modules  # noqa: E402
    ensure_node_modules(args.node, args.npm)
    failures = []
    check = subprocess.run([args.meshc, "check", CONTRACT], capture_output=True, text=True)
    warned = check.stderr.count("warning[W0316]")
    if warned != len(HAZARDOUS):
        failures.append(f"meshc check: {warned} W0316 warnings, expected {len(HAZARDOUS)}:\n{check.stderr}")
    with tempfile.TemporaryDirectory() as tmp:
        build = subprocess.run([args.meshc, "build", CONTRACT, "-o", tmp, "--target", "jsonschema"],
                               capture_output=True, text=True)
        if build.returncode != 0:
            print(f"meshc build failed:\n{build.stderr}", file=sys.stderr)
            return 1
        schemas = [os.path.join(root, f) for root, _, files in os.walk(tmp) for f in files if f.endswith(".json")]
        schema_path = next(p for p in schemas if "Codes" in os.path.basename(p))
        with open(schema_path) as f:
            schema = json.load(f)
        unexpressed = " ".join(schema.get("x-mesh-unexpressed", []))
        for field in HAZARDOUS:
            if f"Codes.{field}:" not in unexpressed:
                failures.append(f"{field}: not listed under x-mesh-unexpressed")
        patterns = list(patterns_of(schema))
        # The linear pattern of `plain` is the only one left.
        if len(patterns) != 1 or not patterns[0].endswith("-[a-z]+)*$"):
            failures.append(f"the schema's patterns are {patterns}, expected only the one of `plain`")
        evil = "a" * 30 + "!"
        lines = [{"nested": evil, "squashed": evil, "words": "a" * 30 + "!", "plain": "ok"},
                 {"nested": "aaa", "squashed": "aaa", "words": "two words", "plain": "kebab-case"}]
        data = os.path.join(tmp, "evil.jsonl")
        with open(data, "w") as f:
            f.write("".join(json.dumps(line) + "\n" for line in lines))
        start = time.monotonic()
        try:
            ajv = subprocess.run([args.node, os.path.join(HERE, "ajv_validate.js"), schema_path, data],
                                 capture_output=True, text=True, timeout=args.limit)
            took = time.monotonic() - start
            print(f"ajv: {took:.2f} s for {len(lines)} messages")
            results = [json.loads(line) for line in ajv.stdout.splitlines()]
            # The schema says less than the contract: the evil line is valid for ajv.
            if [r.get("valid") for r in results] != [True, True]:
                failures.append(f"ajv verdicts {ajv.stdout!r} (stderr {ajv.stderr!r})")
        except subprocess.TimeoutExpired:
            failures.append(f"ajv took more than {args.limit} s: the schema makes it backtrack")
    for f in failures:
        print(f"FAIL: {f}")
    print(f"backtracking: {'failed' if failures else 'passed'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

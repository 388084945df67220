#!/usr/bin/env python3
"""run.py: the differential test between `meshc validate` and ajv.

Builds the JSON Schemas of the test contracts (tests/differential/contracts)
and of the examples (examples/contracts) with `meshc build --target
jsonschema`, generates each target's corpus (corpus.py: hand-written seeds and
their mechanical mutants), validates it with `meshc validate` and with ajv
(ajv_validate.js, draft 2020-12, strict), and compares the verdicts line by
line.

- A target whose schema has no "x-mesh-unexpressed": every line must get the
  same verdict from both, except for the mutant kinds in DELIBERATE below,
  whose disagreements are counted and skipped (and only in the direction the
  table states).
- A target whose schema lists unexpressed constraints: meshc's output must be
  well formed, and, since the schema then says less than the contract, a
  message meshc accepts must be one ajv accepts (--no-one-way turns that
  second check off).
- For every target: the seeds are valid for meshc; meshc's output is well
  formed (one result per line, in order, violations with a JSONPath, a known
  rule and a message, exit status 0 or 1 to match); a line that is not JSON
  gets exactly one `parse` violation at `$`.

Usage: run.py --meshc PATH [--node PATH] [--only REGEX] [--keep DIR]
                [--max-report N] [--no-one-way]
Exit status: 0 when nothing unexpected was found, 1 otherwise, 2 when the
environment is not usable (meshc or node missing, a build failed).
"""

import argparse
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)

import corpus  # noqa: E402

CONTRACTS = os.path.join(HERE, "contracts")
EXAMPLES = os.path.join(REPO, "examples", "contracts")
SEEDS = os.path.join(HERE, "seeds")
AJV = os.path.join(HERE, "ajv_validate.js")
MESH_NOW = "2026-11-25T12:00:00Z"
RULES = {"parse", "type", "required", "unknown", "enum", "format", "where", "check"}

# Built with the sanitizer flags in a sanitized test run (tests/scripts/sanitize_flags.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from sanitize_flags import cxx_flag_args  # noqa: E402

# ---------------------------------------------------------------------------
# Known, deliberate differences: mutant kind -> (meshc's verdict, ajv's
# verdict, why). A disagreement is skipped only for these kinds and only in
# this direction; every other disagreement fails the run.
DELIBERATE = {
    "int_fraction_zero": (
        False, True,
        "integer written 1.0: meshc rejects it by the wire rule (an integer has no fraction); "
        "JSON.parse erases the difference between 1.0 and 1"),
    "int_exponent": (
        False, True,
        "integer written with an exponent (1e0, 10e-1, 1e-400): meshc rejects it by the wire rule "
        "(no exponent); JSON.parse erases the spelling (and rounds 1e-400 to 0)"),
    "int_beyond_double": (
        None, None,
        "integer beyond 2^53 (or a fraction beyond 2^52): meshc reads it exactly; JSON.parse rounds "
        "it to a double, so 9223372036854775808 equals the int64 maximum and 9007199254740990.5 "
        "is an integer for ajv"),
    "decimal_beyond_double": (
        None, None,
        "decimal written as a JSON number a double cannot hold (more significant digits than 15, "
        "or 1e-400): meshc reads the digits exactly; JSON.parse rounds them away before ajv sees them"),
    "duration_range": (
        False, True,
        "a duration beyond about 292,000 years (int64 microseconds, the in-memory type): meshc refuses "
        "it as out of range; a JSON Schema pattern cannot bound the value its digits spell"),
    "decimal_limit_number": (
        True, False,
        "the largest decimal(P, S) written as a JSON number, like 99999999.9999: ajv's multipleOf "
        "divides doubles (99999999.9999 / 0.0001 is 999999999998.9999) and allows only an absolute "
        "error of 1e-9 (multipleOfPrecision); meshc is exact"),
    "proto_field": (
        False, True,
        "a wrong value in a field called __proto__: ajv skips the schema of a property named "
        "__proto__ (its guard against prototype pollution), so it accepts anything there"),
    "duplicate_key": (
        False, True,
        "duplicate keys: meshc rejects the object (spec: a duplicate key is rejected); "
        "JSON.parse keeps the last one"),
    "duplicate_key_same": (
        False, True,
        "duplicate keys with the same value: meshc rejects the object; JSON.parse keeps one"),
    "lone_surrogate": (
        False, True,
        "a \\uD800-style escape without its pair: meshc rejects it (a string is valid Unicode, "
        "it cannot be UTF-8); JSON.parse keeps a lone UTF-16 code unit"),
    "deep_nesting": (
        False, True,
        "nesting deeper than 1024 (kMaxJsonDepth): meshc refuses the line as a resource limit; "
        "JSON.parse has none and ajv never looks inside an unknown key"),
}

# Kinds whose lines are not JSON (or not UTF-8): meshc must report exactly one
# `parse` violation at `$`.
NOT_JSON_KINDS = {"truncated", "broken_utf8", "bom_misplaced", "odd_whitespace", "trailing_garbage",
                  "json_syntax", "number_malformed"}


class Failure:
    """One problem found. A disagreement is counted in Stats.unexpected (only the
    first --max-report of a kind are shown); a note only says how many more."""

    def __init__(self, target, what, line=None, message=None, meshc=None, ajv=None,
                 disagreement=False, note=False):
        self.target, self.what, self.line, self.message, self.meshc, self.ajv = target, what, line, message, meshc, ajv
        self.disagreement, self.note = disagreement, note

    def render(self):
        out = [f"FAIL {self.target}: {self.what}"]
        if self.line is not None:
            m = self.message
            out.append(f"  line {self.line}, {m.kind}: {m.detail}")
            text = m.data.decode("utf-8", "backslashreplace")
            out.append(f"  message: {text if len(text) <= 400 else text[:400] + '...'}")
        if self.meshc is not None:
            out.append(f"  meshc: {json.dumps(self.meshc, ensure_ascii=False)}")
        if self.ajv is not None:
            out.append(f"  ajv:   {json.dumps(self.ajv)}")
        return "\n".join(out)


def fail_env(message):
    print(f"run.py: {message}", file=sys.stderr)
    sys.exit(2)


def ensure_node_modules(node, npm):
    if os.path.isdir(os.path.join(HERE, "node_modules", "ajv")) and \
            os.path.isdir(os.path.join(HERE, "node_modules", "ajv-formats")):
        return
    print("run.py: installing ajv with npm ci", flush=True)
    r = subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=HERE)
    if r.returncode != 0:
        fail_env("npm ci failed in tests/differential")


def build_schemas(meshc, contracts, out):
    try:
        r = subprocess.run([meshc, "build", contracts, "-o", out, "--target", "jsonschema"],
                           capture_output=True, text=True)
    except OSError as e:
        fail_env(f"cannot run {meshc}: {e.strerror}")
    if r.returncode != 0:
        fail_env(f"meshc build {contracts} failed ({r.returncode}):\n{r.stderr}{r.stdout}")
    directory = os.path.join(out, "jsonschema")
    schemas = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".schema.json"):
            schemas[name[:-len(".schema.json")]] = os.path.join(directory, name)
    return schemas


PRODUCT = re.compile(r"^\s*(?:@\w+(?:\([^)]*\))?\s*)*product\s+(\w+)\s*\{", re.M)
SCHEMA = re.compile(r"^\s*schema\s+([\w.]+)\s*;", re.M)
PACKAGE = re.compile(r"^\s*package\s+([\w.]+)\s*;", re.M)


def build_cpp(meshc, contracts, out):
    """Generates the C++ of a contract set and builds its mesh-validate."""
    shutil.rmtree(out, ignore_errors=True)
    steps = [
        [meshc, "build", contracts, "-o", out, "--target", "cpp"],
        ["cmake", "-S", os.path.join(out, "cpp"), "-B", os.path.join(out, "build"), "-G", "Ninja",
         "-DCMAKE_BUILD_TYPE=Release", *cxx_flag_args(),
         "-DMESHRT_SOURCE_DIR=" + os.path.join(REPO, "runtime")],
        ["cmake", "--build", os.path.join(out, "build"), "--target", "mesh-validate"],
    ]
    for step in steps:
        r = subprocess.run(step, capture_output=True, text=True)
        if r.returncode != 0:
            fail_env(f"{' '.join(step[:3])} failed:\n{r.stdout[-3000:]}{r.stderr[-3000:]}")
    return os.path.join(out, "build", "mesh-validate")


def find_products(contracts, schemas):
    """{qualified product name: qualified record name}, read from the sources."""
    products = {}
    for root, _, files in os.walk(contracts):
        for f in sorted(files):
            if not f.endswith(".mesh"):
                continue
            text = re.sub(r"//[^\n]*", "", open(os.path.join(root, f), encoding="utf-8").read())
            package = PACKAGE.search(text)
            if not package:
                continue
            package = package.group(1)
            for m in PRODUCT.finditer(text):
                block = text[m.end():]
                schema = SCHEMA.search(block)
                if not schema:
                    continue
                name = schema.group(1)
                record = name if name in schemas else f"{package}.{name.split('.')[-1]}"
                if record not in schemas:
                    fail_env(f"cannot find the schema record {name} of product {package}.{m.group(1)}")
                products[f"{package}.{m.group(1)}"] = record
    return products


def read_results(text, count, who):
    """Parses one result line per message; returns (results, problems)."""
    results, problems = [], []
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if len(lines) != count:
        problems.append(f"{who} printed {len(lines)} result lines for {count} messages")
    for i, line in enumerate(lines[:count]):
        try:
            r = json.loads(line)
        except ValueError:
            problems.append(f"{who} result line {i + 1} is not JSON: {line[:200]}")
            results.append(None)
            continue
        results.append(r)
    while len(results) < count:
        results.append(None)
    return results, problems


def check_meshc_result(r, n, message):
    """Problems with one result line of meshc validate (an empty list when well formed)."""
    if not isinstance(r, dict):
        return ["no result"]
    problems = []
    if r.get("line") != n:
        problems.append(f"line number {r.get('line')!r}, expected {n}")
    valid = r.get("valid")
    if not isinstance(valid, bool):
        return problems + ["no boolean 'valid'"]
    if valid:
        if set(r) != {"line", "valid"}:
            problems.append(f"a valid result with extra keys {sorted(set(r) - {'line', 'valid'})}")
        return problems
    if set(r) != {"line", "valid", "violations"}:
        problems.append(f"keys {sorted(r)}")
    vs = r.get("violations")
    if not isinstance(vs, list) or not vs:
        return problems + ["an invalid result without violations"]
    for v in vs:
        if not isinstance(v, dict) or set(v) != {"path", "rule", "message"}:
            problems.append(f"malformed violation {v!r}")
            continue
        if not isinstance(v["path"], str) or not v["path"].startswith("$"):
            problems.append(f"path {v['path']!r} is not a JSONPath")
        if v["rule"] not in RULES:
            problems.append(f"unknown rule {v['rule']!r}")
        if not isinstance(v["message"], str) or not v["message"]:
            problems.append("empty message")
    if message.kind in NOT_JSON_KINDS and vs != [{"path": "$", "rule": "parse", "message": vs[0].get("message")}]:
        problems.append("a line that is not JSON must get exactly one `parse` violation at `$`")
    return problems


def check_ajv_result(r, n):
    return isinstance(r, dict) and r.get("line") == n and isinstance(r.get("valid"), bool) and set(r) == {"line", "valid"}


class Stats:
    def __init__(self):
        self.targets = collections.Counter()
        self.messages = 0
        self.compared = 0
        self.agreements = 0
        self.one_way_checked = 0
        self.skipped = collections.Counter()
        self.unexpected = collections.Counter()
        self.kinds = collections.Counter()
        self.generated_compared = 0
        self.generated_differs = 0


def linked_schemas(directory):
    """Every schema of a jsonschema output directory, by its "$id" (a record's
    schema refers to the records of its fields by their "$id")."""
    by_id = {}
    for name in sorted(os.listdir(directory)):
        if name.endswith(".schema.json"):
            with open(os.path.join(directory, name), encoding="utf-8") as f:
                schema = json.load(f)
            by_id[schema["$id"]] = schema
    return by_id


def reachable_unexpressed(schema, linked):
    """The "x-mesh-unexpressed" entries of the schema and of every schema it
    refers to, directly or not: what the target's validator checks that the
    schemas together cannot say."""
    out, seen, work = [], {schema.get("$id")}, [schema]
    while work:
        s = work.pop()
        if isinstance(s, dict):
            ref = s.get("$ref")
            if isinstance(ref, str) and ref in linked and ref not in seen:
                seen.add(ref)
                work.append(linked[ref])
            out.extend(s.get("x-mesh-unexpressed", []))
            work.extend(v for k, v in s.items() if k != "x-mesh-unexpressed")
        elif isinstance(s, list):
            work.extend(s)
    return out


def run_target(args, name, workspace, schema_path, stats, failures):
    seeds_path = os.path.join(SEEDS, name + ".jsonl")
    if not os.path.exists(seeds_path):
        failures.append(Failure(name, f"no seeds: {os.path.relpath(seeds_path, REPO)} is missing"))
        stats.targets["without seeds"] += 1
        return
    linked = linked_schemas(os.path.dirname(schema_path))
    with open(schema_path, encoding="utf-8") as f:
        schema = json.load(f)
    unexpressed = reachable_unexpressed(schema, linked)
    seeds = corpus.read_seeds(seeds_path)
    if len(seeds) < 2:
        failures.append(Failure(name, f"only {len(seeds)} seed(s); at least 2 are wanted"))
    messages = corpus.build_corpus(name, schema, seeds, linked)
    stats.messages += len(messages)
    for m in messages:
        stats.kinds[m.kind] += 1
    data_path = os.path.join(args.tmp, "corpus", name + ".jsonl")
    os.makedirs(os.path.dirname(data_path), exist_ok=True)
    with open(data_path, "wb") as f:
        for m in messages:
            f.write(m.data + b"\n")

    env = dict(os.environ, MESH_NOW=MESH_NOW, MESH_TODAY=MESH_NOW[:10])
    try:
        mp = subprocess.Popen([args.meshc, "validate", workspace, "--product", name, data_path],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
        ap = subprocess.Popen([args.node, AJV, schema_path, data_path], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    except OSError as e:
        fail_env(f"cannot run {e.filename}: {e.strerror}")
    m_out, m_err = mp.communicate()
    a_out, a_err = ap.communicate()

    # The generated validator: byte for byte what meshc prints, same exit code.
    binary = args.mesh_validate.get(workspace) if args.mesh_validate else None
    if binary:
        g = subprocess.run([binary, "--product", name, data_path], capture_output=True, env=env)
        stats.generated_compared += 1
        if g.stdout != m_out or g.returncode != mp.returncode:
            mine, theirs = m_out.decode("utf-8", "replace").splitlines(), g.stdout.decode("utf-8", "replace").splitlines()
            first = next((i for i, (a, b) in enumerate(zip(mine, theirs)) if a != b), min(len(mine), len(theirs)))
            failures.append(Failure(name, f"mesh-validate differs from meshc validate (exit {g.returncode} vs "
                                          f"{mp.returncode}) first at line {first + 1}:\n  meshc:         "
                                          f"{mine[first] if first < len(mine) else '<none>'}\n  mesh-validate: "
                                          f"{theirs[first] if first < len(theirs) else '<none>'}"))
            stats.generated_differs += 1

    # meshc: well formed, always.
    if mp.returncode not in (0, 1):
        failures.append(Failure(name, f"meshc validate exited {mp.returncode}: {m_err.decode(errors='replace')[:2000]}"))
        stats.targets["meshc failed"] += 1
        return
    m_results, problems = read_results(m_out.decode("utf-8", "replace"), len(messages), "meshc")
    for p in problems:
        failures.append(Failure(name, p))
    all_valid = True
    for i, (m, r) in enumerate(zip(messages, m_results)):
        bad = check_meshc_result(r, i + 1, m)
        if bad:
            failures.append(Failure(name, "meshc output is not well formed: " + "; ".join(bad), i + 1, m, meshc=r))
        if isinstance(r, dict) and r.get("valid") is not True:
            all_valid = False
        if m.kind == "seed" and isinstance(r, dict) and r.get("valid") is not True:
            failures.append(Failure(name, "a seed is not valid for meshc", i + 1, m, meshc=r))
    if (mp.returncode == 0) != all_valid:
        failures.append(Failure(name, f"meshc validate exited {mp.returncode} but "
                                      f"{'every' if all_valid else 'not every'} line is valid"))

    # ajv.
    if ap.returncode == 3:
        failures.append(Failure(name, "ajv cannot compile the exported schema: " + a_err.decode(errors="replace").strip()))
        stats.targets["schema rejected by ajv"] += 1
        return
    if ap.returncode not in (0, 1):
        fail_env(f"ajv_validate.js exited {ap.returncode} on {name}: {a_err.decode(errors='replace')}")
    a_results, problems = read_results(a_out.decode("utf-8", "replace"), len(messages), "ajv")
    for p in problems:
        failures.append(Failure(name, p))

    stats.targets["unexpressed parts" if unexpressed else "fully expressed"] += 1
    if args.keep:
        os.makedirs(os.path.join(args.tmp, "results"), exist_ok=True)
        with open(os.path.join(args.tmp, "results", name + ".tsv"), "w", encoding="utf-8") as f:
            f.write("line\tkind\tmeshc\tajv\tdetail\n")
            for i, (m, mr, ar) in enumerate(zip(messages, m_results, a_results)):
                verdict = lambda r: str(r.get("valid")).lower() if isinstance(r, dict) else "?"
                f.write(f"{i + 1}\t{m.kind}\t{verdict(mr)}\t{verdict(ar)}\t{m.detail}\n")
    shown = collections.Counter()
    for i, (m, mr, ar) in enumerate(zip(messages, m_results, a_results)):
        if not isinstance(mr, dict) or not isinstance(mr.get("valid"), bool) or not check_ajv_result(ar, i + 1):
            continue
        mv, av = mr["valid"], ar["valid"]
        if unexpressed:
            if args.no_one_way:
                continue
            stats.one_way_checked += 1
            # The schema says less than the contract: what meshc accepts, ajv accepts.
            if not mv or av:
                continue
        else:
            stats.compared += 1
            if mv == av:
                stats.agreements += 1
                continue
        rule = DELIBERATE.get(m.kind)
        if rule and (rule[0] is None or rule[0] == mv) and (rule[1] is None or rule[1] == av):
            stats.skipped[m.kind] += 1
            continue
        stats.unexpected[m.kind] += 1
        shown[m.kind] += 1
        if shown[m.kind] <= args.max_report:
            what = "verdicts differ" if not unexpressed else "meshc accepts what ajv rejects (schema with unexpressed parts)"
            failures.append(Failure(name, what, i + 1, m, meshc=mr, ajv=ar, disagreement=True))
    for kind, count in shown.items():
        if count > args.max_report:
            failures.append(Failure(name, f"... and {count - args.max_report} more unexpected disagreements "
                                          f"of kind {kind}", note=True))


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--meshc", required=True, help="the meshc binary")
    ap.add_argument("--node", default=shutil.which("node") or "node", help="the node binary")
    ap.add_argument("--npm", default=shutil.which("npm") or "npm", help="npm, to install ajv when node_modules is missing")
    ap.add_argument("--only", help="only targets whose name matches this regular expression")
    ap.add_argument("--keep", help="keep schemas and corpora in this directory (default: a temporary one)")
    ap.add_argument("--max-report", type=int, default=5, help="disagreements shown per target and kind (default 5)")
    ap.add_argument("--cpp", action="store_true",
                    help="also build the generated C++ (g++, C++17) and require mesh-validate to print exactly "
                         "what meshc validate prints on every corpus")
    ap.add_argument("--no-one-way", action="store_true",
                    help="for schemas with unexpressed parts, check only that meshc's output is well formed")
    args = ap.parse_args(argv)
    args.meshc = os.path.abspath(args.meshc)
    if not os.access(args.meshc, os.X_OK):
        fail_env(f"meshc not found at {args.meshc}")
    if not shutil.which(args.node) and not os.access(args.node, os.X_OK):
        fail_env(f"node not found ({args.node})")
    ensure_node_modules(args.node, args.npm)

    if args.keep:
        os.makedirs(args.keep, exist_ok=True)
        args.tmp = os.path.abspath(args.keep)
    else:
        args.tmp = tempfile.mkdtemp(prefix="mesh-differential-")
    try:
        targets = []  # (name, workspace, schema path)
        args.mesh_validate = {}
        for label, contracts in (("diff", CONTRACTS), ("examples", EXAMPLES)):
            if args.cpp:
                args.mesh_validate[contracts] = build_cpp(args.meshc, contracts, os.path.join(args.tmp, label + "-cpp"))
            schemas = build_schemas(args.meshc, contracts, os.path.join(args.tmp, label))
            for record, path in schemas.items():
                targets.append((record, contracts, path))
            for product, record in sorted(find_products(contracts, schemas).items()):
                targets.append((product, contracts, schemas[record]))
        if args.only:
            targets = [t for t in targets if re.search(args.only, t[0])]
        names = {t[0] for t in targets}
        stats = Stats()
        failures = []
        if not args.only:
            for f in sorted(os.listdir(SEEDS)):
                if f.endswith(".jsonl") and f[:-len(".jsonl")] not in names:
                    failures.append(Failure(f[:-len(".jsonl")], f"seeds/{f} belongs to no target"))
        for name, workspace, schema_path in targets:
            run_target(args, name, workspace, schema_path, stats, failures)

        for f in failures:
            print(f.render())
        print()
        print("Differential test: meshc validate vs ajv (draft 2020-12, strict, ajv-formats)")
        print(f"  targets: {len(targets)} ("
              + ", ".join(f"{v} {k}" for k, v in sorted(stats.targets.items())) + ")")
        print(f"  messages: {stats.messages} ({stats.kinds['seed']} seeds, "
              f"{stats.messages - stats.kinds['seed']} mutants of {len(stats.kinds) - 1} kinds)")
        print(f"  compared on fully expressed schemas: {stats.compared}, agreements: {stats.agreements}")
        if not args.no_one_way:
            print(f"  one-way checks on schemas with unexpressed parts: {stats.one_way_checked}")
        if stats.skipped:
            print("  skipped, deliberate differences:")
            for kind, count in sorted(stats.skipped.items()):
                print(f"    {count:6d}  {kind}: {DELIBERATE[kind][2]}")
        if stats.unexpected:
            print("  UNEXPECTED disagreements by mutant kind:")
            for kind, count in sorted(stats.unexpected.items()):
                print(f"    {count:6d}  {kind}")
        unexpected = sum(stats.unexpected.values())
        problems = len([f for f in failures if not f.disagreement and not f.note])
        if problems:
            print(f"  other problems: {problems}")
        passed = stats.compared + stats.one_way_checked - unexpected
        if args.cpp:
            print(f"  mesh-validate (generated C++) byte-identical to meshc validate on "
                  f"{stats.generated_compared - stats.generated_differs} of {stats.generated_compared} corpora")
        print(f"differential: {passed} passed, {unexpected + problems} failed")
        return 1 if failures else 0
    finally:
        if not args.keep:
            shutil.rmtree(args.tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

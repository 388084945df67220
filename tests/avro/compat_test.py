#!/usr/bin/env python3
"""compat_test.py AVRO_COMPAT: meshrt's Avro schema library against python3-avro.

AVRO_COMPAT is tests/avro/avro_compat.cpp built. For every pair of
tests/avro/compat_corpus.json (a reader's and a writer's schema):
- meshrt's verdict is the one the entry expects (the spec's, by hand);
- python3-avro's ReaderWriterCompatibilityChecker gives the same verdict,
  and the same incompatibility types where both name some;
- where python3-avro 1.11.1 departs from the spec, the entry says so under
  "python" (its verdict and types, and why): then python3-avro must still
  give exactly that, so a fixed python3-avro makes this test ask for the
  entry to be updated rather than going unnoticed.
Then 500 seeded random pairs (compat_random.py) must get the same verdict
and types from both. For every schema of the corpus, meshrt's Parsing Canonical Form equals
python3-avro's, and meshrt's fingerprint equals the spec's CRC-64-AVRO of it,
computed here from the spec's pseudo-code (python3-avro 1.11 has no
fingerprint). python3-avro writes a primitive that carries attributes (a
logical type) as {"type": "int"} where the spec's [PRIMITIVES] says "int";
those are compared after turning that form back into the name, and counted.
Exit 0 when all agree; nothing is skipped.
"""
import json
import os
import re
import subprocess
import sys
import warnings

import avro.compatibility as compat
import avro.schema

import compat_random

HERE = os.path.dirname(os.path.abspath(__file__))
PRIMITIVE_OBJECT = re.compile(r'\{"type":"(null|boolean|int|long|float|double|bytes|string)"\}')


def fingerprint64(data):
    """The spec's 64-bit Rabin fingerprint (Schema Fingerprints), as unsigned."""
    empty = 0xC15D213AA4D7A795
    table = []
    for i in range(256):
        fp = i
        for _ in range(8):
            fp = (fp >> 1) ^ (empty & -(fp & 1))
        table.append(fp & 0xFFFFFFFFFFFFFFFF)
    fp = empty
    for byte in data:
        fp = (fp >> 8) ^ table[(fp ^ byte) & 0xFF]
    return fp


def python_check(reader, writer):
    result = compat.ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    verdict = "COMPATIBLE" if result.compatibility is compat.SchemaCompatibilityType.compatible else "INCOMPATIBLE"
    return verdict, sorted({t.name.upper() for t in result.incompatibilities})


def run_tool(tool, requests):
    text = "".join(json.dumps(r) + "\n" for r in requests)
    out = subprocess.run([tool], input=text, capture_output=True, text=True, check=True).stdout
    answers = [json.loads(line) for line in out.splitlines()]
    assert len(answers) == len(requests), "avro_compat answered %d of %d lines" % (len(answers), len(requests))
    return answers


def check_pair(entry, answer, python_schemas):
    """The problems of one pair (empty when all agree)."""
    problems = []
    if not answer["ok"]:
        return ["meshrt does not read it: " + answer["error"]]
    ours = answer["verdict"]
    our_types = sorted({i["type"] for i in answer["incompatibilities"]})
    if ours != entry["expect"]:
        problems.append("meshrt says %s, the spec %s: %s" % (ours, entry["expect"], answer["incompatibilities"]))
    if "types" in entry and our_types != sorted(entry["types"]):
        problems.append("meshrt names %s, the entry %s" % (our_types, sorted(entry["types"])))
    theirs, their_types = python_check(*python_schemas)
    quirk = entry.get("python")
    if quirk:
        if (theirs, their_types) != (quirk["verdict"], sorted(quirk["types"])):
            problems.append("python3-avro no longer departs as the entry says: %s %s" % (theirs, their_types))
    else:
        if theirs != ours:
            problems.append("python3-avro says %s (%s), meshrt %s" % (theirs, their_types, ours))
        elif our_types and their_types and our_types != their_types:
            problems.append("python3-avro names %s, meshrt %s" % (their_types, our_types))
    return problems


def check_schemas(tool, texts):
    """Canonical forms and fingerprints: (problems, how many were normalized)."""
    problems, normalized = [], 0
    for text, answer in zip(texts, run_tool(tool, [{"schema": t} for t in texts])):
        if not answer["ok"]:
            problems.append("%s: meshrt does not read it: %s" % (text, answer["error"]))
            continue
        theirs = avro.schema.parse(text).canonical_form
        if PRIMITIVE_OBJECT.search(theirs):
            theirs = PRIMITIVE_OBJECT.sub(r'"\1"', theirs)
            normalized += 1
        if answer["canonical"] != theirs:
            problems.append("%s: meshrt's canonical form %s, python3-avro's %s" % (text, answer["canonical"], theirs))
        expected = fingerprint64(answer["canonical"].encode("utf-8"))
        if int(answer["fingerprint"]) != expected:
            problems.append("%s: meshrt's fingerprint %s, the spec's %d" % (text, answer["fingerprint"], expected))
    return problems, normalized


def check_random(tool, seed, count):
    """Random pairs (compat_random.py): the verdicts and types agree."""
    pairs = compat_random.pairs(seed, count)
    requests = [{"reader": json.dumps(r), "writer": json.dumps(w)} for r, w in pairs]
    problems, incompatible = [], 0
    for request, answer in zip(requests, run_tool(tool, requests)):
        where = "random pair %s <- %s" % (request["reader"], request["writer"])
        if not answer["ok"]:
            problems.append("%s: meshrt does not read it: %s" % (where, answer["error"]))
            continue
        ours = answer["verdict"]
        our_types = sorted({i["type"] for i in answer["incompatibilities"]})
        theirs, their_types = python_check(avro.schema.parse(request["reader"]), avro.schema.parse(request["writer"]))
        incompatible += ours == "INCOMPATIBLE"
        if theirs != ours or (our_types and their_types and our_types != their_types):
            problems.append("%s: python3-avro says %s %s, meshrt %s %s" % (where, theirs, their_types, ours, our_types))
    return problems, incompatible


def main():
    tool = sys.argv[1]
    warnings.simplefilter("ignore")  # python3-avro warns on logical types it ignores
    with open(os.path.join(HERE, "compat_corpus.json")) as f:
        pairs = json.load(f)["pairs"]
    requests = [{"reader": json.dumps(p["reader"]), "writer": json.dumps(p["writer"])} for p in pairs]
    failures = 0
    for entry, answer, request in zip(pairs, run_tool(tool, requests), requests):
        python_schemas = (avro.schema.parse(request["reader"]), avro.schema.parse(request["writer"]))
        for problem in check_pair(entry, answer, python_schemas):
            print("FAIL %s: %s" % (entry["name"], problem))
            failures += 1
    texts = sorted({r[k] for r in requests for k in ("reader", "writer")})
    problems, normalized = check_schemas(tool, texts)
    for problem in problems:
        print("FAIL " + problem)
    failures += len(problems)
    random_count = 500
    random_problems, incompatible = check_random(tool, 19, random_count)
    for problem in random_problems:
        print("FAIL " + problem)
    failures += len(random_problems)
    quirks = sum(1 for p in pairs if "python" in p)
    print("%d pairs (%d where python3-avro departs from the spec, checked as documented), %d schemas "
          "(%d canonical forms with python3-avro's {\"type\": primitive} normalized): %d failures"
          % (len(pairs), quirks, len(texts), normalized, failures))
    print("%d random pairs (%d incompatible), verdicts and types compared" % (random_count, incompatible))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

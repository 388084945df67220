#!/usr/bin/python3
"""make_seeds.py: (re)writes the checked-in seed corpora of the fuzz targets.

corpus/frontend: every example domain file, and all of examples/contracts as
one multi-file input (`//--- NAME` lines, see frontend.cpp), so that imports,
cross-package references and policies resolve. corpus/validator and
corpus/differential (the same files): the seeds of the examples' targets in
tests/differential/seeds, one message a file, and 12 messages of
bench/validate/gen_orders.py (valid and invalid orders). Deterministic.
Usage: make_seeds.py (from anywhere)
"""
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))


def write_dir(name, items):
    out = os.path.join(HERE, "corpus", name)
    shutil.rmtree(out, ignore_errors=True)
    os.makedirs(out)
    for label, data in items:
        digest = hashlib.sha1(data).hexdigest()[:12]
        with open(os.path.join(out, f"{label}-{digest}"), "wb") as f:
            f.write(data)


def main():
    examples = os.path.join(REPO, "examples", "contracts")
    files = []
    for root, _, names in os.walk(examples):
        for n in sorted(names):
            if n.endswith(".mesh"):
                files.append(os.path.join(root, n))
    files.sort()
    front = []
    combined = b""
    for f in files:
        rel = os.path.relpath(f, examples)
        data = open(f, "rb").read()
        front.append(("example-" + rel.replace("/", "-").removesuffix(".mesh"), data))
        combined += b"//--- " + rel.encode() + b"\n" + data
    front.append(("examples-all", combined))
    write_dir("frontend", front)

    messages = []
    seeds = os.path.join(REPO, "tests", "differential", "seeds")
    for n in sorted(os.listdir(seeds)):
        if n.startswith(("sales.", "supply.")):
            for i, line in enumerate(open(os.path.join(seeds, n), "rb").read().splitlines()):
                if line.strip():
                    messages.append((n.removesuffix(".jsonl") + f"-{i + 1}", line))
    with tempfile.TemporaryDirectory() as tmp:
        path = os.path.join(tmp, "orders.jsonl")
        subprocess.run([sys.executable, os.path.join(REPO, "bench", "validate", "gen_orders.py"), "12", path,
                        "--seed", "7"], check=True, stdout=subprocess.DEVNULL)
        for i, line in enumerate(open(path, "rb").read().splitlines()):
            messages.append((f"gen_orders-{i + 1}", line))
    write_dir("validator", messages)
    write_dir("differential", messages)


if __name__ == "__main__":
    main()

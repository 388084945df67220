#!/usr/bin/python3
"""update-fmt-golden.py: rewrites the `expected.mesh` part of each golden test
of `meshc fmt` (tests/lit/fmt/*.test) with what meshc fmt makes of its
`input.mesh` part, for review with `git diff` after a deliberate change of
the layout rules. Usage: tools/update-fmt-golden.py [MESHC] (default build/meshc)."""
import os
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MESHC = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "build", "meshc"))
INPUT, EXPECTED = "#--- input.mesh\n", "#--- expected.mesh\n"

for name in sorted(os.listdir(os.path.join(ROOT, "tests", "lit", "fmt"))):
    path = os.path.join(ROOT, "tests", "lit", "fmt", name)
    if not name.endswith(".test"):
        continue
    text = open(path, encoding="utf-8").read()
    if INPUT not in text or EXPECTED not in text:
        continue
    head, rest = text.split(INPUT, 1)
    source, _ = rest.split(EXPECTED, 1)
    with tempfile.TemporaryDirectory() as tmp:
        file = os.path.join(tmp, "input.mesh")
        with open(file, "w", encoding="utf-8") as f:
            f.write(source)
        run = subprocess.run([MESHC, "fmt", file], capture_output=True, text=True)
        if run.returncode != 0:
            sys.exit(f"{name}: meshc fmt failed ({run.returncode}):\n{run.stderr}")
        formatted = open(file, encoding="utf-8").read()
    with open(path, "w", encoding="utf-8") as f:
        f.write(head + INPUT + source + EXPECTED + formatted)
    print(f"updated tests/lit/fmt/{name}")

"""Runs `meshc explain` for every code of Kinds.def and checks that each
prints "CODE (severity): title" first, then an explanation with an example
and a fix (toolchain.md section 1), and exits 0.

usage: explain-every-code.py MESHC KINDS_DEF
"""
import re
import subprocess
import sys

meshc, kinds_def = sys.argv[1], sys.argv[2]
kinds = re.findall(r'^DIAG\((\w+), (\w+), "(.*)"\)', open(kinds_def).read(), re.M)
problems = []
for code, severity, title in kinds:
    run = subprocess.run([meshc, "explain", code], capture_output=True, text=True)
    out = run.stdout
    if run.returncode != 0:
        problems.append(f"{code}: exit status {run.returncode}")
    if not out.startswith(f"{code} ({severity.lower()}): {title}\n"):
        problems.append(f"{code}: starts with {out.splitlines()[0] if out else '(nothing)'!r}")
    body = out.split("\n", 1)[1] if "\n" in out else ""
    if len(body.strip()) < 80:
        problems.append(f"{code}: no explanation")
    if "Example" not in body:
        problems.append(f"{code}: no example")
    if "Fix" not in body:
        problems.append(f"{code}: no fix")
print("\n".join(problems) if problems else f"{len(kinds)} codes explained")
sys.exit(1 if problems else 0)

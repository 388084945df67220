#!/usr/bin/env python3
"""Fails when a diagnostic code of compiler/diagnostics/Kinds.def has no
explanation in Explanations.def, or no lit test that checks it at a line and
column (a CHECK line naming `error[CODE]` or `warning[CODE]` with `:L:C` or
`[[@LINE`). A registry entry without a test is a diagnostic nobody has seen.

usage: diag_coverage.py REPO_ROOT
"""
import pathlib
import re
import sys

from harness import report


def main():
    root = pathlib.Path(sys.argv[1])
    kinds = re.findall(r"^DIAG\((\w+),", (root / "compiler/diagnostics/Kinds.def").read_text(), re.M)
    explained = set(re.findall(r"^EXPLAIN\((\w+),", (root / "compiler/diagnostics/Explanations.def").read_text(), re.M))
    tested = set()
    for test in (root / "tests/lit").rglob("*"):
        if not test.is_file() or "pending" in test.parts or test.suffix not in (".mesh", ".test"):
            continue
        for line in test.read_text(errors="replace").splitlines():
            if "CHECK" not in line:
                continue
            for code in re.findall(r"(?:error|warning|note)\[(\w+)\]", line):
                if re.search(r"(\[\[@LINE[^\]]*\]\]|:\d+):\d+:", line):
                    tested.add(code)
    problems = []
    for code in kinds:
        if code not in explained:
            problems.append(f"{code}: no explanation in Explanations.def")
        if code not in tested:
            problems.append(f"{code}: no lit test checks it at a line and column")
    for code in sorted(explained - set(kinds)):
        problems.append(f"{code}: explained but not in Kinds.def")
    report(problems, f"all {len(kinds)} diagnostic codes are explained and tested")


if __name__ == "__main__":
    main()

"""Checks that a file is JSON Lines diagnostics as toolchain.md section 1
describes: one object per line with exactly the keys file, line, column,
end_line, end_column, severity, code, message, notes (in that order), 1-based
positions, end after begin, and notes that are objects with a message.

usage: json-lines.py FILE
"""
import json
import sys

KEYS = ["file", "line", "column", "end_line", "end_column", "severity", "code", "message", "notes"]
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
if not lines:
    sys.exit("json-lines.py: no diagnostics")
for n, text in enumerate(lines, 1):
    d = json.loads(text)
    if list(d) != KEYS:
        sys.exit(f"line {n}: keys {list(d)}, expected {KEYS}")
    if d["severity"] not in ("error", "warning", "note"):
        sys.exit(f"line {n}: severity {d['severity']!r}")
    for k in ("line", "column", "end_line", "end_column"):
        if not isinstance(d[k], int) or d[k] < 1:
            sys.exit(f"line {n}: {k} is {d[k]!r}")
    if (d["end_line"], d["end_column"]) <= (d["line"], d["column"]):
        sys.exit(f"line {n}: the range ends before it starts")
    for note in d["notes"]:
        if not isinstance(note.get("message"), str):
            sys.exit(f"line {n}: a note without a message")
print(f"{len(lines)} diagnostics")

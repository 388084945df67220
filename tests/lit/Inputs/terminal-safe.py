"""Fails if a file holds a control character a terminal would act on.

usage: terminal-safe.py FILE...

Tabs and line feeds are allowed; any other C0 character, DEL, or a C1
character (U+0080 to U+009F in UTF-8) is reported with its offset.
"""
import re
import sys

CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]|\xc2[\x80-\x9f]")
status = 0
for path in sys.argv[1:]:
    data = open(path, "rb").read()
    for m in CONTROL.finditer(data):
        sys.stderr.write(f"terminal-safe.py: {path}: control character {m.group()!r} at byte {m.start()}\n")
        status = 1
sys.exit(status)

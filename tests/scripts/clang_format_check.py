#!/usr/bin/env python3
"""clang_format_check.py: the C++ sources are formatted by the repo's .clang-format.

Runs Debian's clang-format 14 (`clang-format-14`, or `clang-format` when that
is version 14: another version formats differently) with --dry-run --Werror
over the C++ sources of compiler/, runtime/, tools/ and tests/unit/, leaving
out generated tables (*.inc, *.def: they are not among the suffixes below)
and the parser ANTLR generates (grammar/gen, any build*/ directory). Prints
each unformatted place as FILE:LINE:COLUMN (the first few of each file), one
line per file with its count, and the command that formats them; exits 1
when a file is not formatted, 2 when clang-format 14 is missing.

Usage: tests/scripts/clang_format_check.py [--root DIR] [--show N]
"""
import argparse
import collections
import pathlib
import re
import shutil
import subprocess
import sys

DIRS = ("compiler", "runtime", "tools", "tests/unit")
SUFFIXES = {".cpp", ".cc", ".cxx", ".h", ".hpp", ".hh"}
VERSION = "14"
PLACE = re.compile(r"^(?P<file>[^:\n]+):(?P<line>\d+):(?P<col>\d+): (?:error|warning): code should be clang-formatted")


def clang_format():
    """The path of clang-format 14, or None."""
    for name in (f"clang-format-{VERSION}", "clang-format"):
        path = shutil.which(name)
        if not path:
            continue
        version = subprocess.run([path, "--version"], capture_output=True, text=True).stdout
        if re.search(rf"version {VERSION}\.", version):
            return path
    return None


def sources(root):
    for d in DIRS:
        for path in sorted((root / d).rglob("*")):
            rel = path.relative_to(root)
            if path.suffix not in SUFFIXES or not path.is_file():
                continue
            if any(part == "gen" or part.startswith("build") or part == "node_modules" for part in rel.parts[:-1]):
                continue
            yield rel


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=pathlib.Path(__file__).resolve().parents[2], type=pathlib.Path)
    parser.add_argument("--show", type=int, default=3, metavar="N", help="places shown per file (default 3)")
    args = parser.parse_args()
    root = args.root.resolve()
    tool = clang_format()
    if not tool:
        print(f"clang-format: no clang-format {VERSION} on PATH (Debian: apt-get install clang-format; "
              "tools/setup.sh installs it)")
        return 2
    files = [str(f) for f in sources(root)]
    # One process for all files: a few seconds for the whole tree.
    run = subprocess.run([tool, "--dry-run", "--Werror", "--style=file", *files], cwd=root, capture_output=True,
                         text=True)
    places = collections.defaultdict(list)
    for line in run.stderr.splitlines():
        m = PLACE.match(line)
        if m:
            places[m["file"]].append((int(m["line"]), int(m["col"])))
    if run.returncode != 0 and not places:
        print(f"clang-format: {tool} failed (exit {run.returncode}):\n{run.stderr[-4000:]}")
        return 2
    for f in sorted(places):
        for line, col in places[f][:args.show]:
            print(f"{f}:{line}:{col}: not formatted as .clang-format says")
        more = len(places[f]) - args.show
        print(f"{f}: {len(places[f])} places" + (f" ({more} more not shown)" if more > 0 else ""))
    print(f"clang-format: {len(files)} files checked with {tool}, {len(places)} not formatted")
    if places:
        print(f"to format them: (cd {root} && {pathlib.Path(tool).name} -i {' '.join(sorted(places))})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""shape.py: the size rules of docs/contributing.md, checked.

No function over 120 lines and no source file over 800 lines in compiler/ and
runtime/ (generated tables excepted: *.inc and *.def are data, listed once
below). Functions are found by Universal Ctags (its C++ parser knows where a
function's body ends, lambdas and templates included). Prints every breach
and exits 1 when there is one; `--list N` prints the N longest functions.

Usage: tools/shape.py [--root DIR] [--list N]
"""
import argparse
import json
import pathlib
import re
import subprocess
import sys

MAX_FUNCTION_LINES = 120
MAX_FILE_LINES = 800
DIRS = ("compiler", "runtime")
SOURCES = (".cpp", ".h", ".hpp", ".cc")


def source_files(root):
    for d in DIRS:
        for path in sorted((root / d).rglob("*")):
            if path.suffix in SOURCES and path.is_file():
                yield path


def functions(root, files):
    """(lines, name, path, first line) of every function ctags sees."""
    cmd = ["ctags", "--languages=C++", "--map-C++=+.h", "--kinds-C++=f", "--fields=+ne",
           "--output-format=json", "-o", "-"] + [str(f) for f in files]
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout
    except FileNotFoundError:
        sys.exit("shape: no ctags on PATH (Debian: apt-get install universal-ctags; tools/setup.sh installs it)")
    for line in out.splitlines():
        tag = json.loads(line)
        if tag.get("_type") != "tag" or "end" not in tag:
            continue
        path = pathlib.Path(tag["path"]).relative_to(root)
        scope = re.sub(r"__anon[0-9a-f]+::|::__anon[0-9a-f]+$", "", tag.get("scope", ""))
        yield tag["end"] - tag["line"] + 1, scope + "::" + tag["name"], path, tag["line"]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", default=pathlib.Path(__file__).resolve().parent.parent, type=pathlib.Path)
    parser.add_argument("--list", type=int, default=0, metavar="N")
    args = parser.parse_args()
    root = args.root.resolve()
    files = list(source_files(root))
    breaches = []
    for path in files:
        with open(path, "rb") as f:
            n = sum(1 for _ in f)
        if n > MAX_FILE_LINES:
            breaches.append(f"{path.relative_to(root)}:{MAX_FILE_LINES + 1}: the file is {n} lines "
                            f"(a file may have {MAX_FILE_LINES})")
    funcs = sorted(functions(root, files), reverse=True)
    for n, name, path, line in funcs:
        if n > MAX_FUNCTION_LINES:
            breaches.append(f"{path}:{line}: {name.lstrip(':')} is {n} lines (a function may have {MAX_FUNCTION_LINES})")
    for n, name, path, line in funcs[: args.list]:
        print(f"{n:5} {path}:{line} {name.lstrip(':')}")
    for b in breaches:
        print(b)
    print(f"shape: {len(files)} files, {len(funcs)} functions, {len(breaches)} over the limits")
    return 1 if breaches else 0


if __name__ == "__main__":
    sys.exit(main())

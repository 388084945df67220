#!/usr/bin/env python3
"""inject_errors.py DIR: puts mistakes into a workspace of
bench/check/gen_workspace.py, deterministically, so that `meshc check` reports
diagnostics from every per-declaration phase of the checker (record fields,
annotations, constraints and defaults, products) spread over many files.
Used to show that -j does not change what the checker reports."""
import pathlib
import re
import sys

# (pattern, replacement): the first match in a file is replaced; file i gets
# mutation i % len(MUTATIONS), the other files are left alone.
MUTATIONS = [
    (r"float64;", "flaot64;"),                                   # unknown type (record fields)
    (r"where value >= 0\.0", 'where value >= "zero"'),           # a mistyped constraint
    (r"@pii\b", "@pii(level: 1)"),                               # a tag without parameters
    (r'= "web";', "= 5;"),                                      # a default that does not fit
    (r"&& !starts_with\(", "&& !begins_with("),                  # an unknown function in a check
    (r"readers \[analytics", "readers [analytcs"),               # an unknown role (products)
    (r"mask (\w+) for", r"mask \1.x for"),                       # a field path into a scalar
    (r"\nrecord (\w+) \{", r"\n@no_such_tag\nrecord \1 {"),      # an unknown tag (annotations)
    (r"key (\s*)(\w+);", r"key \1\2_typo;"),                     # an unknown topic key
]


def main():
    root = pathlib.Path(sys.argv[1])
    files = sorted(p for p in root.rglob("*.mesh") if "/platform/" not in p.as_posix())
    changed = 0
    for i, path in enumerate(files):
        pattern, replacement = MUTATIONS[i % len(MUTATIONS)]
        text = path.read_text()
        new = re.sub(pattern, replacement, text, count=1)
        if new != text:
            path.write_text(new)
            changed += 1
    print(f"{changed} of {len(files)} files changed")


if __name__ == "__main__":
    main()

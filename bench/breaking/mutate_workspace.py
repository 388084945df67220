#!/usr/bin/env python3
"""Make a changed copy of a workspace from bench/check/gen_workspace.py, as
a next version of it would look: a sprinkling of the changes `meshc
breaking` judges, each kept valid (the copy still checks without errors).

usage: mutate_workspace.py BASE OUT [--seed N] [--rate R]

Per record, with probability R (default 0.04) one of: an optional field
added (the commonest change), a required field added, an int32 field
widened to int64, a `len(value) <= N` bound halved (tightened) or a
`value >= 0` bound raised to 1. Per enum, with probability R/2, a member
added. Per product, with probability 2R, a version bump (patch, minor or,
one time in six, major), and with probability R/2 each: a longer freshness,
more partitions. Files not touched are copied byte for byte.

Prints a summary line of what changed on standard error. Standard library
only; the output is a pure function of the arguments.
"""

import argparse
import os
import random
import re
import shutil
import sys

RECORD = re.compile(r"^record (\w+) \{$")
FIELD = re.compile(r"^  (\w+):(\s+)(.*);$")
ENUM = re.compile(r"^(enum \w+ \{ )(.*)( \})$")
VERSION = re.compile(r'^(  version ")(\d+)\.(\d+)\.(\d+)(";)$')
FRESHNESS = re.compile(r"^(  +freshness +)(\d+)(ms|s|m|h|d)(;)$")
PARTITIONS = re.compile(r"^(  +partitions +)(\d+)(;)$")


def mutate_file(lines, rng, rate, counts, serial):
    out = []
    in_record = False
    record_change = None  # what this record gets, decided at its opening line
    done = False
    for line in lines:
        m = RECORD.match(line)
        if m:
            in_record = True
            done = False
            record_change = None
            if rng.random() < rate:
                record_change = rng.choices(
                    ["add_optional", "add_required", "widen", "tighten_len", "raise_min"],
                    weights=[45, 10, 15, 15, 15])[0]
            out.append(line)
            continue
        if in_record and line == "}":
            if record_change in ("add_optional", "add_required") and not done:
                serial[0] += 1
                if record_change == "add_optional":
                    out.append(f"  added_note_{serial[0]}: string?;")
                else:
                    out.append(f"  added_flag_{serial[0]}: bool;")
                counts[record_change] += 1
            in_record = False
            out.append(line)
            continue
        if in_record and not done and record_change in ("widen", "tighten_len", "raise_min"):
            f = FIELD.match(line)
            if f:
                name, space, rest = f.groups()
                new = None
                if record_change == "widen" and re.match(r"^int32( |$)", rest) and " = " not in rest:
                    new = "int64" + rest[len("int32"):]
                elif record_change == "tighten_len":
                    b = re.search(r"len\(value\) <= (\d+)", rest)
                    if b and int(b.group(1)) >= 2:
                        new = rest[:b.start(1)] + str(int(b.group(1)) // 2) + rest[b.end(1):]
                elif record_change == "raise_min" and "where value >= 0" in rest and "decimal" not in rest:
                    new = rest.replace("where value >= 0", "where value >= 1", 1)
                if new is not None:
                    out.append(f"  {name}:{space}{new};")
                    counts[record_change] += 1
                    done = True
                    continue
        e = ENUM.match(line)
        if e and rng.random() < rate / 2:
            serial[0] += 1
            out.append(f"{e.group(1)}{e.group(2)}, ADDED_{serial[0]}{e.group(3)}")
            counts["enum_member"] += 1
            continue
        v = VERSION.match(line)
        if v and rng.random() < rate * 2:
            major, minor, patch = int(v.group(2)), int(v.group(3)), int(v.group(4))
            kind = rng.choices(["patch", "minor", "major"], weights=[3, 2, 1])[0]
            if kind == "major":
                major, minor, patch = major + 1, 0, 0
            elif kind == "minor":
                minor, patch = minor + 1, 0
            else:
                patch += 1
            out.append(f"{v.group(1)}{major}.{minor}.{patch}{v.group(5)}")
            counts["bump_" + kind] += 1
            continue
        fr = FRESHNESS.match(line)
        if fr and rng.random() < rate / 2:
            out.append(f"{fr.group(1)}{int(fr.group(2)) * 2}{fr.group(3)}{fr.group(4)}")
            counts["freshness"] += 1
            continue
        p = PARTITIONS.match(line)
        if p and rng.random() < rate / 2:
            out.append(f"{p.group(1)}{int(p.group(2)) * 2}{p.group(3)}")
            counts["partitions"] += 1
            continue
        out.append(line)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("base")
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--rate", type=float, default=0.04)
    args = ap.parse_args()
    if not os.path.isdir(args.base):
        sys.exit(f"mutate_workspace.py: no directory {args.base}")
    if os.path.exists(args.out):
        sys.exit(f"mutate_workspace.py: {args.out} exists")
    rng = random.Random(args.seed)
    counts = {k: 0 for k in ["add_optional", "add_required", "widen", "tighten_len", "raise_min", "enum_member",
                             "bump_patch", "bump_minor", "bump_major", "freshness", "partitions"]}
    serial = [0]
    files = changed = 0
    for root, dirs, names in os.walk(args.base):
        dirs.sort()
        rel = os.path.relpath(root, args.base)
        os.makedirs(os.path.join(args.out, rel), exist_ok=True)
        for name in sorted(names):
            src, dst = os.path.join(root, name), os.path.join(args.out, rel, name)
            if not name.endswith(".mesh"):
                shutil.copyfile(src, dst)
                continue
            files += 1
            text = open(src, encoding="utf-8").read()
            lines = text.split("\n")
            new = mutate_file(lines, rng, args.rate, counts, serial)
            if new != lines:
                changed += 1
            with open(dst, "w", encoding="utf-8") as f:
                f.write("\n".join(new))
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    print(f"mutate_workspace: {changed} of {files} files changed: {summary}", file=sys.stderr)


if __name__ == "__main__":
    main()

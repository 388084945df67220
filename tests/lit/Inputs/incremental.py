"""`meshc build` twice rewrites nothing; a one-contract change rewrites only
the files whose bytes change.

usage: incremental.py MESHC EXAMPLES WORKDIR

A file counts as rewritten when its inode or its mtime (ns) changed: meshc
writes a changed file to a temporary and renames it over the old one, so a
rewrite always gets a new inode, even within one clock tick. The files that
should be rewritten are found independently of the incremental build: a
fresh build of the changed sources into another directory, compared byte for
byte with the tree before the change.
"""
import os
import shutil
import subprocess
import sys

meshc, examples, work = sys.argv[1:4]
src = os.path.join(work, "src")
out = os.path.join(work, "out")
ref = os.path.join(work, "ref")
shutil.rmtree(work, ignore_errors=True)
shutil.copytree(examples, src)
# Only the contracts: the examples' README is not a source.
for root, _, files in os.walk(src):
    for f in files:
        if not f.endswith(".mesh"):
            os.remove(os.path.join(root, f))

failures = []


def build(dest, *extra):
    r = subprocess.run([meshc, "build", src, "-o", dest, "--stats", *extra], capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit("meshc build failed (%d):\n%s%s" % (r.returncode, r.stdout, r.stderr))
    return r.stderr


def snapshot(root):
    """path -> (inode, mtime_ns, bytes) of every file under root."""
    out = {}
    for d, _, files in os.walk(root):
        for f in files:
            p = os.path.join(d, f)
            st = os.stat(p)
            with open(p, "rb") as fh:
                out[os.path.relpath(p, root)] = (st.st_ino, st.st_mtime_ns, fh.read())
    return out


def rewritten(before, after):
    return sorted(p for p in after if p in before and before[p][:2] != after[p][:2])


def check(cond, message):
    if not cond:
        failures.append(message)


# 1. A second build with nothing changed touches no file.
build(out)
first = snapshot(out)
check(len(first) > 10, "the examples generated only %d files" % len(first))
stats = build(out)
second = snapshot(out)
check(set(first) == set(second), "the no-op rebuild added or removed files: %s"
      % sorted(set(first) ^ set(second)))
touched = rewritten(first, second)
check(not touched, "the no-op rebuild rewrote %d files: %s" % (len(touched), touched[:10]))
check("; 0 written," in stats, "--stats does not report 0 files written: " + stats.strip())
# -j changes nothing either (the parallel writer compares the same way).
build(out, "-j", "1")
touched = rewritten(first, snapshot(out))
check(not touched, "the no-op rebuild with -j 1 rewrote: %s" % touched[:10])

# 2. One contract changes (a record added to sales.customers): exactly the
# files whose bytes differ are rewritten (and one is new); the rest keep
# their inode and mtime.
with open(os.path.join(src, "sales", "customers.mesh"), "a") as fh:
    fh.write("\n/// Added by the incremental-build test.\nrecord IncrementalProbe {\n  probe_id: string;\n}\n")
build(ref)
expected_content = snapshot(ref)
should_change = sorted(p for p in expected_content if p in first and expected_content[p][2] != first[p][2])
new_files = sorted(set(expected_content) - set(first))
check(should_change, "the change altered no existing generated file (the test no longer tests anything)")
check(new_files == ["jsonschema/sales.customers.IncrementalProbe.schema.json"],
      "unexpected new files: %s" % new_files)
check(not any(p.startswith("cpp/supply/") for p in should_change),
      "a sales change alters supply's code: %s" % should_change)
stats = build(out)
third = snapshot(out)
touched = rewritten(second, third)
check(touched == should_change, "rewritten %s, expected exactly %s" % (touched, should_change))
check("; %d written," % (len(should_change) + len(new_files)) in stats,
      "--stats does not count %d files written: %s" % (len(should_change) + len(new_files), stats.strip()))
untouched = len(third) - len(touched) - len(new_files)
check(untouched > len(touched), "most files should be untouched (%d untouched, %d rewritten)"
      % (untouched, len(touched)))
check({p: v[2] for p, v in third.items()} == {p: v[2] for p, v in expected_content.items()},
      "the incremental build differs from a fresh build of the same sources")

# 3. The record removed again: its schema goes, the rewritten files return
# to their first bytes, and nothing else is touched.
with open(os.path.join(src, "sales", "customers.mesh")) as fh:
    text = fh.read()
with open(os.path.join(src, "sales", "customers.mesh"), "w") as fh:
    fh.write(text[: text.index("\n/// Added by the incremental-build test.")])
build(out)
fourth = snapshot(out)
check(set(fourth) == set(first), "after the removal the files differ from the first build: %s"
      % sorted(set(fourth) ^ set(first)))
touched = rewritten(third, fourth)
check(touched == should_change, "the removal rewrote %s, expected %s" % (touched, should_change))
check(all(fourth[p][2] == first[p][2] for p in fourth if p in first), "the removal did not restore the first bytes")

for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print("incremental: %d files; no-op rebuild rewrote none; the change rewrote %d and added %d" %
      (len(first), len(should_change), len(new_files)))

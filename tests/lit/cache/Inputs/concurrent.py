"""Concurrent runs share one cache and one output directory (docs/cache.md).

usage: concurrent.py MESHC EXAMPLES WORKDIR

Rounds of N builds started at once into one output directory, with one
cache directory: on an empty cache (all miss and store), on a full one (all
hit), and after an edit (all miss again, then store). Every run must exit 0
and print the same diagnostics, the tree must equal a build without the
cache, and the cache must then hold whole entries only (the next run hits).
"""
import glob
import os
import shutil
import subprocess
import sys

meshc, examples, work = sys.argv[1:4]
RUNS = 6
shutil.rmtree(work, ignore_errors=True)
src, out, ref, cache = (os.path.join(work, d) for d in ("src", "out", "ref", "cache"))
shutil.copytree(examples, src)
env = dict(os.environ, MESH_CACHE_DIR=cache)
failures = []


def tree(root):
    files = {}
    for d, _, names in os.walk(root):
        for n in names:
            p = os.path.join(d, n)
            with open(p, "rb") as fh:
                files[os.path.relpath(p, root)] = fh.read()
    return files


def diagnostics(stderr):
    return [l for l in stderr.splitlines() if not l.startswith("meshc stats") and not l.startswith("wrote ")]


def round_of(name, command, expect):
    procs = [subprocess.Popen([meshc] + command + ["--stats"], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(RUNS)]
    results = [(p.wait(), p.stdout.read(), p.stderr.read()) for p in procs]
    codes = sorted(set(r[0] for r in results))
    if codes != [0]:
        failures.append("%s: exit codes %s: %s" % (name, codes, [r[2][-300:] for r in results if r[0]]))
    if len(set("\n".join(diagnostics(r[2])) for r in results)) != 1:
        failures.append("%s: the runs printed different diagnostics" % name)
    hits = sum("meshc stats: cache hit" in r[2] for r in results)
    if expect == "hit" and hits != RUNS:
        failures.append("%s: %d of %d runs hit the cache" % (name, hits, RUNS))
    return results


def same_as_without_cache(name):
    shutil.rmtree(ref, ignore_errors=True)
    r = subprocess.run([meshc, "build", src, "-o", ref, "--no-cache"], capture_output=True, text=True)
    if r.returncode != 0 or tree(ref) != tree(out):
        failures.append("%s: the tree differs from a build without the cache" % name)
    for kind in glob.glob(os.path.join(cache, "v1", "*")):
        for entry in os.listdir(kind):  # temporaries start with a dot
            if entry != ".swept" and not entry.isalnum():
                failures.append("%s: a temporary was left in the cache: %s" % (name, entry))


build = ["build", src, "-o", out]
round_of("empty cache", build, "any")
same_as_without_cache("empty cache")
round_of("full cache", build, "hit")
same_as_without_cache("full cache")
round_of("checks on a full cache", ["check", src], "any")
with open(os.path.join(src, "sales", "customers.mesh"), "a") as fh:
    fh.write("\n/// Added by the concurrency test.\nrecord ConcurrentProbe {\n  probe_id: string;\n}\n")
round_of("after an edit", build, "any")
same_as_without_cache("after an edit")
round_of("after an edit, full cache", build, "hit")
for f in failures:
    print("FAIL:", f)
if failures:
    sys.exit(1)
print("concurrent: %d rounds of %d runs, all exit 0, trees identical to a build without the cache" % (5, RUNS))

"""Checking after an edit against checking from scratch (docs/cache.md).

usage: incremental.py MESHC SOURCE DIR STEPS SEED

Copies SOURCE, a directory of contracts, into DIR/ws, or generates a workspace
there when SOURCE is bench/check/gen_workspace.py; checks
it once with a cache in DIR/cache, then makes STEPS random edits, one file at
a time (a comment, a misspelt type or name, a constraint dropped or changed,
a field's type changed or the field removed, a declaration other files use
renamed, a product's domain changed, a version bumped, or an edit undone), and after each runs `meshc check --stats` on the
cache and `meshc check --no-cache`: their exit status, standard output and
standard error (without the stats lines) must be the same bytes. Prints one
line per step with what the incremental run checked, and exits 1 at the
first difference, or when no step checked fewer packages than the build has
(the incremental path never ran), or when no step reported an error (the
edits never reached the checker).
"""
import os
import random
import re
import shutil
import subprocess
import sys


def run(meshc, ws, env, *extra):
    p = subprocess.run([meshc, "check", ws, "-j", "2", *extra], env=env, capture_output=True, text=True)
    stats = [line for line in p.stderr.splitlines() if line.startswith("meshc stats:")]
    err = "\n".join(line for line in p.stderr.splitlines() if not line.startswith("meshc stats:"))
    return p.returncode, p.stdout, err, stats


# Each edit: (name, function of the text returning the new text or None).
# `used_elsewhere(name)`: whether another file spells the name; a rename
# prefers such a declaration, so that the edit reaches other packages.
def edits(rng, used_elsewhere):
    def sub_one(pattern, repl, prefer=None):
        def f(text):
            found = list(re.finditer(pattern, text, re.M))
            if prefer:
                found = [m for m in found if prefer(m)] or found
            if not found:
                return None
            m = rng.choice(found)
            return text[: m.start()] + m.expand(repl) + text[m.end():]
        return f

    return [
        ("comment", lambda t: t + "\n// edited\n"),
        ("misspelt type", sub_one(r"(:\s*)([A-Z][A-Za-z0-9_]*)", r"\1\2x")),
        ("misspelt qualified name", sub_one(r"\b([a-z][a-z0-9_]*\.)([A-Za-z][A-Za-z0-9_]*)\b(?=\s*[;,|?>\]])", r"\1\2y")),
        ("constraint dropped", sub_one(r"\s+where [^;{]*;", ";")),
        ("constraint changed", sub_one(r"(where [^;{]*?)(\d+)", r"\g<1>1\2")),
        ("type changed", sub_one(r"(:\s*)(int32|int64|string|bool|double)\b", r"\1timestamp")),
        ("declaration renamed", sub_one(r"^(record|enum|type|product) ([A-Za-z_][A-Za-z0-9_]*)", r"\1 \2_renamed",
                                        lambda m: used_elsewhere(m.group(2)))),
        ("field removed", sub_one(r"^  [a-z_][a-z0-9_]*:[^;{]*;\n", "", None)),
        ("domain changed", sub_one(r"(domain\s+)([a-z][a-z0-9_.]*);", r"\1\2z;")),
        ("version bumped", sub_one(r'version "(\d+)', r'version "9\1')),
    ]


def main():
    meshc, source, out, steps, seed = sys.argv[1:6]
    steps, rng = int(steps), random.Random(int(seed))
    shutil.rmtree(out, ignore_errors=True)
    ws = os.path.join(out, "ws")
    if os.path.isdir(source):
        shutil.copytree(source, ws)
    else:
        subprocess.run([sys.executable, source, "--files", "200", "--records", "1000", "--products", "200", "--seed",
                        seed, "--out", ws], check=True, capture_output=True)
    env = dict(os.environ, MESH_CACHE_DIR=os.path.join(out, "cache"), MESH_TODAY="2026-12-07")
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(ws) for f in fs if f.endswith(".mesh"))
    originals = {f: open(f).read() for f in files}
    run(meshc, ws, env)
    fewer = errors = clean = 0
    current, editing = {}, [""]

    def used_elsewhere(name):  # in another directory: most likely another package
        pattern = re.compile(r"\b%s\b" % re.escape(name))
        return any(pattern.search(current.get(f) or originals[f]) for f in files
                   if os.path.dirname(f) != os.path.dirname(editing[0]))

    kinds = edits(rng, used_elsewhere)
    for step in range(steps):
        path = rng.choice(files)
        editing[0] = path
        edited = [f for f in files if open(f).read() != originals[f]]
        if edited and rng.random() < 0.4:
            path = rng.choice(edited)
            editing[0] = path
            name, text = "undone", originals[path]
        else:
            name, f = rng.choice(kinds)
            text = f(open(path).read())
            if text is None:
                name, text = "comment", open(path).read() + "\n// edited\n"
        with open(path, "w") as fh:
            fh.write(text)
        current[path] = text
        inc = run(meshc, ws, env, "--stats")
        cold = run(meshc, ws, env, "--no-cache")
        checked = next((s for s in inc[3] if "checked" in s or "hit" in s), "?")
        what = re.search(r"(re)?checked [^;]*|cache hit", checked)
        print(f"step {step}: {name} in {os.path.relpath(path, ws)}: exit {inc[0]}; {what.group(0) if what else checked}")
        if inc[:3] != cold[:3]:
            print(f"step {step}: the check after the edit differs from a check from scratch")
            print("--- incremental (exit %d)\n%s%s\n--- from scratch (exit %d)\n%s%s" %
                  (inc[0], inc[1], inc[2], cold[0], cold[1], cold[2]))
            return 1
        m = re.search(r"rechecked (\d+) of (\d+) packages", checked)
        fewer += bool(m and int(m.group(1)) < int(m.group(2)))
        errors += "error[" in cold[2]
        clean += cold[0] == 0
    print(f"{fewer} of {steps} steps rechecked fewer packages than the build has; {errors} reported errors, "
          f"{clean} none")
    if not fewer or not errors or not clean:
        print("the edits did not exercise the incremental check")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

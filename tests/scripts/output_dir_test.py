#!/usr/bin/python3
"""meshc build -o OUT stays inside OUT (docs/hardening.md, "Hardening II: the
output directory").

- links: a symbolic link planted in OUT where a generated file belongs, under
  the name of a temporary, as a directory (OUT/cpp, OUT/cpp/sales) and as an
  extra stamped file pointing outside, and a FIFO: no byte outside OUT
  changes (checksums of a sibling directory before and after), the build
  and --check refuse with exit 1 naming the path, nothing hangs; OUT itself
  a link is followed;
- concurrency: 10 builds at once into one OUT all succeed, --check accepts
  the tree, no temporary is left (several rounds, into an empty and into a
  stale OUT);
- few descriptors: the same when the tree's directories cannot stay open;
- failures: a write that fails (file-size limit: EFBIG) or a build killed
  with SIGTERM mid-write leaves no temporary;
- the stamp rule: only files meshc wrote (its stamp at its place) are extra
  and removed, for every target; a user's notes that mention meshc stay;
- meshc fmt's temporary: not written through a link, not shared by
  concurrent runs;
- empty paths: -o "", --include "", --against "" and "" as a path are
  usage errors (exit 2) that write nothing.

Usage: output_dir_test.py MESHC SOURCE_DIR
"""
import concurrent.futures
import hashlib
import os
import pathlib
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time

MESHC = os.path.abspath(sys.argv[1])
SOURCE = pathlib.Path(sys.argv[2]).resolve()
ALL_TARGETS = ["--target", "cpp", "--target", "manifest", "--target", "jsonschema", "--target", "docs"]
failures = []


def run(args, cwd, timeout=60, **kwargs):
    result = subprocess.run([MESHC] + args, cwd=cwd, capture_output=True, text=True, timeout=timeout, **kwargs)
    # The examples' waiver notes come first: meshc's own message is last.
    result.message = (result.stderr.strip().splitlines() or [""])[-1]
    return result


def expect(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


def checksums(root):
    """Every entry under root: links by their target, files by their bytes."""
    out = {}
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = os.path.join(dirpath, name)
            if os.path.islink(path):
                out[path] = "link " + os.readlink(path)
            elif os.path.isfile(path):
                out[path] = hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()
            else:
                out[path] = "dir"
    return out


def temporaries(root):
    return [os.path.join(d, f) for d, _, files in os.walk(root) for f in files if ".tmp" in f]


class Workspace:
    """A copy of examples/contracts, a sibling directory `outside` that must
    never change, and a fresh OUT built once."""

    def __init__(self, base, name):
        self.dir = pathlib.Path(base) / name
        shutil.copytree(SOURCE / "examples" / "contracts", self.dir / "contracts")
        self.outside = self.dir / "outside"
        self.outside.mkdir()
        (self.outside / "victim.txt").write_text("a file outside OUT\n")
        self.out = self.dir / "out"

    def build(self, *extra, out=None):
        return run(["build", "contracts", "-o", str(out or self.out), "--target", "cpp"] + list(extra), self.dir)

    def fresh(self):
        shutil.rmtree(self.out, ignore_errors=True)
        result = self.build()
        assert result.returncode == 0, result.stderr
        # A stamped file outside, as meshc would have written it.
        shutil.copy(self.out / "cpp" / "sales" / "orders.mesh.h", self.outside / "stamped.mesh.h")
        return checksums(self.outside)


def refused(result, path, what):
    expect(result.returncode == 1, f"{what}: exit {result.returncode}, want 1 ({result.message})")
    expect(str(path) in result.stderr and "symbolic link" in result.stderr,
           f"{what}: the message names {path} as a link: {result.message}")


def test_links(base):
    ws = Workspace(base, "links")
    header = ws.out / "cpp" / "sales" / "orders.mesh.h"

    # A link where a generated file belongs.
    before = ws.fresh()
    header.unlink()
    header.symlink_to(ws.outside / "victim.txt")
    refused(ws.build(), header, "link at a generated file")
    refused(ws.build("--check"), header, "--check, link at a generated file")
    expect(checksums(ws.outside) == before, "link at a generated file: nothing outside changes")

    # A link under the name the temporary used to have (PATH.tmp), while
    # the file must be rewritten.
    before = ws.fresh()
    header.write_text("stale\n")
    (ws.out / "cpp" / "sales" / "orders.mesh.h.tmp").symlink_to(ws.outside / "victim.txt")
    result = ws.build()
    expect(result.returncode == 0, f"link named like a temporary: exit {result.returncode} ({result.message})")
    expect(checksums(ws.outside) == before, "link named like a temporary: nothing outside changes")
    expect(os.path.islink(ws.out / "cpp" / "sales" / "orders.mesh.h.tmp"), "a user's link is left alone")
    expect(ws.build("--check").returncode == 0, "link named like a temporary: --check accepts the rebuilt tree")

    # Links as directories: OUT/cpp/sales and OUT/cpp, to copies holding a
    # stale generated header and an extra stamped file.
    for rel in ["cpp/sales", "cpp"]:
        before = ws.fresh()
        target = ws.outside / rel.replace("/", "-")
        shutil.copytree(ws.out / rel, target)
        (target / "sales" if rel == "cpp" else target).joinpath("orders.mesh.h").write_text("stale\n")
        (target / "gone.mesh.h").write_bytes((ws.outside / "stamped.mesh.h").read_bytes())
        before = checksums(ws.outside)
        shutil.rmtree(ws.out / rel)
        (ws.out / rel).symlink_to(target)
        refused(ws.build(), ws.out / rel, f"{rel} a link")
        refused(ws.build("--check"), ws.out / rel, f"--check, {rel} a link")
        expect(checksums(ws.outside) == before, f"{rel} a link: nothing outside changes")

    # An extra file that is a link to a stamped file outside: neither read
    # nor removed, not listed as extra.
    before = ws.fresh()
    (ws.out / "cpp" / "gone.mesh.h").symlink_to(ws.outside / "stamped.mesh.h")
    (ws.out / "cpp" / "sales" / "gone.mesh.h").symlink_to("../../../outside/stamped.mesh.h")
    check = ws.build("--check")
    expect(check.returncode == 0 and "gone" not in check.stdout, f"a link is never extra: {check.stdout.strip()}")
    result = ws.build()
    expect(result.returncode == 0, f"extra link: exit {result.returncode} ({result.message})")
    expect(checksums(ws.outside) == before, "extra link to a stamped file: nothing outside changes")
    expect(os.path.islink(ws.out / "cpp" / "gone.mesh.h"), "an extra link is left alone")

    # A FIFO where a generated file belongs, and as an extra: no hang.
    ws.fresh()
    os.mkfifo(ws.out / "cpp" / "extra.mesh.h")
    try:
        check = ws.build("--check")
        expect(check.returncode == 0, f"a FIFO as an extra: --check exit {check.returncode} ({check.message})")
        header.unlink()
        os.mkfifo(header)
        result = ws.build()
        expect(result.returncode == 1 and str(header) in result.stderr,
               f"a FIFO at a generated file: exit {result.returncode} ({result.message})")
    except subprocess.TimeoutExpired:
        expect(False, "a FIFO in OUT: meshc hangs")

    # OUT itself a link: followed (the user named it).
    shutil.rmtree(ws.out)
    real = ws.dir / "real-out"
    real.mkdir()
    ws.out.symlink_to(real)
    result = ws.build()
    expect(result.returncode == 0 and (real / "cpp" / "sales" / "orders.mesh.h").is_file(),
           f"OUT a link is followed: exit {result.returncode} ({result.message})")
    expect(ws.build("--check").returncode == 0, "OUT a link: --check accepts")


def test_concurrent(base, rounds=4, builds=10):
    ws = Workspace(base, "concurrent")
    # A generated catalog too: hundreds of files per build, so the builds'
    # threads and processes interleave on every file.
    generated = ws.dir / "generated"
    subprocess.run([sys.executable, str(SOURCE / "bench" / "check" / "gen_workspace.py"), "--files", "30",
                    "--records", "600", "--products", "100", "--out", str(generated)], check=True,
                   stdout=subprocess.DEVNULL)
    cases = [(["contracts", "--target", "cpp"], rounds), ([str(generated)], 2)]
    for inputs, count in cases:
        shutil.rmtree(ws.out, ignore_errors=True)
        build = lambda *extra: run(["build", "-o", str(ws.out)] + inputs + list(extra), ws.dir)
        for round in range(count):
            if round % 2:  # into a stale tree: every file is rewritten at once
                for path in (ws.out / "cpp").rglob("*.mesh.*"):
                    path.write_text("stale\n")
            with concurrent.futures.ThreadPoolExecutor(builds) as pool:
                results = list(pool.map(lambda _: build("-j2"), range(builds)))
            bad = [r.message for r in results if r.returncode != 0]
            what = f"{inputs[0]}, round {round}"
            expect(not bad, f"{what}: {len(bad)} of {builds} concurrent builds failed: {bad[:2]}")
            check = build("--check")
            expect(check.returncode == 0, f"{what}: --check after concurrent builds: {check.stdout.strip()[:300]}")
            expect(not temporaries(ws.out), f"{what}: temporaries left: {temporaries(ws.out)}")


def test_failures(base):
    ws = Workspace(base, "failures")
    shutil.rmtree(ws.out, ignore_errors=True)

    def limit():
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    result = run(["build", "contracts", "-o", str(ws.out), "--target", "cpp"], ws.dir, preexec_fn=limit)
    expect(result.returncode == 2 and "cannot write" in result.stderr,
           f"a write error: exit {result.returncode} ({result.message})")
    expect(not temporaries(ws.out), f"a write error leaves no temporary: {temporaries(ws.out)}")

    # A temporary left by a build killed with SIGKILL is extra once it is
    # an hour old; a running build's (a fresh one) is not.
    ws.fresh()
    old, new = ws.out / "cpp" / ".orders.mesh.h.meshc-1-1.tmp", ws.out / "cpp" / ".orders.mesh.h.meshc-1-2.tmp"
    old.write_text("partial")
    new.write_text("partial")
    os.utime(old, (time.time() - 7200, time.time() - 7200))
    check = ws.build("--check")
    expect(check.returncode == 1 and check.stdout.split() == ["extra", "cpp/" + old.name],
           f"an old temporary is extra, a fresh one is not: {check.stdout.strip()}")
    result = ws.build()
    expect(result.returncode == 0 and not old.exists() and new.exists(), "the build removes the old temporary only")
    new.unlink()

    # Killed at several points while writing (a bigger build: 4 targets).
    for delay in [0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6]:
        shutil.rmtree(ws.out, ignore_errors=True)
        process = subprocess.Popen([MESHC, "build", "contracts", "-o", str(ws.out), "-j2"] + ALL_TARGETS,
                                   cwd=ws.dir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=60)
        expect(not temporaries(ws.out), f"SIGTERM after {delay} s leaves temporaries: {temporaries(ws.out)}")
        if process.returncode == -signal.SIGTERM and ws.out.exists():
            result = ws.build(*ALL_TARGETS[2:])
            expect(result.returncode == 0, f"a build after an interrupted one: {result.message}")


def test_few_descriptors(base):
    """With few file descriptors meshc does not keep the tree's directories
    open: each file's is opened again, with the same checks."""
    ws = Workspace(base, "descriptors")
    few = lambda: resource.setrlimit(resource.RLIMIT_NOFILE, (16, 16))
    build = lambda *extra: run(["build", "contracts", "-o", str(ws.out)] + ALL_TARGETS + list(extra), ws.dir,
                               preexec_fn=few)
    result = build()
    expect(result.returncode == 0, f"few descriptors: exit {result.returncode} ({result.message})")
    expect(run(["build", "contracts", "-o", "out", "--check"] + ALL_TARGETS, ws.dir).returncode == 0,
           "few descriptors: --check accepts the tree")
    header = ws.out / "cpp" / "sales" / "orders.mesh.h"
    header.unlink()
    header.symlink_to(ws.outside / "victim.txt")
    refused(build(), header, "few descriptors, link at a generated file")
    refused(build("--check"), header, "few descriptors, --check, link at a generated file")


def test_stamp_rule(base):
    ws = Workspace(base, "stamp")
    full = run(["build", "contracts", "-o", "out"] + ALL_TARGETS, ws.dir)
    assert full.returncode == 0, full.stderr
    # Every kind of file every target writes carries the stamp where the
    # rule looks: a copy of each under another name is extra.
    generated = [p for p in ws.out.rglob("*") if p.is_file()]
    for path in generated:
        shutil.copy(path, str(path) + ".copy")
    check = run(["build", "contracts", "-o", "out", "--check"] + ALL_TARGETS, ws.dir)
    copies = {str(p.relative_to(ws.out)) + ".copy" for p in generated}
    extra = {line[len("extra "):] for line in check.stdout.splitlines() if line.startswith("extra ")}
    expect(extra == copies, f"every generated file is recognized: not {sorted(copies - extra)[:5]}")
    for path in generated:
        os.unlink(str(path) + ".copy")
    notes = {
        "cpp/notes.txt": "Generated by meshc: see the README. DO NOT EDIT.\n",
        "cpp/sales/NOTES.md": "# Notes\nThese headers were Generated by meshc 0.1.0. DO NOT EDIT.\n",
        "jsonschema/readme.json": '{\n  "note": "Generated by meshc 0.1.0. DO NOT EDIT."\n}\n',
        "docs/notes.html": "<p>// Generated by meshc 0.1.0. DO NOT EDIT.</p>\n",
    }
    for rel, text in notes.items():
        (ws.out / rel).write_text(text)
    # A subset: the supply domain deleted. Its files in every target are
    # extra; the notes are not.
    shutil.rmtree(ws.dir / "contracts" / "supply")
    subset = run(["build", "contracts", "-o", "subset"] + ALL_TARGETS, ws.dir)
    assert subset.returncode == 0, subset.stderr
    files = lambda root: {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    gone = files(ws.out) - files(ws.dir / "subset") - set(notes)
    expect(any(rel.startswith(t) for rel in gone for t in ["cpp/", "manifest/", "jsonschema/", "docs/"]),
           "the subset leaves files of every target behind")
    check = run(["build", "contracts", "-o", "out", "--check"] + ALL_TARGETS, ws.dir)
    extra = {line[len("extra "):] for line in check.stdout.splitlines() if line.startswith("extra ")}
    expect(extra == gone, f"--check lists exactly the deleted domain's files as extra: "
                          f"missing {sorted(gone - extra)}, wrong {sorted(extra - gone)}")
    result = run(["build", "contracts", "-o", "out"] + ALL_TARGETS, ws.dir)
    expect(result.returncode == 0, result.message)
    expect(files(ws.out) == files(ws.dir / "subset") | set(notes), "the build removes exactly those")
    for rel, text in notes.items():
        expect((ws.out / rel).is_file() and (ws.out / rel).read_text() == text, f"a user's file stays: {rel}")


def test_empty_paths(base):
    cwd = pathlib.Path(base) / "empty"
    shutil.copytree(SOURCE / "examples" / "contracts", cwd / "contracts")
    cases = [
        ["build", "contracts", "-o", ""],
        ["build", "contracts", "-o", "", "--check"],
        ["build", "contracts", "-o", "out", "--include", ""],
        ["check", "contracts", "--include", ""],
        ["check", ""],
        ["build", "", "-o", "out"],
        ["graph", "contracts", "--include", ""],
        ["breaking", "contracts", "--against", ""],
        ["fmt", ""],
    ]
    for args in cases:
        result = run(args, cwd)
        expect(result.returncode == 2 and "is empty" in result.stderr,
               f"{args}: exit {result.returncode}, want 2 with a message ({result.message[:200]})")
        expect(sorted(os.listdir(cwd)) == ["contracts"], f"{args}: wrote {sorted(os.listdir(cwd))}")


def test_fmt_temporary(base):
    """meshc fmt's temporary: a link planted under its old name
    (FILE.meshfmt.tmp) is not written through; concurrent runs on one file
    all succeed and leave it formatted."""
    ws = Workspace(base, "fmt")
    source = ws.dir / "contracts" / "supply" / "inventory.mesh"
    formatted = source.read_text()
    messy = formatted.replace("\n", "   \n")
    source.write_text(messy)
    pathlib.Path(str(source) + ".meshfmt.tmp").symlink_to(ws.outside / "victim.txt")
    before = checksums(ws.outside)
    result = run(["fmt", str(source)], ws.dir)
    expect(result.returncode == 0 and source.read_text() == formatted,
           f"fmt: exit {result.returncode} ({result.message})")
    expect(checksums(ws.outside) == before, "fmt: nothing written through a link named like its temporary")
    source = ws.dir / "contracts" / "sales" / "customers.mesh"
    formatted = source.read_text()
    messy = formatted.replace("\n", "   \n")
    for round in range(3):
        source.write_text(messy)
        with concurrent.futures.ThreadPoolExecutor(8) as pool:
            results = list(pool.map(lambda _: run(["fmt", str(source)], ws.dir), range(8)))
        bad = [r.message for r in results if r.returncode != 0]
        expect(not bad and source.read_text() == formatted, f"fmt, round {round}: concurrent runs failed: {bad[:2]}")
        expect(not [t for t in temporaries(ws.dir / "contracts") if not os.path.islink(t)],
               f"fmt, round {round}: temporaries left: {temporaries(ws.dir / 'contracts')}")


def main():
    with tempfile.TemporaryDirectory() as base:
        for test in [test_links, test_concurrent, test_failures, test_few_descriptors, test_stamp_rule,
                     test_empty_paths, test_fmt_temporary]:
            print("--", test.__name__)
            try:
                test(base)
            except subprocess.TimeoutExpired as e:
                expect(False, f"{test.__name__}: timeout: {e}")
    print(f"{len(failures)} failure(s)")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

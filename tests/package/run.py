#!/usr/bin/python3
"""The release package, meshc_VERSION_ARCH.deb (cmake/Packaging.cmake), as
`cpack -G DEB` built it (ctest `package-deb`), unpacked with dpkg-deb -x into
a temporary directory (never installed on this machine):
  - its control fields: name, version (the project's), architecture,
    maintainer, section, description, Depends and Recommends naming packages
    Debian has;
  - every file under /usr;
  - Depends: every shared library the packaged meshc and mesh-devkafka load
    comes from a package Depends names (readelf, ldd, dpkg -S);
  - man pages: one for each program in /usr/bin and for each subcommand
    `meshc --help` lists, each rendering (man --warnings -l) without a
    warning, with NAME, SYNOPSIS and DESCRIPTION;
  - lintian (when installed): no error (E:) line;
  - the packaged meshc, with no MESH_STDLIB, checks examples/contracts and
    builds every target from them, byte for byte what the build tree's meshc
    builds.
The outside CMake project built from the package's tree is the `install`
test's (tests/install/run.py --deb).

usage: run.py BUILD_DIR --deb DEB [--work DIR]
"""
import filecmp
import os
import pathlib
import re
import shutil
import subprocess
import sys
import time

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "tests/scripts"))
import debian_package  # noqa: E402
from harness import arguments, expect, finish  # noqa: E402


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run([str(c) for c in cmd], **kw)


def check_control(deb, fields, version):
    arch = run(["dpkg", "--print-architecture"]).stdout.strip()
    expect(deb.name == f"meshc_{version}_{arch}.deb", f"the package is named {deb.name}")
    for key, want in (("Package", "meshc"), ("Version", version), ("Architecture", arch), ("Section", "devel")):
        expect(fields.get(key) == want, f"{key}: {fields.get(key)!r}, expected {want!r}")
    expect(re.fullmatch(r".+ <[^@ ]+@[^@ ]+>", fields.get("Maintainer", "")),
           f"Maintainer: {fields.get('Maintainer')!r}")
    description = fields.get("Description", "").split("\n")
    expect(len(description) > 1 and description[0], f"Description needs a synopsis and a long description:"
                                                    f" {description}")
    for relation in ("Depends", "Recommends"):
        names = debian_package.relation_names(fields.get(relation))
        expect(names, f"no {relation}")
        # Built here against these packages, so each is installed here.
        unknown = sorted(n for n in names if not debian_package.installed(n))
        expect(not unknown, f"{relation} names packages not installed here (so maybe not in Debian): {unknown}")


def check_man_pages(root, meshc):
    man1 = root / "usr/share/man/man1"
    help_text = run([meshc, "--help"]).stdout
    subcommands = re.findall(r"^  ([a-z][a-z-]*) +- ", help_text.split("SUBCOMMANDS:")[-1], re.M)
    expect(len(subcommands) >= 8, f"`meshc --help` lists {subcommands}")
    programs = sorted(p.name for p in (root / "usr/bin").iterdir())
    wanted = programs + [f"meshc-{s}" for s in subcommands]
    pages = sorted(p.name for p in man1.iterdir()) if man1.is_dir() else []
    expect(pages == sorted(f"{w}.1.gz" for w in wanted), f"man pages {pages}, expected one for each of {wanted}")
    env = dict(os.environ, MANWIDTH="80", LC_ALL="C.UTF-8", MAN_KEEP_FORMATTING="")
    for page in pages:
        text = run(["man", "--warnings", "-l", man1 / page], env=env)
        expect(text.returncode == 0 and not text.stderr.strip(), f"man {page}: {text.stderr}")
        headings = re.findall(r"^([A-Z][A-Z ]+)$", text.stdout, re.M)
        for section in ("NAME", "SYNOPSIS", "DESCRIPTION"):
            expect(section in headings, f"man {page} has no {section} section: {headings}")
        name = page[:-len(".1.gz")]
        expect(re.search(rf"^NAME\n +{re.escape(name)} +- +\S", text.stdout, re.M), f"man {page}: NAME is not "
               f"'{name} - ...':\n{text.stdout[:300]}")
    return len(pages)


def lintian(deb):
    if not shutil.which("lintian"):
        print("lintian is not installed: not run (tools/setup.sh installs it)")
        return "lintian not run"
    r = run(["lintian", "--info", deb])
    print(f"lintian:\n{r.stdout}{r.stderr}")
    errors = [line for line in r.stdout.splitlines() if line.startswith("E:")]
    # Exit 1: an error tag (lintian's default --fail-on); 2: lintian itself failed.
    expect(not errors and r.returncode == 0, f"lintian (exit {r.returncode}) found errors:\n" + "\n".join(errors)
           + r.stderr)
    tags = [line for line in r.stdout.splitlines() if re.match(r"[EWIPX]: ", line)]
    return f"lintian: {len(errors)} errors, {len(tags)} tags"


def build_examples(packaged, built, work):
    """The packaged meshc builds what the build tree's meshc builds, from its
    own standard library (no MESH_STDLIB)."""
    env = {k: v for k, v in os.environ.items() if k != "MESH_STDLIB"}
    env["MESH_TODAY"] = "2026-11-25"
    targets = [a for t in ("cpp", "jsonschema", "manifest", "docs") for a in ("--target", t)]
    check = run([packaged, "check", "examples/contracts"], cwd=ROOT, env=env)
    expect(check.returncode == 0, f"the packaged meshc: meshc check examples/contracts:\n{check.stderr}")
    for meshc, out in ((packaged, work / "examples-packaged"), (built, work / "examples-built")):
        r = run([meshc, "build", "examples/contracts", "-o", out, *targets], cwd=ROOT, env=env)
        expect(r.returncode == 0, f"{meshc} build examples/contracts:\n{r.stderr}")
    a, b = work / "examples-packaged", work / "examples-built"
    files = sorted(p.relative_to(a) for p in a.rglob("*") if p.is_file())
    expect(files == sorted(p.relative_to(b) for p in b.rglob("*") if p.is_file()),
           "the packaged meshc wrote other files than the build tree's")
    _, mismatch, errors = filecmp.cmpfiles(a, b, [str(f) for f in files], shallow=False)
    expect(not mismatch and not errors, f"the packaged meshc wrote other bytes: {mismatch + errors}")
    return len(files)


def main():
    build_dir, work, deb = arguments("build_dir", "package", "deb")
    if not deb or not deb.is_file():
        sys.exit(f"no package at {deb}: ctest `package-deb` (cpack -G DEB) makes it")
    t0 = time.time()
    built = build_dir / "meshc"
    version = run([built, "--version"]).stdout.split()[-1]

    fields = debian_package.control(deb)
    print(f"dpkg-deb --info:\n{run(['dpkg-deb', '--info', deb]).stdout}")
    check_control(deb, fields, version)
    contents = run(["dpkg-deb", "--contents", deb]).stdout.splitlines()
    outside = [line.split()[5] for line in contents if not re.match(r"\./(usr/)?$|\./usr/", line.split()[5])]
    expect(contents and not outside, f"files outside /usr: {outside}")

    root = work / "root"
    debian_package.unpack(deb, root)
    packaged = root / "usr/bin/meshc"
    binaries = sorted((root / "usr/bin").iterdir())
    for problem in debian_package.uncovered_libraries(binaries, debian_package.relation_names(fields["Depends"])):
        expect(False, f"Depends: {problem}")

    pages = check_man_pages(root, packaged)
    linted = lintian(deb)
    generated = build_examples(packaged, built, work)

    finish("package", f"{deb.name}: control fields, Depends cover {len(binaries)} binaries' libraries, {pages} man "
           f"pages, {linted}, {generated} files built from examples/contracts as the build tree's meshc builds them "
           f"({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()

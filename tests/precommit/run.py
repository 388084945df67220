#!/usr/bin/python3
"""meshc's pre-commit hooks (.pre-commit-hooks.yaml) used from a domain
repository with Debian's pre-commit, offline.

The hooks file of this source tree is validated (`pre-commit
validate-manifest`) and committed into a scratch hooks repository (a copy, so
uncommitted edits of the file are what is tested); a domain repository with a
copy of examples/contracts and its checked-in JSON Schemas names it by path
as `repo:` in its .pre-commit-config.yaml, installs the git hook, and
commits: good contracts pass, a contract with a type error is refused
(meshc-check), a contract edited without regenerating and a hand-edited
generated file are refused (meshc-build-check), a regenerated change
passes, and a contract that is not formatted is refused with its diff
(meshc-fmt) until meshc fmt formats it.

usage: run.py MESHC [--work DIR]
"""
import os
import pathlib
import shutil
import subprocess
import sys

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

sys.path.insert(0, str(ROOT / "tests/scripts"))
from harness import arguments, expect, finish  # noqa: E402


def main():
    meshc, work = arguments("meshc", "precommit")
    precommit = shutil.which("pre-commit")
    if not precommit:
        sys.exit("pre-commit is not installed (tools/setup.sh installs Debian's)")

    # meshc on PATH as language: system wants it; pre-commit's cache and git's
    # identity kept inside the work directory.
    bin_dir = work / "bin"
    bin_dir.mkdir()
    (bin_dir / "meshc").symlink_to(meshc)
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ.get('PATH', '/usr/bin:/bin')}",
               PRE_COMMIT_HOME=str(work / "cache"), HOME=str(work), GIT_CONFIG_NOSYSTEM="1",
               GIT_AUTHOR_NAME="Domain Team", GIT_AUTHOR_EMAIL="domain@example.com",
               GIT_COMMITTER_NAME="Domain Team", GIT_COMMITTER_EMAIL="domain@example.com", NO_COLOR="1",
               MESH_TODAY="2026-11-25")
    env.pop("MESH_STDLIB", None)

    def run(cmd, cwd, check=False):
        r = subprocess.run([str(c) for c in cmd], cwd=cwd, env=env, capture_output=True, text=True)
        if check and r.returncode != 0:
            sys.exit(f"{' '.join(map(str, cmd))} failed ({r.returncode}):\n{r.stdout}{r.stderr}")
        return r

    manifest = ROOT / ".pre-commit-hooks.yaml"
    valid = run([precommit, "validate-manifest", manifest], ROOT)
    expect(valid.returncode == 0, f"pre-commit validate-manifest refuses .pre-commit-hooks.yaml:\n{valid.stdout}")
    hooks = work / "meshc-hooks"
    hooks.mkdir()
    shutil.copy(manifest, hooks / ".pre-commit-hooks.yaml")
    run(["git", "init", "-q", "-b", "main"], hooks, check=True)
    run(["git", "add", "."], hooks, check=True)
    run(["git", "commit", "-q", "-m", "meshc hooks"], hooks, check=True)
    rev = run(["git", "rev-parse", "HEAD"], hooks, check=True).stdout.strip()

    repo = work / "domain"
    shutil.copytree(ROOT / "examples/contracts", repo / "contracts")
    # The hooks take their settings from the workspace file, with no args.
    (repo / "mesh.yaml").write_text("version: 1\ncontracts: [contracts]\noutput: gen\ntargets: [jsonschema]\n")
    (repo / ".pre-commit-config.yaml").write_text(f"""repos:
-   repo: {hooks}
    rev: {rev}
    hooks:
    -   id: meshc-check
    -   id: meshc-build-check
    -   id: meshc-fmt
""")
    run(["git", "init", "-q", "-b", "main"], repo, check=True)
    run([meshc, "build"], repo, check=True)
    run([precommit, "install"], repo, check=True)

    def commit(message):
        run(["git", "add", "-A"], repo, check=True)
        return run(["git", "commit", "-q", "-m", message], repo)

    def head():
        return run(["git", "rev-parse", "-q", "--verify", "HEAD"], repo).stdout.strip()

    first = commit("contracts and their schemas")
    expect(first.returncode == 0 and head(), f"good contracts were refused:\n{first.stdout}{first.stderr}")
    out = first.stdout + first.stderr
    expect(all(f"{hook}..." in out and "Passed" in out for hook in ("meshc check", "meshc build --check",
                                                                     "meshc fmt --check")),
           f"the hooks did not run on the first commit:\n{out}")
    good = head()

    # A contract with a type error: meshc-check refuses the commit.
    events = repo / "contracts/sales/orders/events.mesh"
    original = events.read_text()
    old = "qty:        int32 where value > 0;"
    assert old in original, "examples/contracts changed: update tests/precommit/run.py"
    events.write_text(original.replace(old, 'qty:        int32 where value > "none";'))
    bad = commit("a broken constraint")
    out = bad.stdout + bad.stderr
    expect(bad.returncode != 0 and head() == good, "a contract with a type error was committed")
    expect("error[E0301]" in out and "contracts/sales/orders/events.mesh:" in out,
           f"meshc-check did not show the diagnostic:\n{out}")

    # An edited contract without regenerating: meshc-build-check refuses it.
    events.write_text(original.replace(old, "qty:        int32 where value > 0 && value <= 1000;"))
    stale = commit("a tighter qty, schemas not regenerated")
    out = stale.stdout + stale.stderr
    expect(stale.returncode != 0 and head() == good, "stale generated files were committed")
    expect("stale jsonschema/sales.orders.LineItem.schema.json" in out,
           f"meshc-build-check did not name the stale schema:\n{out}")

    # Regenerated: passes.
    run([meshc, "build"], repo, check=True)
    fixed = commit("a tighter qty, schemas regenerated")
    expect(fixed.returncode == 0 and head() != good, f"a regenerated change was refused:\n{fixed.stdout}{fixed.stderr}")

    # A hand-edited generated file: refused.
    schema = repo / "gen/jsonschema/sales.orders.LineItem.schema.json"
    schema.write_text(schema.read_text().replace('"qty"', '"quantity"', 1))
    edited = commit("hand-edited schema")
    out = edited.stdout + edited.stderr
    expect(edited.returncode != 0 and "stale jsonschema/sales.orders.LineItem.schema.json" in out,
           f"a hand-edited generated file was committed:\n{out}")

    # A contract that is not formatted: meshc-fmt refuses it and shows the
    # diff; formatted with meshc fmt, it passes.
    run([meshc, "build"], repo, check=True)
    aligned = "  sku:        Sku;"
    assert aligned in events.read_text(), "examples/contracts changed: update tests/precommit/run.py"
    events.write_text(events.read_text().replace(aligned, "  sku : Sku ; // as on the label"))
    before = head()
    unformatted = commit("a field out of line")
    out = unformatted.stdout + unformatted.stderr
    expect(unformatted.returncode != 0 and head() == before, "a contract that is not formatted was committed")
    expect("contracts/sales/orders/events.mesh" in out and "-  sku : Sku ; // as on the label" in out and
           f"+{aligned}                     // as on the label" in out,
           f"meshc-fmt did not show the file and its diff:\n{out}")
    run([meshc, "fmt", "contracts"], repo, check=True)
    formatted = commit("the field formatted")
    expect(formatted.returncode == 0 and head() != before,
           f"a contract formatted by meshc fmt was refused:\n{formatted.stdout}{formatted.stderr}")

    finish("pre-commit", "good contracts pass, a type error, stale or hand-edited generated files and an unformatted "
          "contract are refused")


if __name__ == "__main__":
    main()

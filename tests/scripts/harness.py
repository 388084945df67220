"""What the test scripts share. The end-to-end checks (tests/ci/run.py,
tests/install/run.py, tests/precommit/run.py): their command line (one path,
made absolute, and --work, a directory emptied first, else a fresh temporary
one), the failures that expect() records and prints as it goes, and the
summary at the end (finish). The checks that collect problems and print them
at the end (tests/scripts/diag_coverage.py, sarif_valid.py): report.
"""
import argparse
import pathlib
import shutil
import sys
import tempfile

failures = []


def expect(cond, message):
    """Records and prints message unless cond; returns cond."""
    if not cond:
        failures.append(message)
        print(f"FAIL: {message}")
    return cond


def arguments(path_name, name, *paths):
    """Parses `run.py PATH [--work DIR] [--OPTION FILE]...` (one --OPTION per
    name in paths); returns PATH resolved, the work directory, created empty
    (a temporary mesh-NAME-* one unless --work), then each FILE resolved (None
    when not given)."""
    ap = argparse.ArgumentParser()
    ap.add_argument(path_name)
    ap.add_argument("--work")
    for option in paths:
        ap.add_argument(f"--{option}")
    args = ap.parse_args()
    path = pathlib.Path(getattr(args, path_name)).resolve()
    work = pathlib.Path(args.work or tempfile.mkdtemp(prefix=f"mesh-{name}-")).resolve()
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    files = [getattr(args, option) for option in paths]
    return (path, work, *[pathlib.Path(f).resolve() if f else None for f in files])


def finish(name, summary):
    """Exits 1 with the count of failures, if any; else prints the summary."""
    if failures:
        print(f"{name}: {len(failures)} failures")
        sys.exit(1)
    print(f"{name}: {summary}")


def report(problems, summary):
    """Prints the problems, one a line, and exits 1, if any; else the summary."""
    if problems:
        print("\n".join(problems))
        sys.exit(1)
    print(summary)

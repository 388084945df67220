#!/usr/bin/env python3
"""npm_ci.py DIR...: `npm ci` in each DIR whose node_modules is missing or
older than its package-lock.json, one after another.

ctest runs it once, as the setup of the tests that run node (differential and
regex-backtracking share tests/differential/node_modules, editors has its
own): without it, two of them started side by side in a fresh clone each ran
`npm ci` in the same directory, and npm ci begins by deleting node_modules.
The tests still install what is missing themselves when run alone.
Exit 0 when every DIR has its modules, 2 when npm is missing or fails.
"""
import os
import shutil
import subprocess
import sys


def stale(directory):
    modules = os.path.join(directory, "node_modules")
    marker = os.path.join(modules, ".package-lock.json")  # written by npm ci
    lock = os.path.join(directory, "package-lock.json")
    return not os.path.exists(marker) or os.path.getmtime(marker) < os.path.getmtime(lock)


def main(dirs):
    npm = shutil.which("npm")
    for d in dirs:
        if not stale(d):
            print(f"npm_ci: {d}: node_modules up to date")
            continue
        if not npm:
            print("npm_ci: npm not found (tools/setup.sh installs it)", file=sys.stderr)
            return 2
        print(f"npm_ci: {d}: npm ci", flush=True)
        if subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=d).returncode != 0:
            print(f"npm_ci: npm ci failed in {d}", file=sys.stderr)
            return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/python3
"""Runs the editor-support test (test.js) with node, installing its two npm
packages (vscode-textmate, vscode-oniguruma, pinned in package-lock.json)
into tools/editors/test/node_modules on first run.
Usage: run.py [--node NODE] [--npm NPM]. Exit 0 pass, 1 fail, 2 environment."""
import argparse
import os
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(HERE)))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--node", default=shutil.which("node") or "node")
    ap.add_argument("--npm", default=shutil.which("npm") or "npm")
    args = ap.parse_args()
    if not shutil.which(args.node) and not os.access(args.node, os.X_OK):
        print(f"run.py: node not found ({args.node}); tools/setup.sh installs it", file=sys.stderr)
        return 2
    modules = os.path.join(HERE, "node_modules")
    if not all(os.path.isdir(os.path.join(modules, m)) for m in ("vscode-textmate", "vscode-oniguruma")):
        print("run.py: installing vscode-textmate and vscode-oniguruma with npm ci", flush=True)
        if subprocess.run([args.npm, "ci", "--no-audit", "--no-fund"], cwd=HERE).returncode != 0:
            print("run.py: npm ci failed in tools/editors/test", file=sys.stderr)
            return 2
    return subprocess.run([args.node, os.path.join(HERE, "test.js"), ROOT]).returncode


if __name__ == "__main__":
    sys.exit(main())

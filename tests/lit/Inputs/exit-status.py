#!/usr/bin/env python3
"""exit-status.py SECONDS COMMAND...: runs COMMAND with its output passed on
(stderr to stdout), then prints "exit N" with its status; a command still
running after SECONDS is killed and "timed out" printed instead, so a test
of a bound fails rather than hangs when the bound is lost."""
import subprocess
import sys

try:
    r = subprocess.run(sys.argv[2:], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=float(sys.argv[1]))
except subprocess.TimeoutExpired:
    print("timed out")
    sys.exit(0)
sys.stdout.write(r.stdout.decode("utf-8", "replace")[:100000])
print(f"exit {r.returncode}")

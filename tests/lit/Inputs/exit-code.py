"""Runs a command and succeeds only if it exits with the expected status.

usage: exit-code.py STATUS COMMAND [ARG...]

lit's `not` accepts any non-zero status; meshc distinguishes 1 (the input has
errors) from 2 (the command was used wrongly or the environment failed), so
tests that care use this. The command's output passes through unchanged.
"""
import subprocess
import sys

expected = int(sys.argv[1])
sys.stdout.flush()
status = subprocess.call(sys.argv[2:])
if status != expected:
    sys.stderr.write(f"exit-code.py: expected exit status {expected}, got {status}\n")
    sys.exit(1)

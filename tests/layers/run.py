#!/usr/bin/env python3
"""ctest `layers`: the compiler's phases link on their own, and an arrow that
runs the wrong way fails the build (compiler/CMakeLists.txt).

Configures SOURCE into WORK with MESH_LAYER_CHECK=ON (every phase a shared
library linked with -Wl,--no-undefined; -O0, no debug information: only
linking matters), builds every phase, then adds each probe of tests/layers
(a call from a phase into one it must not call: probe_PHASE.cpp) in turn and
requires that phase's link to fail on the probe's undefined symbol."""
import argparse
import os
import shutil
import subprocess
import sys

PROBES = {
    # phase: the symbol its probe calls, which the link must miss
    "model": "mesh::check::checkBuild",
    "codegen": "mesh::policy::evaluate",
}


def run(cmd, **kw):
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, **kw)


def configure(args, probe):
    cmd = ["cmake", "-S", args.source, "-B", args.work, "-G", "Ninja", "-DMESH_LAYER_CHECK=ON",
           "-DCMAKE_BUILD_TYPE=Debug", "-DCMAKE_CXX_FLAGS_DEBUG=-O0", "-DCMAKE_C_FLAGS_DEBUG=-O0",
           f"-DMESH_LAYER_PROBE={probe}"]
    if shutil.which("ccache"):
        cmd.append("-DCMAKE_CXX_COMPILER_LAUNCHER=ccache")
    r = run(cmd)
    if r.returncode != 0:
        sys.exit(f"layers: configuring failed:\n{r.stdout}")


def build(args, target):
    return run(["cmake", "--build", args.work, "--target", target, "-j", str(args.jobs)])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--source", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--jobs", type=int, default=2)
    args = p.parse_args()

    configure(args, "")
    r = build(args, "mesh_driver")
    if r.returncode != 0:
        sys.exit(f"layers: the phases do not link on their own:\n{r.stdout[-20000:]}")
    print("layers: every phase links with only the phases it declares")

    failures = []
    try:
        for phase, symbol in PROBES.items():
            configure(args, phase)
            r = build(args, f"mesh_{phase}")
            undefined = [line for line in r.stdout.splitlines() if "undefined reference" in line]
            if r.returncode == 0 or not any(symbol in line for line in undefined):
                failures.append(f"probe_{phase}.cpp: mesh_{phase} calling {symbol} was not refused\n{r.stdout[-5000:]}")
            else:
                print(f"layers: mesh_{phase} calling {symbol} fails to link, as it must:\n  {undefined[0].strip()}")
    finally:
        configure(args, "")  # leave WORK without a probe
    if failures:
        sys.exit("layers: " + "\n".join(failures))


if __name__ == "__main__":
    main()

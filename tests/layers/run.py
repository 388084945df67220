#!/usr/bin/env python3
"""ctest `layers`: the compiler's phases link on their own, and an arrow that
runs the wrong way fails the link (compiler/CMakeLists.txt).

In BUILD (the tree ctest runs in, its objects already compiled): the target
mesh_layers links every phase's archive into a shared library with
-Wl,--no-undefined against the phases it declares and nothing else; it must
link. Then each probe of tests/layers (probe_PHASE.cpp: a call from a phase
into one it must not call, target mesh_PHASE_probe) must fail to link on
that call's undefined symbol. Only links and two small compiles: seconds."""
import argparse
import subprocess
import sys

PROBES = {
    # phase: the symbol its probe calls, which the link must miss
    "model": "mesh::check::checkBuild",
    "codegen": "mesh::policy::evaluate",
}


def build(build_dir, target):
    cmd = ["cmake", "--build", build_dir, "--target", target, "-j", "1"]
    print("+", " ".join(cmd), flush=True)
    return subprocess.run(cmd, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--build", required=True)
    args = p.parse_args()

    r = build(args.build, "mesh_layers")
    if r.returncode != 0:
        sys.exit(f"layers: a phase does not link with only the phases it declares:\n{r.stdout[-20000:]}")
    print("layers: every phase links with only the phases it declares")

    failures = []
    for phase, symbol in PROBES.items():
        r = build(args.build, f"mesh_{phase}_probe")
        undefined = [line for line in r.stdout.splitlines() if "undefined reference" in line]
        if r.returncode == 0 or not any(symbol in line for line in undefined):
            failures.append(f"probe_{phase}.cpp: mesh_{phase} calling {symbol} was not refused\n{r.stdout[-5000:]}")
        else:
            print(f"layers: mesh_{phase} calling {symbol} fails to link, as it must:\n  {undefined[0].strip()}")
    if failures:
        sys.exit("layers: " + "\n".join(failures))


if __name__ == "__main__":
    main()

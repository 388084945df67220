#!/usr/bin/env python3
"""Builds the C++ generated for test contracts with g++ and clang++, in C++17
and C++20, with -Wall -Wextra -Werror, and checks that mesh-validate prints
exactly what `meshc validate` prints on the same messages (byte for byte,
same exit code), plus the round trip and masking program.

usage: run.py --meshc PATH [--compilers g++,clang++] [--standards 17,20] [--work DIR]
"""
import argparse
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
ENV = dict(os.environ, MESH_NOW="2026-11-25T12:00:00Z", MESH_MASK_KEY="test-key", MESH_TODAY="2026-11-25")

# Built with the sanitizer flags in a sanitized test run (tests/scripts/sanitize_flags.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from sanitize_flags import cxx_flag_args  # noqa: E402

# (contracts, [(target, corpus)]) ; paths relative to the repository root.
CASES = [
    ("examples/contracts", [
        ("sales.orders.orders_placed", "tests/codegen/corpus/orders.jsonl"),
        ("sales.orders.OrderEvent", "tests/codegen/corpus/orders.jsonl"),
        ("sales.customers.customer_profiles", "tests/codegen/corpus/customers.jsonl"),
        ("supply.inventory.stock_levels", "tests/codegen/corpus/stock.jsonl"),
    ]),
    ("tests/lit/validate/Inputs/types.mesh", [
        ("v.All", "tests/lit/validate/Inputs/types.jsonl"),
        ("v.Order", "tests/lit/validate/Inputs/orders.jsonl"),
        ("v.All", "tests/codegen/corpus/hostile.jsonl"),
        # A line over meshrt::kMaxMessageLine (16 MiB) and one without end:
        # the same `parse` result line, exit 1, and both stop reading there.
        ("v.All", "@oversized"),
        ("v.All", "/dev/zero"),
    ]),
    ("tests/codegen/injection.mesh", [
        ("class.namespace.struct", "tests/codegen/corpus/injection.jsonl"),
    ]),
]


def run(cmd, **kw):
    return subprocess.run(cmd, env=ENV, **kw)


def oversized_corpus(work):
    """A valid line, a line one byte over 16 MiB, and a valid line that is
    never read (generated: too big to check in)."""
    path = work / "oversized.jsonl"
    line = '{"i32":1,"amount":"1.00","note":"%s"}\n'
    with open(path, "w") as f:
        f.write(line % "")
        f.write(line % ("x" * (16 * 1024 * 1024 + 1 - len(line % "") + 1)))
        f.write(line % "")
    return str(path)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--meshc", required=True)
    ap.add_argument("--compilers", default="g++,clang++")
    ap.add_argument("--standards", default="17,20")
    ap.add_argument("--work")
    ap.add_argument("--install-from", help="a meshc build directory: also install it and build the examples' "
                                           "generated code against the installed meshrt (find_package), in Debug")
    args = ap.parse_args()
    meshc = os.path.abspath(args.meshc)
    work = pathlib.Path(args.work or tempfile.mkdtemp(prefix="mesh-codegen-"))
    failures = []
    compared = 0
    work.mkdir(parents=True, exist_ok=True)
    generated = {"@oversized": oversized_corpus(work)}
    for index, (contracts, targets) in enumerate(CASES):
        out = work / f"case{index}"
        shutil.rmtree(out, ignore_errors=True)
        gen = run([meshc, "build", contracts, "-o", str(out), "--target", "cpp"], cwd=ROOT)
        if gen.returncode != 0:
            failures.append(f"meshc build {contracts} failed")
            continue
        if index == 0:
            shutil.copy(HERE / "roundtrip.cpp", out / "cpp" / "roundtrip.cpp")
            with open(out / "cpp" / "CMakeLists.txt", "a") as f:
                f.write("add_executable(roundtrip roundtrip.cpp)\ntarget_link_libraries(roundtrip PRIVATE mesh_contracts)\n")
        for compiler in args.compilers.split(","):
            for std in args.standards.split(","):
                build = out / f"build-{compiler}-{std}"
                configure = run(["cmake", "-S", str(out / "cpp"), "-B", str(build), "-G", "Ninja",
                                 f"-DCMAKE_CXX_COMPILER={compiler}", f"-DCMAKE_CXX_STANDARD={std}",
                                 "-DCMAKE_BUILD_TYPE=Release", *cxx_flag_args(),
                                 f"-DMESHRT_SOURCE_DIR={ROOT / 'runtime'}"],
                                capture_output=True, text=True)
                if configure.returncode != 0:
                    failures.append(f"{contracts} {compiler} C++{std}: cmake failed\n{configure.stdout}{configure.stderr}")
                    continue
                built = run(["cmake", "--build", str(build)], capture_output=True, text=True)
                if built.returncode != 0:
                    failures.append(f"{contracts} {compiler} C++{std}: build failed\n{built.stdout[-4000:]}")
                    continue
                print(f"built {contracts} with {compiler} C++{std}")
                for target, corpus in targets:
                    corpus = generated.get(corpus, corpus)
                    ref = run([meshc, "validate", contracts, "--product", target, corpus], cwd=ROOT,
                              capture_output=True, timeout=600)
                    got = run([str(build / "mesh-validate"), "--product", target, corpus], cwd=ROOT,
                              capture_output=True, timeout=600)
                    compared += 1
                    if ref.stdout != got.stdout or ref.returncode != got.returncode:
                        failures.append(f"{contracts} {target} {corpus} ({compiler} C++{std}): mesh-validate differs "
                                        f"from meshc validate (exit {got.returncode} vs {ref.returncode})\n"
                                        f"meshc:\n{ref.stdout.decode(errors='replace')}\n"
                                        f"mesh-validate:\n{got.stdout.decode(errors='replace')}")
                if index == 0:
                    rt = run([str(build / "roundtrip")], capture_output=True, text=True)
                    if rt.returncode != 0:
                        failures.append(f"roundtrip ({compiler} C++{std}) failed:\n{rt.stdout}{rt.stderr}")
    if args.install_from:
        prefix = work / "install"
        shutil.rmtree(prefix, ignore_errors=True)
        inst = run(["cmake", "--install", args.install_from, "--prefix", str(prefix)], capture_output=True, text=True)
        out = work / "case0"
        build = out / "build-installed"
        configure = run(["cmake", "-S", str(out / "cpp"), "-B", str(build), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Debug",
                         f"-DCMAKE_PREFIX_PATH={prefix}", *cxx_flag_args()],
                        capture_output=True, text=True)
        built = run(["cmake", "--build", str(build)], capture_output=True, text=True) if configure.returncode == 0 else configure
        if inst.returncode != 0 or built.returncode != 0:
            failures.append(f"installed meshrt: install or build failed\n{inst.stderr}{built.stdout[-3000:]}{built.stderr[-3000:]}")
        else:
            print("built examples/contracts against the installed meshrt (find_package, Debug)")
            contracts, targets = CASES[0]
            for target, corpus in targets:
                ref = run([meshc, "validate", contracts, "--product", target, corpus], cwd=ROOT, capture_output=True)
                got = run([str(build / "mesh-validate"), "--product", target, corpus], cwd=ROOT, capture_output=True)
                compared += 1
                if ref.stdout != got.stdout or ref.returncode != got.returncode:
                    failures.append(f"installed meshrt: {target} {corpus}: mesh-validate differs from meshc validate")
            rt = run([str(build / "roundtrip")], capture_output=True, text=True)
            if rt.returncode != 0:
                failures.append(f"installed meshrt: roundtrip failed:\n{rt.stdout}{rt.stderr}")
    if failures:
        print("\n\n".join(failures))
        print(f"codegen: {len(failures)} failures")
        sys.exit(1)
    print(f"codegen: every build warning-free, {compared} corpora identical between meshc validate and mesh-validate")


if __name__ == "__main__":
    main()

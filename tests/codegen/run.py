#!/usr/bin/env python3
"""Builds the C++ generated for test contracts with g++ and clang++, in C++17
and C++20, with -Wall -Wextra -Werror, and checks that mesh-validate prints
exactly what `meshc validate` prints on the same messages (byte for byte,
same exit code), plus the round trip and masking program. The last case is
tests/codegen/names (names that clash in C++) with a names corpus generated
from this machine's headers (write_names_corpus), built with each
compiler in one standard (g++ C++17, clang++ C++20): linked and compared
with the last compiler, compiled -fsyntax-only with the others.

meshrt (and meshrt_kafka) is built once per compiler and standard: the
examples' project builds it from the source tree (-DMESHRT_SOURCE_DIR, as a
domain repository next to meshc's sources does), installs it into
WORK/meshrt-COMPILER-STD, and the other cases find it there
(find_package(meshrt), as a domain repository with an installed meshc does).

usage: run.py --meshc PATH [--compilers g++,clang++] [--standards 17,20] [--work DIR] [--only SUBSTRING]
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import shlex
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
    ("tests/lit/validate/Inputs/pii.mesh", [
        ("p.Person", "tests/lit/validate/Inputs/pii.jsonl"),
    ]),
    ("tests/codegen/injection.mesh", [
        ("class.namespace.struct", "tests/codegen/corpus/injection.jsonl"),
    ]),
    # Keys on the wire (`@wire`) that are not identifiers or hold quotes,
    # backslashes, `*/`, `??/` and non-ASCII: read, validated and written
    # back (wire_roundtrip.cpp).
    ("tests/lit/wire/Inputs/wire.mesh", [
        ("w.customers", "tests/lit/wire/Inputs/wire.jsonl"),
    ]),
    # Unions (std::variant) and tagged unions in every position, a tagged
    # union as a target of its own (union_roundtrip.cpp).
    ("tests/lit/unions/Inputs/unions.mesh", [
        ("u.Event", "tests/lit/unions/Inputs/unions.jsonl"),
        ("u.StarEvent", "tests/codegen/corpus/stars.jsonl"),
    ]),
]
# Programs built and run with a case's generated code, besides mesh-validate.
PROGRAMS = {
    "examples/contracts": "roundtrip",
    "tests/lit/wire/Inputs/wire.mesh": "wire_roundtrip",
    "tests/lit/unions/Inputs/unions.mesh": "union_roundtrip",
}
# Contracts whose names clash in C++ (docs/hardening.md, "Hardening II"):
# built with the generated names corpus, as one case (one meshrt build).
NAMES_CASES = [
    ("h.k5.sub", "tests/codegen/corpus/names.jsonl"),
    ("h.k5.p", "tests/codegen/corpus/names.jsonl"),
    ("chain.c", "tests/codegen/corpus/chain.jsonl"),
]


def run(cmd, **kw):
    return subprocess.run(cmd, env=ENV, **kw)


# Ninja's default (cores + 2) beside the other tests ctest runs in parallel
# only adds compilers of a gigabyte each competing for the same cores.
JOBS = str(os.cpu_count() or 2)


def build_project(build):
    """cmake --build with JOBS jobs."""
    return run(["cmake", "--build", str(build), "--parallel", JOBS], capture_output=True, text=True)


def install_meshrt(build, prefix):
    """Installs the meshrt a generated project built from the source tree
    (its BUILD/meshrt subdirectory) into PREFIX; returns an error or None."""
    shutil.rmtree(prefix, ignore_errors=True)
    r = run(["cmake", "--install", str(build / "meshrt"), "--prefix", str(prefix)], capture_output=True, text=True)
    return None if r.returncode == 0 else f"cmake --install {build / 'meshrt'} failed\n{r.stdout}{r.stderr}"


def syntax_check(build, sources):
    """Compiles every generated translation unit of a configured project with
    -fsyntax-only (preprocessing, parsing, name lookup, overload resolution,
    template instantiation and the front end's warnings under -Werror: every
    place where a name clashes), in parallel; returns the failures' output."""
    commands = []
    for entry in json.loads((build / "compile_commands.json").read_text()):
        if not pathlib.Path(entry["file"]).resolve().is_relative_to(sources.resolve()):
            continue  # meshrt, built and linked in another configuration
        argv = shlex.split(entry["command"])
        if "-o" in argv:
            del argv[argv.index("-o"):argv.index("-o") + 2]
        commands.append(([a for a in argv if a != "-c"] + ["-fsyntax-only"], entry["directory"]))
    if not commands:
        return [f"{build}: no generated translation unit in compile_commands.json"]
    with concurrent.futures.ThreadPoolExecutor(int(JOBS)) as pool:
        results = list(pool.map(lambda c: run(c[0], cwd=c[1], capture_output=True, text=True), commands))
    return [f"{' '.join(c[0])}\n{r.stdout[-4000:]}{r.stderr[-4000:]}" for c, r in zip(commands, results) if r.returncode]


# ---------------------------------------------------------------- the names corpus

sys.path.insert(0, str(ROOT / "tools"))
cpp_macros = __import__("cpp-macros")  # tools/cpp-macros.py: the macros of the real headers

# Every C++20 keyword, alternative token and identifier with special meaning
# (written out here, not taken from the generator).
CPP_KEYWORDS = """alignas alignof and and_eq asm atomic_cancel atomic_commit atomic_noexcept auto bitand bitor bool
break case catch char char8_t char16_t char32_t class compl concept const consteval constexpr constinit const_cast
continue co_await co_return co_yield decltype default delete do double dynamic_cast else enum explicit export extern
false float for friend goto if inline int long mutable namespace new noexcept not not_eq nullptr operator or or_eq
private protected public reflexpr register reinterpret_cast requires return short signed sizeof static static_assert
static_cast struct switch synchronized template this thread_local throw true try typedef typeid typename union
unsigned using virtual void volatile wchar_t while xor xor_eq final override import module transaction_safe
transaction_safe_dynamic""".split()
CORPUS_HEADERS = ["cerrno", "cmath", "climits", "cstdint", "endian.h"]
NAMES_PACKAGE = "hostile.names"


def corpus_names(compilers):
    """Every C++ keyword and every macro of the headers issue 15 names, as the real headers define them."""
    macros = cpp_macros.header_macros(tuple(compilers), tuple(CORPUS_HEADERS))
    return sorted(set(CPP_KEYWORDS) | set(macros))


def missing_reserved_names(compilers):
    """Macros and global names of this machine's headers that CppGen's lists
    (tools/cpp-macros.py's output, checked in) do not reserve."""
    def listed(name):
        text = (ROOT / "compiler" / "codegen" / "cpp" / name).read_text()
        return {line.strip().rstrip(",").strip('"') for line in text.splitlines() if line.startswith('"')}
    missing = [f"macro {m}" for m in cpp_macros.header_macros(tuple(compilers)) if m not in listed("Macros.inc")]
    if "clang++" in compilers:
        missing += [f"global {g}" for g in cpp_macros.global_names() if g not in listed("Globals.inc")]
    return missing


def write_names_corpus(directory, compilers):
    """A contract with every corpus name as a record, a field, an enum member,
    a package part and a product; every macro of every header generated code
    includes as an enum member; beside tests/codegen/names. Returns its JSON
    Lines messages' path."""
    names = corpus_names(compilers)
    every_macro = sorted(set(cpp_macros.header_macros(tuple(compilers))) | set(names))
    shutil.rmtree(directory, ignore_errors=True)
    directory.mkdir(parents=True)
    fields = "".join(f"  {n}: int32? where value != 0;\n" for n in names)
    records = "".join(f"record {n} {{ {n}: int32; }}\n" for n in names)
    products = "".join(f"product {n} {{ domain d; version \"1.0.0\"; schema {n}; topic \"t.{n}\" {{ key {n}; }} }}\n"
                       for n in names)
    main = (f"// Generated by tests/codegen/run.py: the names corpus.\npackage {NAMES_PACKAGE};\n\n"
            f"enum Members {{ {', '.join(names)} }}\n"
            f"enum AllMacros {{ {', '.join(every_macro)} }}\n"
            f"record Fields {{\n{fields}  members: Members?;\n  macros: AllMacros?;\n}}\n{records}"
            f"domain d {{ owner \"team\"; }}\n")
    (directory / "names.mesh").write_text(main)
    for contract in (HERE / "names").glob("*.mesh"):
        shutil.copy(contract, directory / contract.name)
    # Products share one namespace with records in a package: theirs is another.
    (directory / "products.mesh").write_text(f"package {NAMES_PACKAGE}.products;\nimport {NAMES_PACKAGE};\n\n"
                                              f"record holder {{ v: int32; }}\n{products}")
    # Package parts: chains of 40 names, each package with one record.
    for start in range(0, len(names), 40):
        package = f"{NAMES_PACKAGE}.{'.'.join(names[start:start + 40])}"
        (directory / f"parts{start}.mesh").write_text(
            f"package {package};\nimport {NAMES_PACKAGE};\n\nrecord part {{ v: Members; }}\n")
    messages = directory / "names.jsonl"
    with open(messages, "w") as f:
        f.write(json.dumps({n: i for i, n in enumerate(names)}) + "\n")
        f.write(json.dumps({names[0]: "x", names[-1]: 2.5, "members": names[-1], "macros": every_macro[-1]}) + "\n")
        f.write(json.dumps({"members": "nope", "macros": every_macro[0], "unknown": 1}) + "\n")
    return messages


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
    ap.add_argument("--only", help="build only the cases whose contracts path contains this")
    ap.add_argument("--install-from", help="a meshc build directory: also install it and build the examples' "
                                           "generated code against the installed meshrt (find_package), in Debug")
    args = ap.parse_args()
    meshc = os.path.abspath(args.meshc)
    work = pathlib.Path(args.work or tempfile.mkdtemp(prefix="mesh-codegen-"))
    failures = []
    compared = 0
    work.mkdir(parents=True, exist_ok=True)
    for stale in work.glob("meshrt-*"):  # installed by an earlier run, perhaps from other sources
        shutil.rmtree(stale)
    names_dir = work / "names-corpus"
    names_messages = write_names_corpus(names_dir, args.compilers.split(","))
    missing = missing_reserved_names(args.compilers.split(","))
    if missing:
        failures.append(f"{len(missing)} names of this machine's headers are not reserved (rerun tools/cpp-macros.py, "
                        f"see its header): {' '.join(missing[:50])}")
    cases = CASES + [(str(names_dir), NAMES_CASES + [(f"{NAMES_PACKAGE}.Fields", str(names_messages))])]
    generated = {"@oversized": oversized_corpus(work)}
    for index, (contracts, targets) in enumerate(cases):
        if args.only and args.only not in contracts:
            continue
        out = work / f"case{index}"
        shutil.rmtree(out, ignore_errors=True)
        gen = run([meshc, "build", contracts, "-o", str(out), "--target", "cpp"], cwd=ROOT)
        if gen.returncode != 0:
            failures.append(f"meshc build {contracts} failed")
            continue
        program = PROGRAMS.get(contracts)
        if program:
            shutil.copy(HERE / f"{program}.cpp", out / "cpp" / f"{program}.cpp")
            with open(out / "cpp" / "CMakeLists.txt", "a") as f:
                f.write(f"add_executable({program} {program}.cpp)\n"
                        f"target_link_libraries({program} PRIVATE mesh_contracts)\n")
        compilers, standards = args.compilers.split(","), args.standards.split(",")
        names_case = contracts == str(names_dir)
        for compiler in compilers:
            for std in standards:
                # The names corpus (113,000 generated lines) is built once per
                # compiler, each in another standard (g++ C++17, clang++
                # C++20): every name meets both compilers and both standards
                # at half the cost of all four (the CI budget). Only the last
                # compiler links it and runs it against meshc validate (clang
                # at -O0 is the faster one); the others compile it
                # -fsyntax-only, where every clash of a name shows (the
                # preprocessor, name lookup, overloads, templates, the front
                # end's warnings), at a third of the cost of code generation.
                if names_case and std != standards[compilers.index(compiler) % len(standards)]:
                    continue
                syntax_only = names_case and compiler != compilers[-1]
                config = f"{compiler} C++{std}"
                build = out / f"build-{compiler}-{std}"
                prefix = work / f"meshrt-{compiler}-{std}"
                # meshrt from the source tree in the examples' project (and
                # whenever it has not been installed for this configuration
                # yet, as with --only), installed from there for the others.
                from_source = index == 0 or not (prefix / "include" / "meshrt").is_dir()
                configure = run(["cmake", "-S", str(out / "cpp"), "-B", str(build), "-G", "Ninja",
                                 f"-DCMAKE_CXX_COMPILER={compiler}", f"-DCMAKE_CXX_STANDARD={std}",
                                 # the names corpus is large and only has to build and agree: unoptimized
                                 f"-DCMAKE_BUILD_TYPE={'Debug' if names_case else 'Release'}",
                                 *cxx_flag_args(), "-DCMAKE_EXPORT_COMPILE_COMMANDS=ON",
                                 *([f"-DMESHRT_SOURCE_DIR={ROOT / 'runtime'}"] if from_source else
                                   # meshrt's headers with -I, not -isystem: their warnings still count
                                   [f"-DCMAKE_PREFIX_PATH={prefix}", "-DCMAKE_NO_SYSTEM_FROM_IMPORTED=ON"])],
                                capture_output=True, text=True)
                if configure.returncode != 0:
                    failures.append(f"{contracts} {config}: cmake failed\n{configure.stdout}{configure.stderr}")
                    continue
                if syntax_only:
                    errors = syntax_check(build, out / "cpp")
                    if errors:
                        failures.append(f"{contracts} {config}: -fsyntax-only failed\n" + "\n".join(errors[:3]))
                    else:
                        print(f"compiled {contracts} with {config} (-fsyntax-only)")
                    continue
                built = build_project(build)
                if built.returncode != 0:
                    failures.append(f"{contracts} {config}: build failed\n{built.stdout[-4000:]}")
                    continue
                if from_source and index == 0:
                    error = install_meshrt(build, prefix)
                    if error:
                        failures.append(f"{contracts} {config}: {error}")
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
                if program:
                    rt = run([str(build / program)], capture_output=True, text=True)
                    if rt.returncode != 0:
                        failures.append(f"{program} ({compiler} C++{std}) failed:\n{rt.stdout}{rt.stderr}")
    if args.install_from:
        prefix = work / "install"
        shutil.rmtree(prefix, ignore_errors=True)
        inst = run(["cmake", "--install", args.install_from, "--prefix", str(prefix)], capture_output=True, text=True)
        out = work / "case0"
        build = out / "build-installed"
        configure = run(["cmake", "-S", str(out / "cpp"), "-B", str(build), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Debug",
                         f"-DCMAKE_PREFIX_PATH={prefix}", *cxx_flag_args()],
                        capture_output=True, text=True)
        built = build_project(build) if configure.returncode == 0 else configure
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

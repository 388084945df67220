"""The generated C++ project for the integration tests: `meshc build
CONTRACTS --target cpp`, configured against this tree's runtime with the
warnings of the codegen test, and the wanted targets built."""

import os
import pathlib
import shutil
import subprocess

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Under tools/test-sanitized.sh (a -DMESH_SANITIZE=ON build), ctest passes the
# sanitizer flags in MESH_SANITIZE_FLAGS: the generated code is built with
# them too, so it runs sanitized like meshc.
SANITIZE_FLAGS = os.environ.get("MESH_SANITIZE_FLAGS", "").split()


def cxx_flag_args(cxx_flags="-Wall -Wextra -Werror"):
    """The -DCMAKE_*_FLAGS arguments of a generated project's configure step."""
    args = ["-DCMAKE_CXX_FLAGS=" + " ".join([cxx_flags, *SANITIZE_FLAGS])]
    if SANITIZE_FLAGS:
        args.append("-DCMAKE_EXE_LINKER_FLAGS=" + " ".join(SANITIZE_FLAGS))
    return args


def build(meshc, work, targets=("mesh-gate",), contracts="examples/contracts", programs=()):
    """Returns the build directory. programs are files of examples/demo
    (`read_orders.cpp`, ...) added to the project as executables of their
    own name, linked to the generated library."""
    subprocess.run([meshc, "build", str(contracts), "-o", str(work / "out"), "--target", "cpp"], cwd=ROOT,
                   check=True)
    cpp = work / "out" / "cpp"
    for program in programs:
        shutil.copy(ROOT / "examples" / "demo" / program, cpp)
        name = pathlib.Path(program).stem
        with open(cpp / "CMakeLists.txt", "a") as f:
            f.write(f"add_executable({name} {program})\n"
                    f"target_link_libraries({name} PRIVATE mesh_contracts)\n")
    out = work / "build"
    subprocess.run(["cmake", "-S", str(cpp), "-B", str(out), "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                    f"-DMESHRT_SOURCE_DIR={ROOT / 'runtime'}", *cxx_flag_args()],
                   check=True, stdout=subprocess.DEVNULL)
    subprocess.run(["cmake", "--build", str(out), "--target", *targets], check=True, stdout=subprocess.DEVNULL)
    return out

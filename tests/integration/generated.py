"""The generated C++ project for the integration tests: `meshc build
CONTRACTS --target cpp`, configured against this tree's runtime with the
warnings of the codegen test, and the wanted targets built."""

import os
import pathlib
import shutil
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]

# Built with the sanitizer flags in a sanitized test run (tests/scripts/sanitize_flags.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from sanitize_flags import cxx_flag_args  # noqa: E402


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

"""The flags of the generated C++ projects that tests configure and build.

Under tools/test-sanitized.sh (a -DMESH_SANITIZE=ON build), ctest passes the
sanitizer flags in MESH_SANITIZE_FLAGS: the generated code is built with them
too, so it runs sanitized like meshc. Used by tests/codegen/run.py,
tests/differential/run.py, tests/install/run.py and
tests/integration/generated.py.
"""
import os

SANITIZE_FLAGS = os.environ.get("MESH_SANITIZE_FLAGS", "").split()


def cxx_flag_args(cxx_flags="-Wall -Wextra -Werror"):
    """The -DCMAKE_*_FLAGS arguments of a generated project's configure step."""
    args = ["-DCMAKE_CXX_FLAGS=" + " ".join([cxx_flags, *SANITIZE_FLAGS])]
    if SANITIZE_FLAGS:
        args.append("-DCMAKE_EXE_LINKER_FLAGS=" + " ".join(SANITIZE_FLAGS))
    return args

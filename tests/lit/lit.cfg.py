# lit configuration for meshc's golden compiler tests.
# Run through ctest, or by hand:
#   python3 /usr/lib/llvm-14/build/utils/lit/lit.py -sv tests/lit --param meshc=build/meshc
import os
import shutil
import sys

import lit.formats

config.name = "meshc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mesh", ".test"]
# Inputs/ holds files that tests include; pending/ holds tests of known bugs.
config.excludes = ["Inputs", "pending"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(lit_config.params.get("build", "/tmp/meshc-lit"), "lit")

meshc = os.path.abspath(lit_config.params.get("meshc", "build/meshc"))
filecheck = lit_config.params.get("filecheck", "/usr/bin/FileCheck-14")
config.substitutions.append(("%meshc", meshc))
config.substitutions.append(("%examples", os.path.join(config.test_source_root, "..", "..", "examples")))
config.substitutions.append(("%inputs", os.path.join(config.test_source_root, "Inputs")))
config.substitutions.append(("FileCheck", filecheck))
# split-file (llvm-14-tools) splits a test into the files of two versions for `meshc breaking`.
config.substitutions.append(("split-file", shutil.which("split-file-14") or shutil.which("split-file") or "split-file"))
config.substitutions.append(("%python", sys.executable))

# Deterministic output: a fixed "today" for waiver expiry, no colors.
config.environment["MESH_TODAY"] = "2026-11-25"
config.environment["NO_COLOR"] = "1"
# Every test runs with the cache of results on (docs/cache.md), in one
# directory for the whole suite: a test that edits a file and runs meshc
# again shows the cache never serves a stale result. A second run of the
# suite is served from it, with the same output. Tests of the cache itself
# give each run its own MESH_CACHE_DIR.
config.environment["MESH_CACHE_DIR"] = os.path.join(config.test_exec_root, "..", "lit-cache")

# Graphviz renders `meshc graph` output where it is installed (tools/setup.sh).
if shutil.which("dot"):
    config.available_features.add("graphviz")
# The readers of `meshc build --depfile` (tests/lit/depfile): Ninja and GNU
# Make, which tools/setup.sh installs to build meshc.
for tool in ("ninja", "make"):
    if shutil.which(tool):
        config.available_features.add(tool)

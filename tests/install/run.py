#!/usr/bin/python3
"""The installed meshc, as a domain repository uses it (docs/cmake.md).

Installs a meshc build tree into a temporary prefix (`cmake --install`) and
checks what the prefix holds and that the installed meshc reads the
installed standard library. With --deb, the release package (cpack -G DEB,
ctest `package-deb`) is unpacked too (dpkg-deb -x, never installed): it
must hold the same files as the prefix (the same bytes, but for the stripped
binaries and libraries), and the same checks run on its /usr. Then
find_package(meshc) must honour versions, and tests/install/project is built
FROM THE PACKAGE'S TREE (from the prefix without --deb), with
find_package(meshc) and meshc_generate() on a copy of examples/contracts, and:
  - runs a program on the generated types (construct, validate, serialize,
    re-parse), publishes through the generated producer to the installed
    mesh-devkafka, holds the topic to its contract with the domain's gate
    (meshc_generate GATE) and reads the gate's output with the generated
    consumer;
  - rebuilds with nothing changed (no work), after editing a .mesh file (the
    C++ is regenerated and the program sees the new constraint), after adding
    a package (its validator is compiled in), and with a contract that does
    not compile (the build fails with meshc's diagnostic);
  - compiles the project's workspace/ from its workspace file (mesh.yaml: an
    include root, a policies package), meshc_generate() with no CONTRACTS:
    meshc's depfile names the files it read, and editing a contract of the
    include root regenerates through it; a package added to the workspace's
    contracts is compiled in. meshc_generate()'s misuses are refused.

usage: run.py BUILD_DIR [--work DIR] [--deb DEB]
"""
import os
import pathlib
import shutil
import signal
import subprocess
import sys
import time
import uuid

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent

# Built with the sanitizer flags in a sanitized test run (tests/scripts/sanitize_flags.py).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "scripts"))
from sanitize_flags import cxx_flag_args  # noqa: E402
sys.path.insert(0, str(ROOT / "tests" / "integration"))
import debian_package  # noqa: E402
import devkafka  # noqa: E402
from harness import arguments, expect, failures, finish  # noqa: E402


def run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run([str(c) for c in cmd], **kw)


def libdir(prefix):
    for name in ("lib", "lib64", "lib/x86_64-linux-gnu"):
        if (prefix / name / "cmake" / "meshc").is_dir():
            return prefix / name
    return prefix / "lib"


def check_prefix(prefix, build_meshc, work):
    """What the prefix holds; its meshc reads its own standard library."""
    lib = libdir(prefix)
    for path in ["bin/meshc", "bin/mesh-devkafka", "include/meshrt/runtime.h", "include/meshrt/kafka.h",
                 "share/meshc/stdlib/std/types.mesh", "share/meshc/stdlib/std/policy/gdpr.mesh",
                 "share/meshc/editors/vscode/package.json", "share/meshc/editors/vscode/syntaxes/mesh.tmLanguage.json"]:
        expect((prefix / path).is_file(), f"the prefix has no {path}")
    # The TextMate grammar is a link to the extension's (tools/editors/README.md).
    textmate = prefix / "share/meshc/editors/textmate/mesh.tmLanguage.json"
    expect(textmate.is_symlink() and textmate.resolve() == (prefix / "share/meshc/editors/vscode/syntaxes/"
                                                            "mesh.tmLanguage.json").resolve(),
           "share/meshc/editors/textmate/mesh.tmLanguage.json is not a link to the extension's grammar")
    for path in ["libmeshrt.a", "libmeshrt_kafka.a", "cmake/meshrt/meshrtConfig.cmake",
                 "cmake/meshrt/meshrtConfigVersion.cmake", "cmake/meshc/meshcConfig.cmake",
                 "cmake/meshc/meshcConfigVersion.cmake", "cmake/meshc/meshcTargets.cmake",
                 "cmake/meshc/MeshcGenerate.cmake"]:
        expect((lib / path).is_file(), f"the prefix has no {lib.relative_to(prefix)}/{path}")

    # The installed meshc reads PREFIX/share/meshc/stdlib, not the source tree
    # it was built from: a package only the installed copy has resolves for
    # it and not for the build tree's meshc.
    probe_dir = prefix / "share/meshc/stdlib/std"
    (probe_dir / "installprobe.mesh").write_text("package std.installprobe;\n\ntype ProbeId = string;\n")
    contract = work / "probe.mesh"
    contract.write_text("package probe;\n\nimport std.installprobe;\n\nrecord R {\n  id: installprobe.ProbeId;\n}\n")
    env = {k: v for k, v in os.environ.items() if k != "MESH_STDLIB"}
    installed = run([prefix / "bin/meshc", "check", contract], env=env)
    built = run([build_meshc, "check", contract], env=env)
    expect(installed.returncode == 0, f"the installed meshc does not read its installed stdlib:\n{installed.stderr}")
    expect(built.returncode == 1, "the build tree's meshc found a package only the installed stdlib has")
    (probe_dir / "installprobe.mesh").unlink()


def check_versions(prefix, work):
    # meshcConfigVersion.cmake: 0.1 is found, 0.2 and 1.0 are not.
    for want, ok in (("0.1", True), ("0.2", False), ("1.0", False)):
        src = work / f"version-{want}"
        src.mkdir()
        (src / "CMakeLists.txt").write_text(
            f"cmake_minimum_required(VERSION 3.21)\nproject(v LANGUAGES CXX)\nfind_package(meshc {want} REQUIRED)\n"
            "message(STATUS \"meshc ${meshc_VERSION} at ${MESHC_EXECUTABLE}\")\n")
        conf = run(["cmake", "-S", src, "-B", src / "build", "-G", "Ninja", f"-DCMAKE_PREFIX_PATH={prefix}"])
        if ok:
            expect(conf.returncode == 0 and f"at {prefix}/bin/meshc" in conf.stdout,
                   f"find_package(meshc {want}) failed:\n{conf.stdout[-2000:]}{conf.stderr[-2000:]}")
        else:
            expect(conf.returncode != 0 and "compatible with requested version" in " ".join(conf.stderr.split()),
                   f"find_package(meshc {want}) accepted version 0.1:\n{conf.stdout[-1000:]}")


def binary(path):
    """An ELF file or a static library: the package's copy is stripped."""
    head = path.read_bytes()[:8]
    return head.startswith(b"\x7fELF") or head == b"!<arch>\n"


def same_tree(prefix, deb_prefix):
    """The package holds what `cmake --install` installs: the same paths,
    links to the same targets, the same bytes but for binaries."""
    def tree(top):
        return {p.relative_to(top): p for p in top.rglob("*") if not p.is_dir() or p.is_symlink()}
    installed, packaged = tree(prefix), tree(deb_prefix)
    only_installed = sorted(map(str, installed.keys() - packaged.keys()))
    only_packaged = sorted(map(str, packaged.keys() - installed.keys()))
    expect(not only_installed and not only_packaged,
           f"the package and cmake --install differ: only installed {only_installed}, only packaged {only_packaged}")
    differ = []
    for rel in sorted(installed.keys() & packaged.keys()):
        a, b = installed[rel], packaged[rel]
        if a.is_symlink() or b.is_symlink():
            same = a.is_symlink() and b.is_symlink() and os.readlink(a) == os.readlink(b)
        else:
            same = binary(a) or a.read_bytes() == b.read_bytes()
        if not same:
            differ.append(str(rel))
    expect(not differ, f"the package's files differ from cmake --install's: {differ}")
    return len(installed)


def check_misuse(prefix, work):
    """meshc_generate()'s arguments, refused before anything runs (cmake -P:
    no project, no compiler)."""
    module = libdir(prefix) / "cmake/meshc/MeshcGenerate.cmake"
    cases = {
        "CONTRACTS c WORKSPACE w": "CONTRACTS and WORKSPACE together",
        "WORKSPACE": "WORKSPACE names no directory",
        "INCLUDE i": "INCLUDE goes with CONTRACTS",
        "": "no CONTRACTS, no WORKSPACE, and no mesh.yaml in",
        "WORKSPACE .": "WORKSPACE . has no mesh.yaml",
    }
    where = work / "misuse"
    where.mkdir()
    for args, message in cases.items():
        script = where / "misuse.cmake"
        script.write_text(f'set(MESHC_EXECUTABLE "{prefix}/bin/meshc")\ninclude("{module}")\n'
                          f"meshc_generate(TARGET t {args})\n")
        got = run(["cmake", "-P", script], cwd=where)
        expect(got.returncode != 0 and message in " ".join(got.stderr.split()),
               f"meshc_generate(TARGET t {args}) should be refused with '{message}':\n{got.stderr[-1000:]}")


class Workspace:
    """workspace/: meshc_generate() with no CONTRACTS reads its mesh.yaml (an
    include root, a policies package). The build-time command's inputs come
    from meshc's depfile: an edit of a contract in the include root
    regenerates, though no static dependency of the command names the file.
    Its edits ride on the orders' rebuilds (one sleep, one build each)."""

    STAMP = "workspace/CMakeFiles/meshc_generate/web_contracts/generated.stamp"

    def __init__(self, project, bin_dir):
        self.ws, self.bin_dir = project / "workspace", bin_dir
        self.header = bin_dir / "workspace/meshc/web_contracts/cpp/web/clicks.mesh.h"
        self.source = self.header.with_name("clicks.mesh.cpp")
        self.types = self.ws / "platform/acme/types.mesh"
        self.before = ""

    def check_built(self):
        ws = self.ws
        expect(self.header.is_file() and "// Source: contracts/web/clicks.mesh" in self.header.read_text(),
               "the workspace's generated header is missing or does not name its source from the workspace root")
        depfile = self.bin_dir / "workspace/CMakeFiles/meshc_generate/web_contracts/build.d"
        listed = depfile.read_text() if depfile.is_file() else ""
        for path in (ws / "contracts/web/clicks.mesh", self.types, ws / "platform/acme/policy.mesh", ws / "mesh.yaml"):
            expect(f"  {path} \\\n" in listed or listed.endswith(f"  {path}\n"),
                   f"meshc's depfile does not name {path}:\n{listed}")
        query = run(["ninja", "-C", self.bin_dir, "-t", "query", self.STAMP])
        expect(query.returncode == 0 and "types.mesh" not in query.stdout,
               f"the generation's static dependencies name the include root's file:\n{query.stdout}{query.stderr}")

    def edit(self):
        """A contract of the include root changes the type a record uses."""
        self.before = self.source.read_text()
        text = self.types.read_text()
        self.types.write_text(text.replace('starts_with(value, "/")', 'starts_with(value, "/") && len(value) <= 2048'))

    def check_edit(self, log):
        expect("meshc: generating C++ for web_contracts" in log,
               f"editing the include root's types.mesh did not regenerate web_contracts:\n{log[-3000:]}")
        # ninja -d explain: the stamp is older than the depfile's types.mesh.
        expect(f"{self.STAMP} older than most recent input {self.types}" in log,
               f"ninja did not rerun the generation for the depfile's {self.types}:\n{log[-3000:]}")
        expect(self.source.read_text() != self.before,
               "the generated clicks.mesh.cpp did not change after the include root's edit")

    def add(self):
        """A package added to the workspace's contracts: its directory is a
        configure dependency, so CMake asks meshc again and compiles it in."""
        (self.ws / "contracts/web/visits.mesh").write_text(
            "package web.visits;\n\nimport acme.types;\n\n/// A visit of the shop.\nrecord Visit {\n"
            "  landing: types.PagePath;\n}\n")

    def check_add(self, log):
        expect("web/visits.mesh.cpp" in log, f"a package added to the workspace was not compiled:\n{log[-3000:]}")


def build(project, *ninja_args):
    b = run(["cmake", "--build", project / "build", "-j2", *(["--", *ninja_args] if ninja_args else [])])
    return b.returncode, b.stdout + b.stderr


def kafka_round_trip(prefix, bin_dir, work):
    topic = "sales.orders.placed.v1"
    suffix = uuid.uuid4().hex[:8]
    valid, dlq = f"orders.valid.{suffix}", f"orders.dlq.{suffix}"
    bootstrap, broker = devkafka.start(str(prefix / "bin/mesh-devkafka"), work, [f"{topic}:3", f"{valid}:3", f"{dlq}:1"])
    gate = None
    try:
        pub = run([bin_dir / "orders_roundtrip", "publish", bootstrap], timeout=120)
        expect(pub.returncode == 0 and "published 3 rejected 1 delivered 3" in pub.stdout and "refused X-4" in pub.stdout,
               f"publishing through the generated producer:\n{pub.stdout}{pub.stderr}")
        gate = subprocess.Popen([str(bin_dir / "orders-gate"), "--product", "sales.orders.orders_placed", "--bootstrap",
                                 bootstrap, "--input", topic, "--output", valid, "--dlq", dlq, "--group",
                                 f"install-gate-{suffix}", "-X", "session.timeout.ms=6000"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        got = run([bin_dir / "orders_roundtrip", "consume", bootstrap, valid, f"install-read-{suffix}", "3"],
                  timeout=120)
        received = sorted(line.split()[1] for line in got.stdout.splitlines() if line.startswith("received "))
        expect(got.returncode == 0 and received == ["ORD-1", "ORD-2", "ORD-3"],
               f"reading the gate's output with the generated consumer: {received}\n{got.stdout}{got.stderr}")
        gate.send_signal(signal.SIGTERM)
        code = gate.wait(timeout=60)
        err = gate.stderr.read()
        expect(code == 0, f"the domain's gate exited {code} on SIGTERM:\n{err[-2000:]}")
        gate = None
        if not failures:
            print(f"kafka: 3 published and 1 refused by the producer, forwarded by orders-gate, read back ({bootstrap})")
    finally:
        if gate and gate.poll() is None:
            gate.kill()
            gate.wait()
        devkafka.stop(broker)


def main():
    build_dir, work, deb = arguments("build_dir", "install", "deb")
    prefix = work / "prefix"
    t0 = time.time()

    inst = run(["cmake", "--install", build_dir, "--prefix", prefix])
    if inst.returncode != 0:
        sys.exit(f"cmake --install failed:\n{inst.stdout}{inst.stderr}")
    check_prefix(prefix, build_dir / "meshc", work)
    what = "prefix"
    if deb:
        # The release package: the same tree under /usr; the domain project
        # is built from it, as a user of the .deb builds.
        debian_package.unpack(deb, work / "deb")
        files = same_tree(prefix, work / "deb/usr")
        prefix = work / "deb/usr"
        check_prefix(prefix, build_dir / "meshc", work)
        what = f"prefix and {deb.name} ({files} files alike)"
    check_versions(prefix, work)
    check_misuse(prefix, work)

    # The domain repository: the project and a copy of the example contracts.
    project = work / "domain"
    shutil.copytree(HERE / "project", project)
    shutil.copytree(ROOT / "examples/contracts", project / "contracts")
    launcher = [f"-DCMAKE_CXX_COMPILER_LAUNCHER={shutil.which('ccache')}"] if shutil.which("ccache") else []
    conf = run(["cmake", "-S", project, "-B", project / "build", "-G", "Ninja", "-DCMAKE_BUILD_TYPE=Release",
                f"-DCMAKE_PREFIX_PATH={prefix}", *cxx_flag_args(), *launcher])
    if conf.returncode != 0:
        sys.exit(f"configuring the domain project against the prefix failed:\n{conf.stdout}{conf.stderr}")
    code, log = build(project)
    if code != 0:
        sys.exit(f"building the domain project failed:\n{log[-6000:]}")
    bin_dir = project / "build"
    header = bin_dir / "meshc/orders_contracts/cpp/sales/orders.mesh.h"
    expect(header.is_file() and "// Source: contracts/sales/orders/" in header.read_text(),
           "the generated header is missing or names its sources by absolute path")

    # The generated types: construct, validate, serialize, parse back.
    ok = run([bin_dir / "orders_roundtrip", "check", "7"])
    expect(ok.returncode == 0 and "validate valid" in ok.stdout and "parse valid same yes" in ok.stdout
           and '"qty":7' in ok.stdout, f"orders_roundtrip check 7:\n{ok.stdout}{ok.stderr}")
    bad = run([bin_dir / "orders_roundtrip", "check", "0"])
    expect("validate invalid" in bad.stdout and "violation $.items[0].qty where" in bad.stdout,
           f"orders_roundtrip check 0 should break qty > 0:\n{bad.stdout}{bad.stderr}")

    kafka_round_trip(prefix, bin_dir, work)

    # Nothing changed: nothing to do.
    code, log = build(project)
    expect(code == 0 and "no work to do" in log and "meshc: generating" not in log,
           f"a second build with nothing changed did work:\n{log[-3000:]}")

    web = Workspace(project, bin_dir)
    web.check_built()

    # An edited contract: regenerated, recompiled, and the program sees it.
    events = project / "contracts/sales/orders/events.mesh"
    text = events.read_text()
    old = "qty:        int32 where value > 0;"
    assert old in text, "examples/contracts changed: update tests/install/run.py"
    source = header.with_name("orders.mesh.cpp")
    before = source.read_text()
    time.sleep(1.1)  # a coarse file system clock must see the edit as newer
    events.write_text(text.replace(old, "qty:        int32 where value > 0 && value <= 5;"))
    web.edit()
    code, log = build(project, "-d", "explain")
    expect(code == 0 and "meshc: generating C++ for orders_contracts" in log,
           f"editing events.mesh did not regenerate:\n{log[-3000:]}")
    web.check_edit(log)
    expect(source.read_text() != before, "the generated orders.mesh.cpp did not change after the edit")
    edited = run([bin_dir / "orders_roundtrip", "check", "7"])
    expect("validate invalid" in edited.stdout and "violation $.items[0].qty where" in edited.stdout,
           f"after qty <= 5, an order of 7 units must be invalid:\n{edited.stdout}{edited.stderr}")
    still = run([bin_dir / "orders_roundtrip", "check", "5"])
    expect("validate valid" in still.stdout, f"after qty <= 5, 5 units must be valid:\n{still.stdout}")

    # A new package: new generated files, compiled into the library (the
    # domain's validator knows its record).
    returns = project / "contracts/sales/returns.mesh"
    returns.write_text("package sales.returns;\n\n/// A returned order line.\nrecord ReturnEvent {\n"
                       "  order_id: string where matches(value, r\"^ORD-[0-9]+$\");\n"
                       "  qty:      int32 where value > 0;\n}\n")
    web.add()
    code, log = build(project)
    expect(code == 0 and "returns.mesh.cpp" in log, f"adding a package did not compile its code:\n{log[-3000:]}")
    web.check_add(log)
    val = run([bin_dir / "orders-validate", "--product", "sales.returns.ReturnEvent", "-"],
              input='{"order_id":"ORD-1","qty":2}\n{"order_id":"ORD-1","qty":0}\n')
    expect(val.returncode == 1 and val.stdout == '{"line":1,"valid":true}\n{"line":2,"valid":false,"violations":'
                                                 '[{"path":"$.qty","rule":"where","message":"must be > 0"}]}\n',
           f"orders-validate on the added package:\n{val.stdout}{val.stderr}")

    # A contract that does not compile fails the build with its diagnostic;
    # fixing it builds again.
    returns.write_text(returns.read_text().replace("int32 where value > 0", "int32 where value > \"zero\""))
    code, log = build(project)
    expect(code != 0 and "error[E0301]" in log and "contracts/sales/returns.mesh:" in log,
           f"a broken contract did not fail the build with meshc's diagnostic:\n{log[-3000:]}")
    returns.unlink()
    code, log = build(project)
    expect(code == 0, f"removing the broken package did not build again:\n{log[-3000:]}")
    expect(not (bin_dir / "meshc/orders_contracts/cpp/sales/returns.mesh.h").exists(),
           "the removed package's generated files were left behind")

    finish("install", f"{what}, find_package(meshc), meshc_generate (CONTRACTS and a workspace file), "
           "producer/gate/consumer and regeneration ok "
          f"({time.time() - t0:.0f} s)")


if __name__ == "__main__":
    main()

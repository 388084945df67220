"""What the tests ask of a .deb and of the Debian system they run on
(tests/package/run.py, tests/install/run.py, tests/ci/run.py): a package's
control fields and the names its relations (Depends, Recommends) name, its
unpacking with dpkg-deb -x (never dpkg -i: the machine's packages are not
touched), and the Debian package each shared library a binary loads comes
from.
"""
import os
import re
import subprocess


def _run(cmd):
    return subprocess.run([str(c) for c in cmd], capture_output=True, text=True)


def control(deb):
    """The control fields of deb, as a dict (continuation lines joined)."""
    r = _run(["dpkg-deb", "--field", deb])
    if r.returncode != 0:
        raise RuntimeError(f"dpkg-deb --field {deb}: {r.stderr}")
    fields, key = {}, None
    for line in r.stdout.splitlines():
        if line[:1] in (" ", "\t") and key:
            fields[key] += "\n" + line
        elif ":" in line:
            key, value = line.split(":", 1)
            fields[key] = value.strip()
    return fields


def relation_names(field):
    """The package names a relation field names: "a (>= 1) | b, c:any" gives
    {a, b, c} (any alternative counts as provided)."""
    names = set()
    for alternative in re.split(r"[,|]", field or ""):
        m = re.match(r"\s*([a-z0-9][a-z0-9+.-]*)", alternative)
        if m:
            names.add(m.group(1))
    return names


def unpack(deb, root):
    """Extracts deb's files under root (dpkg-deb -x); raises on failure."""
    r = _run(["dpkg-deb", "-x", deb, root])
    if r.returncode != 0:
        raise RuntimeError(f"dpkg-deb -x {deb}: {r.stderr}")


def installed(package):
    """Whether package is installed on this machine (so Debian has it)."""
    r = _run(["dpkg-query", "-W", "-f=${Status}", package])
    return r.returncode == 0 and "install ok installed" in r.stdout


def library_packages(binary):
    """[(library, package or None)]: each shared library binary needs
    directly (its NEEDED entries), with the package that installs it here."""
    needed = re.findall(r"\(NEEDED\)\s+Shared library: \[(.+?)\]", _run(["readelf", "-d", binary]).stdout)
    resolved = dict(re.findall(r"^\s*(\S+) => (\S+)", _run(["ldd", binary]).stdout, re.M))
    result = []
    for lib in needed:
        path = resolved.get(lib, lib)
        # Merged /usr: the loader's path and dpkg's may differ by /usr.
        owner = _run(["dpkg", "-S", os.path.realpath(path)])
        if owner.returncode != 0:
            owner = _run(["dpkg", "-S", path])
        result.append((lib, owner.stdout.split(":")[0] if owner.returncode == 0 else None))
    return result


def uncovered_libraries(binaries, packages):
    """One line per shared library of binaries whose package is not among
    packages (names); none when every library is covered."""
    problems = []
    for binary in binaries:
        for lib, package in library_packages(binary):
            if package not in packages:
                problems.append(f"{os.path.basename(binary)} loads {lib} (package {package}), which is not "
                                f"among {', '.join(sorted(packages))}")
    return problems

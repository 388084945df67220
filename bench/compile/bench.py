"""bench/compile: `meshc build --target cpp` against `protoc --cpp_out` on the
same records, and meshc's scaling from 10,000 to 100,000 records.

Run through bench/compile/run.sh (its header lists the knobs); README.md in
this directory says what is measured and how.
"""
import argparse
import datetime
import hashlib
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
GEN = os.path.join(REPO, "bench", "check", "gen_workspace.py")


def die(msg, code=2):
    print("run.sh: " + msg, file=sys.stderr)
    sys.exit(code)


def env_int(name, default):
    v = os.environ.get(name, str(default))
    if not v.isdigit():
        die("%s must be a non-negative integer (got '%s')" % (name, v))
    return int(v)


def shape(records):
    """The bench/check shape scaled: 10 records a file, a product per 5 records."""
    return {"files": max(4, records // 10), "records": records, "products": records // 5}


def workspace(work, kind, records, seed):
    """Generates (or reuses) the workspace of that size: kind mesh, proto (one
    .proto per package) or proto-files (one .proto per .mesh file)."""
    s = shape(records)
    args = ["--files", str(s["files"]), "--records", str(records), "--products", str(s["products"]),
            "--seed", str(seed)]
    if kind == "proto":
        args.append("--proto")
    if kind == "proto-files":
        args += ["--proto", "--proto-layout", "file"]
    with open(GEN, "rb") as fh:
        gen_hash = hashlib.sha256(fh.read()).hexdigest()[:16]
    stamp = " ".join(args) + " gen=" + gen_hash
    d = os.path.join(work, "%s-%d" % (kind, records))
    try:
        with open(d + ".stamp") as fh:
            if fh.read() == stamp and os.path.isdir(d):
                return d
    except OSError:
        pass
    shutil.rmtree(d, ignore_errors=True)
    subprocess.run([sys.executable, GEN, *args, "--out", d], check=True, stdout=subprocess.DEVNULL)
    with open(d + ".stamp", "w") as fh:
        fh.write(stamp)
    return d


def files_under(d, ext):
    out = []
    for root, _, files in os.walk(d):
        out += [os.path.join(root, f) for f in files if f.endswith(ext)]
    return sorted(out)


def tree_size(d):
    n = b = 0
    for root, _, files in os.walk(d):
        for f in files:
            n += 1
            b += os.path.getsize(os.path.join(root, f))
    return n, b


def run(cmd, nice, env=None, cwd=None):
    """Runs cmd; returns (wall s, cpu s, peak RSS bytes, stderr). The child's
    own rusage comes from wait4, so each figure is that run's alone."""
    if nice:
        cmd = ["nice", "-n", str(nice)] + cmd  # nice execs the command: same pid
    t0 = time.perf_counter()
    p = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env, cwd=cwd)
    err = p.stderr.read()
    _, status, ru = os.wait4(p.pid, 0)
    wall = time.perf_counter() - t0
    p.returncode = os.waitstatus_to_exitcode(status)
    if p.returncode != 0:
        die("%s failed with exit code %d:\n%s" % (" ".join(cmd[:4]) + " ...", p.returncode,
                                                  err.decode(errors="replace")[-2000:]), 1)
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024, err.decode(errors="replace")


def measure(label, cmd, out_dir, runs, nice, fresh=True, env=None, cwd=None):
    """Median wall and CPU time and the largest peak RSS over `runs` runs,
    each into an emptied out_dir (unless fresh is False: a rebuild)."""
    walls, cpus, rss = [], [], []
    last_err = ""
    for _ in range(runs):
        if fresh:
            shutil.rmtree(out_dir, ignore_errors=True)
            os.makedirs(out_dir)
        w, c, m, last_err = run(cmd, nice, env, cwd)
        walls.append(w)
        cpus.append(c)
        rss.append(m)
    files, size = tree_size(out_dir)
    row = {"label": label, "wall": statistics.median(walls), "min": min(walls), "cpu": statistics.median(cpus),
           "rss": max(rss), "files": files, "bytes": size, "runs": runs, "stderr": last_err}
    print("  %-60s %8.2f s  %8.2f s cpu  %7.0f MB" % (label, row["wall"], row["cpu"], row["rss"] / 1e6),
          file=sys.stderr, flush=True)
    return row


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("meshc")
    args = ap.parse_args()
    meshc = args.meshc
    protoc = os.environ.get("PROTOC", "protoc")
    sizes = [int(x) for x in os.environ.get("BENCH_SIZES", "10000 100000").split()]
    if not sizes or any(s < 10 for s in sizes):
        die("BENCH_SIZES must list record counts of at least 10")
    runs = env_int("BENCH_RUNS", 3)
    runs_large = env_int("BENCH_RUNS_LARGE", 1)
    nice = env_int("BENCH_NICE", 0)
    seed = env_int("BENCH_SEED", 1)
    protoc_large = os.environ.get("BENCH_PROTOC_LARGE", "1") == "1"
    proto_split = os.environ.get("BENCH_PROTO_FILES", "1") == "1"
    jobs = [int(x) for x in os.environ.get("BENCH_JOBS", "1 2").split()]
    work = os.environ.get("BENCH_WORK") or os.path.join(HERE, ".cache")
    if runs < 1 or runs_large < 1:
        die("BENCH_RUNS and BENCH_RUNS_LARGE must be at least 1")
    if not shutil.which(protoc):
        die("%s not found (apt-get install protobuf-compiler, or tools/setup.sh)" % protoc)
    os.makedirs(work, exist_ok=True)
    env = dict(os.environ, MESH_TODAY=os.environ.get("MESH_TODAY", "2026-11-26"))
    protoc_version = subprocess.run([protoc, "--version"], capture_output=True, text=True).stdout.strip()
    meshc_version = subprocess.run([meshc, "--version"], capture_output=True, text=True).stdout.strip().splitlines()
    first = min(sizes)

    rows = []
    for size in sizes:
        n = runs if size <= 10000 else runs_large
        print("%d records (%d runs each):" % (size, n), file=sys.stderr, flush=True)
        mesh = workspace(work, "mesh", size, seed)
        proto = workspace(work, "proto", size, seed)
        in_mesh = sum(os.path.getsize(f) for f in files_under(mesh, ".mesh"))
        proto_files = files_under(proto, ".proto")
        in_proto = sum(os.path.getsize(f) for f in proto_files)
        out = os.path.join(work, "out")
        group = []
        if size == first or protoc_large:
            r = measure("`protoc --cpp_out`", [protoc, "-I", proto, "--cpp_out=" + out] + proto_files, out, n, nice)
            r["input"] = (len(proto_files), in_proto)
            group.append(r)
        if size == first and proto_split:
            # The same declarations split over files as the .mesh files are.
            pf = workspace(work, "proto-files", size, seed)
            pf_files = files_under(pf, ".proto")
            r = measure("`protoc --cpp_out`, one .proto per .mesh file", [protoc, "-I", pf, "--cpp_out=" + out] +
                        pf_files, out, n, nice)
            r["input"] = (len(pf_files), sum(os.path.getsize(f) for f in pf_files))
            group.append(r)
        for j in jobs:
            r = measure("`meshc build --target cpp -j %d`" % j,
                        [meshc, "build", "--target", "cpp", "-j", str(j), "--stats", "--no-cache", mesh, "-o", out], out, n, nice,
                        env=env)
            r["input"] = (len(files_under(mesh, ".mesh")), in_mesh)
            group.append(r)
        # The no-op rebuild: the tree the last run wrote, built again.
        r = measure("`meshc build --target cpp -j %d`, nothing changed" % jobs[-1],
                    [meshc, "build", "--target", "cpp", "-j", str(jobs[-1]), "--stats", "--no-cache", mesh, "-o", out], out, n,
                    nice, fresh=False, env=env)
        r["input"] = group[-1]["input"]
        if "; 0 written," not in r["stderr"]:
            die("the no-op rebuild wrote files: " + r["stderr"].strip().splitlines()[-1], 1)
        r["files"], r["bytes"] = 0, 0  # nothing written
        group.append(r)
        r = measure("`meshc build -j %d` (cpp, manifest, jsonschema)" % jobs[-1],
                    [meshc, "build", "-j", str(jobs[-1]), "--no-cache", mesh, "-o", out], out, n, nice, env=env)
        r["input"] = group[-2]["input"]
        group.append(r)
        shutil.rmtree(out, ignore_errors=True)
        rows.append((size, group))

    # ------------------------------------------------------------ report
    today = datetime.date.today().isoformat()
    print("## meshc build vs protoc --cpp_out (%s)\n" % today)
    print("- machine: %d cores, %s %s; commands run under `nice -n %d`%s" %
          (os.cpu_count(), platform.system(), platform.machine(), nice,
           " (a machine shared with other work)" if nice else ""))
    print("- meshc: %s (%s); protoc: %s" % (meshc, " ".join(meshc_version[:1]), protoc_version))
    print("- workspaces: bench/check/gen_workspace.py, seed %d, 10 records a .mesh file, a product per 5 records; "
          "the same records as proto3 (same names, fields, types, enums, packages), one .proto per package, "
          "and at %s records also one .proto per .mesh file" % (seed, "{:,}".format(first)))
    print("- time: median wall of %d runs (%d at more than 10,000 records), each into an empty directory; "
          "CPU = user + system; peak RSS from wait4; MB = 10^6 bytes\n" % (runs, runs_large))
    print("| records | command | input files | input MB | wall (s) | CPU (s) | peak RSS (MB) | output files | output MB |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|")
    for size, group in rows:
        for r in group:
            print("| %s | %s | %d | %.1f | %.2f | %.2f | %.0f | %s | %s |" % (
                "{:,}".format(size), r["label"], r["input"][0], r["input"][1] / 1e6, r["wall"], r["cpu"],
                r["rss"] / 1e6, r["files"] if r["files"] else "0 written", "%.0f" % (r["bytes"] / 1e6) if r["bytes"] else "-"))
    print()
    by = {(size, r["label"]): r for size, group in rows for r in group}
    p = by.get((first, "`protoc --cpp_out`"))
    pf = by.get((first, "`protoc --cpp_out`, one .proto per .mesh file"))
    fastest = min([x for x in (p, pf) if x], key=lambda x: x["wall"], default=None)
    m = by.get((first, "`meshc build --target cpp -j %d`" % jobs[0]))
    m2 = by.get((first, "`meshc build --target cpp -j %d`" % jobs[-1]))
    if fastest and m:
        ok = m["wall"] <= fastest["wall"]
        print("goal at %s records: `meshc build --target cpp` no slower than `protoc --cpp_out` (its faster "
              "layout): %s (meshc -j %d %.2f s wall, %.2f s CPU; protoc %.2f s wall, %.2f s CPU: %.1fx the wall "
              "time; peak RSS %.0f MB vs %.0f MB)" % (
                  "{:,}".format(first), "met" if ok else "NOT met", jobs[0], m["wall"], m["cpu"], fastest["wall"],
                  fastest["cpu"], fastest["wall"] / m["wall"], m["rss"] / 1e6, fastest["rss"] / 1e6))
    if len(sizes) > 1:
        big = max(sizes)
        k = big / first
        for j in jobs:
            a = by[(first, "`meshc build --target cpp -j %d`" % j)]
            b = by[(big, "`meshc build --target cpp -j %d`" % j)]
            print("scaling, -j %d, %s -> %s records (x%g): wall x%.1f, CPU x%.1f, peak RSS x%.1f, output x%.1f" % (
                j, "{:,}".format(first), "{:,}".format(big), k, b["wall"] / a["wall"], b["cpu"] / a["cpu"],
                b["rss"] / a["rss"], b["bytes"] / a["bytes"]))
        pb = by.get((big, "`protoc --cpp_out`"))
        if p and pb:
            print("protoc, %s -> %s records: wall x%.1f, CPU x%.1f, peak RSS x%.1f" % (
                "{:,}".format(first), "{:,}".format(big), pb["wall"] / p["wall"], pb["cpu"] / p["cpu"],
                pb["rss"] / p["rss"]))
    if m and m2 and m is not m2:
        print("speed-up of -j %d over -j %d at %s records: %.2f (wall -j %d / wall -j %d)" % (
            jobs[-1], jobs[0], "{:,}".format(first), m["wall"] / m2["wall"], jobs[0], jobs[-1]))


if __name__ == "__main__":
    main()

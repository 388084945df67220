#!/usr/bin/python3
"""Quality rules and SLA freshness on the stream. One contract, six products;
each product's stream breaks exactly one rule (a repeated id, too many nulls,
too little volume, too many invalid events, events an hour old), and one
stream breaks none. A generated mesh-gate per product: each broken rule shows
in its metrics (mesh_quality_breached / mesh_sla_breached, the breach
counters, the rule's value) and as one log line; the clean stream shows none.

usage: quality_test.py MESHC MESH_DEVKAFKA
"""
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

from confluent_kafka import Producer

import devkafka
import generated


CONTRACT = """
package qa.stream;

domain qa { owner "qa-team"; }

record Event {
  id:   string;
  note: string?;
  n:    int32 where value >= 0;
}

product clean {
  domain qa; version "1.0.0"; schema Event;
  topic "qa.clean" { key id; }
  sla { freshness 1m; }
  quality {
    unique(id) within 1h;
    null_rate(note) <= 50%;
    volume <= 10000 per 1m;
    valid_rate >= 90%;
  }
}
product dupes {
  domain qa; version "1.0.0"; schema Event;
  topic "qa.dupes" { key id; }
  quality { unique(id) within 1h; }
}
product nulls {
  domain qa; version "1.0.0"; schema Event;
  topic "qa.nulls" { key id; }
  quality { null_rate(note) <= 10%; }
}
product thin {
  domain qa; version "1.0.0"; schema Event;
  topic "qa.thin" { key id; }
  quality { volume >= 1000 per 3s; }
}
product broken {
  domain qa; version "1.0.0"; schema Event;
  topic "qa.broken" { key id; }
  quality { valid_rate >= 90%; }
}
product stale {
  domain qa; version "1.0.0"; schema Event;
  topic "qa.stale" { key id; }
  sla { freshness 1m; }
}
"""

# What each product's stream breaks: (metric, labels, log text), or None.
BROKEN = {
    "clean": None,
    "dupes": ("mesh_quality_breached", 'rule="unique(id) within 1h"', "'unique(id) within 1h' is broken"),
    "nulls": ("mesh_quality_breached", 'rule="null_rate(note) <= 10%"', "'null_rate(note) <= 10%' is broken"),
    "thin": ("mesh_quality_breached", 'rule="volume >= 1000 per 3s"', "'volume >= 1000 per 3s' is broken"),
    "broken": ("mesh_quality_breached", 'rule="valid_rate >= 90%"', "'valid_rate >= 90%' is broken"),
    "stale": ("mesh_sla_breached", 'sla="freshness"', "freshness is broken"),
}
EVENTS = 200


def event(i, note="x", n=1):
    return json.dumps({"id": f"E-{i}", "note": note, "n": n}, separators=(",", ":"))


def stream(name):
    """The events of a product's stream: (key, value, timestamp ms or None)."""
    now = int(time.time() * 1000)
    if name == "clean":  # unique ids, a quarter without a note, all valid, fresh
        return [(f"E-{i}", event(i, None if i % 4 == 0 else "x"), None) for i in range(EVENTS)]
    if name == "dupes":  # one id sent twice
        return [(f"E-{i}", event(i), None) for i in range(EVENTS - 1)] + [("E-7", event(7), None)]
    if name == "nulls":  # half without a note
        return [(f"E-{i}", event(i, None if i % 2 else "x"), None) for i in range(EVENTS)]
    if name == "thin":  # far below the volume
        return [(f"E-{i}", event(i), None) for i in range(50)]
    if name == "broken":  # a third break the contract
        return [(f"E-{i}", event(i, n=-1 if i % 3 == 0 else 1), None) for i in range(EVENTS)]
    if name == "stale":  # everything an hour old
        return [(f"E-{i}", event(i), now - 3600 * 1000) for i in range(EVENTS)]
    raise ValueError(name)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def scrape(port):
    return urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()


def metric(text, name, product, extra=""):
    """The value of one series, or None when the gate does not export it."""
    for line in text.splitlines():
        if line.startswith(name + "{") and f'product="{product}"' in line and extra in line:
            return float(line.rsplit(" ", 1)[1])
    return None


def main():
    meshc, devkafka_bin = (os.path.abspath(a) for a in sys.argv[1:3])
    work = pathlib.Path(tempfile.mkdtemp(prefix="mesh-quality-"))
    (work / "contracts").mkdir()
    (work / "contracts" / "stream.mesh").write_text(CONTRACT)
    build = generated.build(meshc, work, contracts=work / "contracts")

    run = os.urandom(3).hex()
    topics = {(p, kind): f"qa.{p}.{kind}.{run}" for p in BROKEN for kind in ("in", "out", "dlq")}
    bootstrap, broker = devkafka.start(devkafka_bin, work, [f"{t}:3" for t in topics.values()])
    gates = {}
    try:
        producer = Producer({"bootstrap.servers": bootstrap})
        for p in BROKEN:
            for key, value, timestamp in stream(p):
                extra = {"timestamp": timestamp} if timestamp else {}
                producer.produce(topics[(p, "in")], value=value, key=key, **extra)
        assert producer.flush(60) == 0, "events not delivered"
        del producer  # closed before the broker stops (no disconnect chatter)
        start = time.time()
        for p in BROKEN:
            port = free_port()
            log = open(work / f"{p}.log", "w")
            args = [str(build / "mesh-gate"), "--product", f"qa.stream.{p}", "--bootstrap", bootstrap,
                    "--input", topics[(p, "in")], "--output", topics[(p, "out")], "--dlq", topics[(p, "dlq")],
                    "--group", f"quality-{p}-{run}", "--metrics-port", str(port),
                    "--min-sample", "50", "--rate-window", "600"]
            gates[p] = (subprocess.Popen(args, stderr=log), port, log)

        # Every gate reads its whole stream, and the volume window (3 s) passes.
        metrics = {}
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                metrics = {p: scrape(port) for p, (_, port, _) in gates.items()}
            except OSError:
                time.sleep(0.5)
                continue
            read_all = all(metric(metrics[p], "mesh_messages_in_total", f"qa.stream.{p}") == len(stream(p))
                           for p in BROKEN)
            if read_all and time.time() - start > 5:
                break
            time.sleep(0.5)
        time.sleep(2)  # one more evaluation after the last message (they run every second)
        metrics = {p: scrape(port) for p, (_, port, _) in gates.items()}
        for p, (process, _, log) in gates.items():
            process.send_signal(signal.SIGTERM)
            assert process.wait(timeout=30) == 0, f"{p}: gate exit {process.returncode}"
            log.close()
        logs = {p: (work / f"{p}.log").read_text() for p in BROKEN}

        for p, expected in BROKEN.items():
            product, text = f"qa.stream.{p}", metrics[p]
            assert metric(text, "mesh_messages_in_total", product) == len(stream(p)), f"{p}: not all read\n{text}"
            breached = [line for line in text.splitlines()
                        if line.startswith(("mesh_quality_breached{", "mesh_sla_breached{")) and line.endswith(" 1")]
            broken_lines = [line for line in logs[p].splitlines() if "is broken" in line]
            if expected is None:
                assert not breached, f"{p}: the clean stream broke {breached}"
                assert not broken_lines, f"{p}: the clean stream logged {broken_lines}"
                # Every rule was judged and exported (values within their bounds).
                assert metric(text, "mesh_quality_value", product, 'rule="null_rate(note) <= 50%"') == 0.25, text
                assert metric(text, "mesh_quality_value", product, 'rule="valid_rate >= 90%"') == 1.0, text
                assert metric(text, "mesh_quality_value", product, 'rule="unique(id) within 1h"') == 0, text
                assert metric(text, "mesh_quality_value", product, 'rule="volume <= 10000 per 1m"') == EVENTS, text
                lag = metric(text, "mesh_freshness_lag_seconds", product)
                assert lag is not None and 0 <= lag < 60, f"{p}: freshness lag {lag}"
                print(f"{p}: no rule broken, freshness lag {lag:.1f} s")
                continue
            name, labels, log_text = expected
            assert metric(text, name, product, labels) == 1, f"{p}: {name}{{{labels}}} not 1\n{text}"
            counter = "mesh_sla_breaches_total" if name == "mesh_sla_breached" else "mesh_quality_breaches_total"
            assert metric(text, counter, product, labels) == 1, f"{p}: {counter} not 1\n{text}"
            assert len(breached) == 1, f"{p}: more than its own rule broke: {breached}"
            assert len(broken_lines) == 1 and log_text in broken_lines[0], f"{p}: log {logs[p]!r}"
            print(f"{p}: {broken_lines[0]}")
        assert metric(metrics["dupes"], "mesh_quality_value", "qa.stream.dupes", 'rule="unique(id) within 1h"') == 1
        assert metric(metrics["nulls"], "mesh_quality_value", "qa.stream.nulls", 'rule="null_rate(note) <= 10%"') == 0.5
        thin = metric(metrics["thin"], "mesh_quality_value", "qa.stream.thin", 'rule="volume >= 1000 per 3s"')
        assert 0 <= thin <= 50, thin  # what arrived in the last 3 s: by now, nothing
        broken_rate = metric(metrics["broken"], "mesh_quality_value", "qa.stream.broken", 'rule="valid_rate >= 90%"')
        assert abs(broken_rate - 133 / 200) < 1e-9, broken_rate
        stale_lag = metric(metrics["stale"], "mesh_freshness_lag_seconds", "qa.stream.stale")
        assert 3600 <= stale_lag < 3700, stale_lag
        print("quality: every broken rule reported once, in metrics and log; the clean stream broke none")
    finally:
        for process, _, _ in gates.values():
            if process.poll() is None:
                process.kill()
        devkafka.stop(broker)


if __name__ == "__main__":
    main()

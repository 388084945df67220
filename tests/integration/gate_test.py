#!/usr/bin/python3
"""The gate against real clients. First, kcat produces a mixed stream (valid orders,
orders that break the contract, lines that are not JSON) with a header; the
generated mesh-gate for sales.orders.orders_placed forwards and dead-letters
them; kcat reads both topics back (keys, headers and partitions kept, a
`mesh-violations` header on each dead letter) and the gate's Prometheus
metrics agree, read directly and through Debian's Prometheus server's API; SIGTERM stops it with exit 0.

Then what used to stop the gate for good (issue 15): a 2 MB key and 12 x 100 KB
headers (a message it can neither forward nor dead-letter whole: dead-lettered
cut, the gate goes on), a valid 1.5 MB value (dead-lettered without it), an
order whose violations alone exceed the limit (the list cut),
forged `mesh-*` headers (stripped), an output with
fewer partitions than the input and a missing output or dead-letter topic
(refused at start, in seconds, naming the topic).

usage: gate_test.py MESHC MESH_DEVKAFKA
"""
import hashlib
import hmac
import json
import os
import pathlib
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from confluent_kafka import Consumer, Producer, TopicPartition

import devkafka
import generated

ROOT = pathlib.Path(__file__).resolve().parents[2]
PRODUCT = "sales.orders.orders_placed"


def order(i, amount="12.30"):
    return json.dumps({"order_id": f"ORD-{i}", "customer_id": f"CUST-{i % 10}", "amount": amount, "currency": "USD",
                       "placed_at": "2026-11-20T10:00:00Z",
                       "items": [{"sku": "ABC-1234", "qty": 1, "unit_price": amount}], "attributes": {}},
                      separators=(",", ":"))


def read(bootstrap, topic, fmt):
    out = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", topic, "-e", "-q", "-f", fmt], capture_output=True,
                         text=True, timeout=60).stdout
    return [line for line in out.split("\n") if line]


def read_until(bootstrap, wanted, fmt, timeout=90):
    """Reads each topic of wanted ({topic: count}) until it holds at least
    its count or the time is up; returns {topic: lines}."""
    deadline = time.time() + timeout
    while True:
        got = {topic: read(bootstrap, topic, fmt) for topic in wanted}
        if all(len(got[t]) >= n for t, n in wanted.items()) or time.time() >= deadline:
            return got
        time.sleep(1)


def consume_all(bootstrap, topic, partitions, wanted, timeout=90):
    """Every message of topic (its partitions read from the start) once at
    least wanted are there, or what came by the timeout; then two quiet
    seconds more, so that one message too many shows."""
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": "reader-" + os.urandom(3).hex(),
                  "enable.auto.commit": False, "log_level": 3})
    c.assign([TopicPartition(topic, p, 0) for p in range(partitions)])
    got, deadline, quiet = [], time.time() + timeout, None
    try:
        while time.time() < deadline and (quiet is None or time.time() < quiet):
            m = c.poll(0.5)
            if m is not None and not m.error():
                got.append(m)
            if len(got) >= wanted and quiet is None:
                quiet = time.time() + 2
    finally:
        c.close()
    return got


# The gate's own headers (docs/gate.md): a message's copies of them are removed.
OWNED = ("mesh-violations", "mesh-source", "mesh-too-large")
FORGED = [(name, b"forged") for name in OWNED] + [("mesh-contract", b"kept"), ("trace", b"t1")]


def hard_messages(cases):
    """(key, value, headers, partition, where) of each case: where the gate must put it."""
    messages = []
    if "key" in cases:  # a 2 MB key: valid, but over the producer's message.max.bytes (1,000,000)
        messages.append(("K" * 2_000_000, order(900), None, 0, "dlq"))
    if "headers" in cases:  # 12 x 100 KB headers: the same, by adding up
        messages.append(("big-headers", order(901), [(f"h{i}", b"h" * 100_000) for i in range(12)], 1, "dlq"))
    if "value" in cases:  # a valid 1.5 MB value: fits the consumer's fetch, not the producer
        big = dict(json.loads(order(905)), attributes={"note": "x" * 1_500_000})
        messages.append(("big-value", json.dumps(big), [("trace", b"t2")], 1, "dlq"))
    if "violations" in cases:  # a 390 KB order whose 30,000 violations make 2.5 MB of mesh-violations
        bad = dict(json.loads(order(906)), items=[{"sku": "x", "qty": -1, "unit_price": "-1"}] * 10_000)
        messages.append(("many-violations", json.dumps(bad), None, 2, "dlq"))
    if "forged" in cases:  # forged gate headers on a valid and an invalid message
        messages.append(("forged-valid", order(902), FORGED, 2, "out"))
        messages.append(("forged-invalid", order(903, amount="-1"), FORGED, 2, "dlq"))
    messages.append(("after", order(904), None, 0, "out"))  # the gate must still be running to forward it
    return messages


def cannot_stop_the_gate(gate_bin, bootstrap, topics, run, cases=("key", "headers", "value", "violations", "forged")):
    """Issue 15 items 5 and 8: each message ends on the output or the DLQ
    (in = out + dlq), the gate still running; the oversized ones cut as
    mesh-violations says, forged gate headers stripped."""
    messages = hard_messages(cases)
    producer = Producer({"bootstrap.servers": bootstrap, "message.max.bytes": 10_000_000, "log_level": 3})
    for key, value, headers, partition, _ in messages:
        producer.produce(topics["h-in"], key=key, value=value, headers=headers, partition=partition)
    assert producer.flush(60) == 0, "the test's producer could not deliver"
    gate = subprocess.Popen([str(gate_bin), "--product", PRODUCT, "--bootstrap", bootstrap, "--input", topics["h-in"],
                             "--output", topics["h-out"], "--dlq", topics["h-dlq"], "--group", "hard-" + run],
                            stderr=subprocess.PIPE, text=True)
    try:
        want = {where: sum(1 for m in messages if m[4] == where) for where in ("out", "dlq")}
        out = consume_all(bootstrap, topics["h-out"], 3, want["out"])
        dlq = consume_all(bootstrap, topics["h-dlq"], 3, want["dlq"])
        running = gate.poll() is None
    finally:
        gate.send_signal(signal.SIGTERM)
        try:
            _, err = gate.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            gate.kill()
            _, err = gate.communicate()
    said = [line for line in err.splitlines() if line.startswith("mesh-gate:")][-3:]
    assert running, f"the gate stopped (exit {gate.returncode}): {said}"
    assert (len(out), len(dlq)) == (want["out"], want["dlq"]), \
        f"in {len(messages)}: out {len(out)}, dlq {len(dlq)} ({want} expected); the gate said {said}"
    where = {m[0][:1024]: m[4] for m in messages}
    for topic, got in (("out", out), ("dlq", dlq)):
        for m in got:
            key = m.key().decode()
            assert where.get(key) == topic, f"{key[:40]} on {topic}"
            names = [name for name, _ in m.headers() or []]
            cut = key in ("K" * 1024, "big-headers", "big-value", "many-violations")  # without their value
            counts = {h: names.count(h) for h in OWNED}
            assert counts == {"mesh-violations": int(topic == "dlq" and key != "big-value"), "mesh-too-large": int(cut),
                              "mesh-source": int(cut)}, (key[:40], names)
            headers = dict(m.headers() or [])
            if key.startswith("forged"):
                assert headers.get("mesh-contract") == b"kept" and headers.get("trace") == b"t1", headers
                assert b"forged" not in b"".join(v for v in headers.values() if v), headers
            if key == "K" * 1024:
                assert m.value() is None and b"key of 2000000 bytes cut to its first 1024" in headers["mesh-violations"]
            if key == "big-headers":
                assert m.value() is None and not any(n.startswith("h") for n in names), names
                assert b"12 headers dropped" in headers["mesh-violations"], headers["mesh-violations"]
            if key == "big-value":
                assert m.value() is None and headers.get("trace") == b"t2", headers
                assert int(headers["mesh-too-large"]) > 1_500_000, headers
            if key == "many-violations":
                listed = json.loads(headers["mesh-violations"])
                assert m.value() is None and len(headers["mesh-violations"]) <= 500_200, len(headers["mesh-violations"])
                assert listed[-1]["rule"] == "cut" and listed[-1]["message"].endswith(" more violations not listed"), \
                    listed[-1]
                assert len(listed) > 100 and listed[0]["path"].startswith("$.items["), listed[0]
            if key == "forged-invalid":
                assert json.loads(headers["mesh-violations"])[0]["rule"] == "where", headers
    print(f"hard messages ok: in {len(messages)} = out {len(out)} + dlq {len(dlq)}, the gate still running")


def refused_at_start(gate_bin, bootstrap, topics, run, output, dlq, wanted):
    """Issue 15 items 6 and 7: the gate refuses at once, saying why."""
    began = time.time()
    try:
        result = subprocess.run([str(gate_bin), "--product", PRODUCT, "--bootstrap", bootstrap, "--input",
                                 topics["h-in"], "--output", output, "--dlq", dlq, "--group", "refused-" + run],
                                capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"--output {output} --dlq {dlq}: the gate still ran after 60 s (refusal expected)")
    seconds = time.time() - began
    assert result.returncode != 0 and wanted in result.stderr, (result.returncode, result.stderr[-2000:])
    assert seconds < 30, f"refused after {seconds:.0f} s"
    print(f"refused in {seconds:.1f} s: {result.stderr.strip().splitlines()[-1]}")


def narrow_dlq(gate_bin, bootstrap, topics, run):
    """A dead-letter topic with fewer partitions than the input (one is
    common) is accepted: a dead letter goes to partition input % its count,
    valid messages keep theirs."""
    producer = Producer({"bootstrap.servers": bootstrap, "log_level": 3})
    for p in range(3):
        producer.produce(topics["h-in2"], key=f"ok-{p}", value=order(910 + p), partition=p)
        producer.produce(topics["h-in2"], key=f"bad-{p}", value=order(920 + p, amount="-1"), partition=p)
    assert producer.flush(60) == 0, "the test's producer could not deliver"
    gate = subprocess.Popen([str(gate_bin), "--product", PRODUCT, "--bootstrap", bootstrap, "--input", topics["h-in2"],
                             "--output", topics["h-out2"], "--dlq", topics["h-dlq1"], "--group", "narrow-" + run],
                            stderr=subprocess.PIPE, text=True)
    try:
        out = consume_all(bootstrap, topics["h-out2"], 3, 3)
        dlq = consume_all(bootstrap, topics["h-dlq1"], 1, 3)
        running = gate.poll() is None
    finally:
        gate.send_signal(signal.SIGTERM)
        _, err = gate.communicate(timeout=30)
    assert running, f"the gate stopped (exit {gate.returncode}): {err[-2000:]}"
    assert sorted((m.key().decode(), m.partition()) for m in out) == [(f"ok-{p}", p) for p in range(3)], \
        [(m.key(), m.partition()) for m in out]
    assert sorted((m.key().decode(), m.partition()) for m in dlq) == [(f"bad-{p}", 0) for p in range(3)], \
        [(m.key(), m.partition()) for m in dlq]
    print("one-partition dead-letter topic ok: in 6 = out 3 (partitions kept) + dlq 3 (partition 0)")


def hardening(gate_bin, bootstrap, topics, run):
    cannot_stop_the_gate(gate_bin, bootstrap, topics, run)
    narrow_dlq(gate_bin, bootstrap, topics, run)
    refused_at_start(gate_bin, bootstrap, topics, run, topics["h-narrow"], topics["h-spare"],
                     f"the output topic '{topics['h-narrow']}' has 2 partitions, fewer than the input topic")
    refused_at_start(gate_bin, bootstrap, topics, run, topics["h-missing"], topics["h-spare"],
                     f"the output topic '{topics['h-missing']}' does not exist")
    refused_at_start(gate_bin, bootstrap, topics, run, topics["h-spare"], topics["h-missing"],
                     f"the dead-letter topic '{topics['h-missing']}' does not exist")


# The topics of hardening() with their partitions (h-missing is never created).
HARD_TOPICS = {"h-in": 3, "h-out": 3, "h-dlq": 3, "h-narrow": 2, "h-spare": 3, "h-in2": 3, "h-out2": 3, "h-dlq1": 1}


def main():
    meshc, devkafka_bin = (os.path.abspath(a) for a in sys.argv[1:3])
    work = pathlib.Path(tempfile.mkdtemp(prefix="mesh-gate-"))
    build = generated.build(meshc, work)

    run = os.urandom(3).hex()
    topics = {name: f"orders.{name}.{run}" for name in ("in", "out", "dlq", "masked", "masked-dlq", "article-out", "article-dlq")}
    topics.update({name: f"orders.{name}.{run}" for name in list(HARD_TOPICS) + ["h-missing"]})
    gate = None
    plain = [t for name, t in topics.items() if not name.startswith("h-")] + ["orders_topic"]
    # On a real cluster the input of hardening() takes messages of up to 10 MB.
    bootstrap, broker = devkafka.start(devkafka_bin, work, [f"{t}:3" for t in plain] +
                                       [f"{topics[t]}:{n}" for t, n in HARD_TOPICS.items()],
                                       configs={topics["h-in"]: {"max.message.bytes": "10485760"}})
    try:
        valid = [f"ORD-{i}:{order(i)}" for i in range(1, 51)]
        broken = [f"ORD-{i}:{order(i, amount='-1')}" for i in range(51, 56)]
        garbage = [f"JUNK-{i}:this is not json {i}" for i in range(3)] + ["JUNK-3:{\"order_id\":"]
        lines = valid[:20] + broken + valid[20:40] + garbage + valid[40:]
        subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", topics["in"], "-K:", "-H", "trace=abc123"],
                       input="\n".join(lines) + "\n", text=True, check=True, timeout=60)

        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        gate = subprocess.Popen([str(build / "mesh-gate"), "--product", PRODUCT, "--bootstrap", bootstrap,
                                 "--input", topics["in"], "--output", topics["out"], "--dlq", topics["dlq"],
                                 "--group", "gate-" + run, "--metrics-port", str(port)])
        got = read_until(bootstrap, {topics["out"]: 50, topics["dlq"]: 9}, "%k\t%p\t%h\n")
        out, dlq = got[topics["out"]], got[topics["dlq"]]
        assert len(out) == 50 and len(dlq) == 9, f"out {len(out)} (50 expected), dlq {len(dlq)} (9 expected)"

        partition_in = {line.split("\t")[0]: line.split("\t")[1] for line in read(bootstrap, topics["in"], "%k\t%p\n")}
        for line in out:
            key, partition, headers = line.split("\t")
            assert key.startswith("ORD-") and int(key[4:]) <= 50, key
            assert partition == partition_in[key], f"{key}: partition {partition}, input {partition_in[key]}"
            assert "trace=abc123" in headers and "mesh-violations" not in headers, headers
        for line in dlq:
            key, partition, headers = line.split("\t")
            assert partition == partition_in[key], key
            assert "trace=abc123" in headers and "mesh-violations=[" in headers, headers
        assert sorted(l.split("\t")[0] for l in dlq) == sorted([f"ORD-{i}" for i in range(51, 56)] +
                                                                  [f"JUNK-{i}" for i in range(4)])

        metrics = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=10).read().decode()
        def value(name, extra=""):
            total = 0.0
            for line in metrics.splitlines():
                if line.startswith(name + "{") and f'product="{PRODUCT}"' in line and extra in line:
                    total += float(line.rsplit(" ", 1)[1])
            return total
        assert value("mesh_messages_in_total") == 59, metrics
        assert value("mesh_messages_valid_total") == 50, metrics
        assert value("mesh_messages_invalid_total") == 9, metrics
        assert value("mesh_messages_invalid_total", 'rule="parse"') == 4, metrics
        assert value("mesh_messages_invalid_total", 'rule="where"') == 5, metrics
        assert value("mesh_produced_total") == 59, metrics

        # Debian's Prometheus server scrapes the gate; its HTTP API must
        # report the gate's own counts.
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            prom_port = s.getsockname()[1]
        (work / "prometheus.yml").write_text(
            "global:\n  scrape_interval: 1s\nscrape_configs:\n  - job_name: mesh-gate\n"
            f"    static_configs:\n      - targets: ['127.0.0.1:{port}']\n")
        prometheus = subprocess.Popen(["prometheus", f"--config.file={work / 'prometheus.yml'}",
                                       f"--storage.tsdb.path={work / 'tsdb'}",
                                       f"--web.listen-address=127.0.0.1:{prom_port}"],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            def query(expr):
                url = f"http://127.0.0.1:{prom_port}/api/v1/query?" + urllib.parse.urlencode({"query": expr})
                data = json.loads(urllib.request.urlopen(url, timeout=5).read())
                return sum(float(r["value"][1]) for r in data["data"]["result"])
            want = {"mesh_messages_in_total": 59, "mesh_messages_valid_total": 50,
                    "mesh_messages_invalid_total": 9, "mesh_produced_total": 59}
            got = {}
            deadline = time.time() + 60
            while time.time() < deadline:
                try:
                    got = {name: query(f'{name}{{product="{PRODUCT}"}}') for name in want}
                except OSError:
                    got = {}
                if got == want:
                    break
                time.sleep(1)
            assert got == want, f"prometheus read back {got}, the gate counted {want}"
        finally:
            prometheus.terminate()
            prometheus.wait(timeout=30)
        print("prometheus ok: the server's API reports the gate's counts")

        gate.send_signal(signal.SIGTERM)
        code = gate.wait(timeout=30)
        gate = None
        assert code == 0, f"mesh-gate exited {code} on SIGTERM"
        print(f"gate ok: 50 forwarded, 9 dead-lettered, keys, headers and partitions kept, metrics agree")

        # --mask-for: a second gate on the same stream forwards the copy the
        # analytics role may see (customer_id hashed with HMAC-SHA-256 under
        # MESH_MASK_KEY); dead letters stay the original events.
        refused = subprocess.run([str(build / "mesh-gate"), "--product", PRODUCT, "--bootstrap", bootstrap, "--input",
                                  topics["in"], "--output", topics["masked"], "--dlq", topics["masked-dlq"], "--group",
                                  "mask-" + run, "--mask-for", "analytcs"], capture_output=True, text=True, timeout=30)
        assert refused.returncode == 2 and "no mask rules for role 'analytcs'" in refused.stderr, refused.stderr
        assert "analytics, finance, inventory_service" in refused.stderr, refused.stderr
        empty = subprocess.run([str(build / "mesh-gate"), "--product", PRODUCT, "--bootstrap", bootstrap, "--input",
                                topics["in"], "--output", topics["masked"], "--dlq", topics["masked-dlq"], "--group",
                                "mask-" + run, "--mask-for", ""], capture_output=True, text=True, timeout=30)
        assert empty.returncode == 2 and "no mask rules for role ''" in empty.stderr, empty.stderr
        unknown = subprocess.run([str(build / "mesh-gate"), "--product", PRODUCT, "--bootstrap", bootstrap, "--input",
                                  topics["in"], "--output", topics["masked"], "--dlq", topics["masked-dlq"], "--group",
                                  "mask-" + run, "-X", "sesion.timeout.ms=6000"], capture_output=True, text=True,
                                 timeout=30)
        assert unknown.returncode == 2 and 'No such configuration property: "sesion.timeout.ms"' in unknown.stderr, \
            unknown.stderr
        key = "gate-test-key"
        gate = subprocess.Popen([str(build / "mesh-gate"), "--product", PRODUCT, "--bootstrap", bootstrap, "--input",
                                 topics["in"], "--output", topics["masked"], "--dlq", topics["masked-dlq"], "--group",
                                 "mask-" + run, "--mask-for", "analytics", "-X", "client.id=mesh-gate-masked",
                                 "-X", "session.timeout.ms=6000"], env={**os.environ, "MESH_MASK_KEY": key})
        got = read_until(bootstrap, {topics["masked"]: 50, topics["masked-dlq"]: 9}, "%k\t%s\n")
        masked, dead = got[topics["masked"]], got[topics["masked-dlq"]]
        assert len(masked) == 50 and len(dead) == 9, f"{len(masked)} masked, {len(dead)} dead letters"
        originals = {line.split(":", 1)[0]: json.loads(line.split(":", 1)[1]) for line in valid}
        for line in masked:
            k, value = line.split("\t", 1)
            got, want = json.loads(value), dict(originals[k])
            want.setdefault("status", "PLACED")  # the copy is re-serialized: defaults are written out
            want["customer_id"] = hmac.new(key.encode(), want["customer_id"].encode(), hashlib.sha256).hexdigest()
            assert got == want, (k, got, want)
        for line in dead:
            k, value = line.split("\t", 1)
            assert "CUST-" in value or k.startswith("JUNK"), (k, value)
        gate.send_signal(signal.SIGTERM)
        assert gate.wait(timeout=30) == 0
        gate = None
        print("mask ok: 50 forwarded with customer_id as HMAC-SHA-256 for analytics, a misspelt role refused")

        # The seed article's producer, unchanged but for its bootstrap address.
        gate = subprocess.Popen([str(build / "mesh-gate"), "--product", "sales.orders.orders_topic", "--bootstrap",
                                 bootstrap, "--input", "orders_topic", "--output", topics["article-out"],
                                 "--dlq", topics["article-dlq"], "--group", "article-" + run])
        script = (ROOT / "tests" / "integration" / "seed_example.py").read_text()
        script = script.replace("'bootstrap.servers': 'localhost:9092'", f"'bootstrap.servers': '{bootstrap}'")
        (work / "seed_example.py").write_text(script)
        article = subprocess.run(["/usr/bin/python3", str(work / "seed_example.py")], capture_output=True, text=True,
                                 timeout=120)
        assert article.returncode == 0, article.stderr[-2000:]
        assert "Finished publishing 100 order events." in article.stdout, article.stdout
        assert "Validation error" not in article.stdout and "Delivery failed" not in article.stdout, article.stdout
        passed = read_until(bootstrap, {topics["article-out"]: 100}, "%s\n")[topics["article-out"]]
        failed = read(bootstrap, topics["article-dlq"], "%s\t%h\n")
        assert len(passed) == 100 and not failed, f"{len(passed)} passed, dead letters: {failed[:3]}"
        gate.send_signal(signal.SIGTERM)
        assert gate.wait(timeout=30) == 0
        gate = None
        print("article ok: the seed article's 100 orders pass the gate holding orders_topic to its contract")

        hardening(build / "mesh-gate", bootstrap, topics, run)
    finally:
        if gate:
            gate.kill()
        devkafka.stop(broker)


if __name__ == "__main__":
    main()

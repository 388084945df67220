#!/usr/bin/python3
"""The generated producer and consumer against a real Kafka protocol peer:
builds examples/demo/publish_orders.cpp and read_orders.cpp, publishes the
seed article's 100 orders (three broken) to mesh-devkafka (or
MESH_KAFKA_BOOTSTRAP), and reads the topic back with kcat: 97 messages, keyed
by order id, with the mesh-contract, mesh-version and mesh-schema headers,
every value valid for `meshc validate`. Then kcat adds two events that break
the contract, and the generated typed consumer reads all 99 in a group: 97
valid (typed fields), 2 invalid with their violations; without a commit a
second run re-reads them, after a commit a third member of the group gets
nothing.

usage: producer_test.py MESHC MESH_DEVKAFKA
"""
import os
import pathlib
import re
import subprocess
import sys
import tempfile

import devkafka
import generated

ROOT = pathlib.Path(__file__).resolve().parents[2]
TOPIC = "sales.orders.placed.v1"


def main():
    meshc, devkafka_bin = (os.path.abspath(a) for a in sys.argv[1:3])
    work = pathlib.Path(tempfile.mkdtemp(prefix="mesh-producer-"))
    build = generated.build(meshc, work, targets=("publish_orders", "read_orders"),
                            programs=("publish_orders.cpp", "read_orders.cpp"))

    bootstrap, broker = devkafka.start(devkafka_bin, work, [f"{TOPIC}:12"])
    try:
        run = subprocess.run([str(build / "publish_orders"), bootstrap], capture_output=True, text=True,
                             timeout=120)
        assert run.returncode == 0, run.stderr
        assert run.stdout.strip() == "published 97 rejected 3 delivered 97", run.stdout

        out = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", TOPIC, "-e", "-q", "-f", "%k\t%h\t%s\n"],
                             capture_output=True, text=True, check=True, timeout=60).stdout
        rows = [line.split("\t") for line in out.splitlines() if line]
        assert len(rows) == 97, f"{len(rows)} messages on the topic, 97 expected"
        keys = sorted(int(k[4:]) for k, _, _ in rows)
        assert keys == [i for i in range(1, 101) if i not in (13, 42, 77)], "keys are the valid order ids"
        for key, headers, value in rows:
            assert f'"order_id":"{key}"' in value, (key, value)
            assert "mesh-contract=sales.orders.orders_placed" in headers, headers
            assert "mesh-version=3.1.0" in headers, headers
            assert re.search(r"mesh-schema=[0-9a-f]{64}", headers), headers
        values = work / "values.jsonl"
        values.write_text("".join(value + "\n" for _, _, value in rows))
        check = subprocess.run([meshc, "validate", "examples/contracts", "--product", "sales.orders.orders_placed",
                                str(values)], cwd=ROOT, capture_output=True, text=True)
        assert check.returncode == 0, check.stdout[:2000]
        print(f"producer ok: 97 published with key and headers, 3 refused before sending ({bootstrap})")

        # The typed consumer: the 97, and two raw events that break the contract.
        subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", TOPIC, "-K:"], check=True, timeout=60, text=True,
                       input='RAW-1:{"order_id":"ORD-500"}\nRAW-2:not json\n')
        reader = str(build / "read_orders")

        # librdkafka 2.0's mock cluster keeps a member that left its group until
        # the member's session times out (45 s by default) before the next one
        # gets partitions: the readers take a short session.
        def read_orders(group, count, *flags):
            result = subprocess.run([reader, bootstrap, group, str(count), *flags, "-X", "session.timeout.ms=6000",
                                     "-X", "heartbeat.interval.ms=500"], capture_output=True, text=True, timeout=120)
            return result.returncode, result.stdout.splitlines(), result.stderr

        code, lines, err = read_orders("typed", 99, "--no-commit")
        assert code == 0, err
        assert lines[-1] == "received 99 invalid 2", lines[-1]
        valid = sorted(int(l.split()[1][4:]) for l in lines if l.startswith("valid "))
        assert valid == keys, "the 97 valid orders, typed"
        assert all(l.endswith("items 1") for l in lines if l.startswith("valid ")), "typed items"
        invalid = sorted(l for l in lines if l.startswith("invalid "))
        assert invalid == ["invalid RAW-1: required at $.customer_id", "invalid RAW-2: parse at $"], invalid
        code, lines, err = read_orders("typed", 99)  # nothing was committed: all again, then commit
        assert code == 0 and lines[-1] == "received 99 invalid 2", (lines[-1:], err)
        code, lines, err = read_orders("typed", 1, "--idle", "15")  # committed: nothing left for the group
        assert code == 1 and "no message for 15 s after 0" in err, (code, lines, err)
        print("consumer ok: 97 typed orders and 2 invalid events with their violations; "
              "re-read without a commit, nothing after it")
    finally:
        devkafka.stop(broker)


if __name__ == "__main__":
    main()

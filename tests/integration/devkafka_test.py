#!/usr/bin/python3
"""The embedded broker against real clients: mesh-devkafka starts a 3-broker
mock cluster; kcat and Debian's python3-confluent-kafka produce keyed
messages and read them back through the Kafka wire protocol; SIGTERM stops it
cleanly. MESH_KAFKA_BOOTSTRAP points the clients at a real cluster instead.

usage: devkafka_test.py MESH_DEVKAFKA
"""
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time
import uuid

from confluent_kafka import Consumer, Producer


def main():
    devkafka = sys.argv[1]
    bootstrap = os.environ.get("MESH_KAFKA_BOOTSTRAP")
    broker = None
    work = pathlib.Path(tempfile.mkdtemp(prefix="mesh-devkafka-"))
    topic = "mesh.test." + uuid.uuid4().hex[:8]
    if not bootstrap:
        file = work / "bootstrap.txt"
        broker = subprocess.Popen([devkafka, "--brokers", "3", "--topic", f"{topic}:6", "--bootstrap-file", str(file)],
                                  stdout=subprocess.PIPE, text=True)
        for _ in range(100):
            if file.exists():
                break
            time.sleep(0.05)
        bootstrap = file.read_text().strip()
        printed = broker.stdout.readline().strip()
        assert printed == bootstrap, (printed, bootstrap)
        assert len(bootstrap.split(",")) == 3, bootstrap
    try:
        # kcat: 50 keyed messages in, all 50 back with their keys.
        lines = "".join(f"key-{i}:value-{i}\n" for i in range(50))
        subprocess.run(["kcat", "-b", bootstrap, "-P", "-t", topic, "-K:"], input=lines, text=True, check=True,
                       timeout=60)
        out = subprocess.run(["kcat", "-b", bootstrap, "-C", "-t", topic, "-e", "-q", "-f", "%k=%s\n"],
                             capture_output=True, text=True, check=True, timeout=60).stdout
        got = sorted(out.split())
        want = sorted(f"key-{i}=value-{i}" for i in range(50))
        assert got == want, f"kcat read back {len(got)} of 50"

        # confluent-kafka: 100 more, idempotent producer, read back by a group member.
        producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True})
        for i in range(100):
            producer.produce(topic, key=f"ck-{i}", value=f"v-{i}")
        assert producer.flush(30) == 0, "undelivered messages"
        del producer  # closed before the broker stops, so it does not log the shutdown
        consumer = Consumer({"bootstrap.servers": bootstrap, "group.id": "mesh-test-" + uuid.uuid4().hex[:6],
                             "auto.offset.reset": "earliest"})
        consumer.subscribe([topic])
        seen = set()
        deadline = time.time() + 60
        while len(seen) < 150 and time.time() < deadline:
            m = consumer.poll(0.5)
            if m is None or m.error():
                continue
            seen.add(m.key().decode())
        consumer.close()
        assert len(seen) == 150, f"the consumer saw {len(seen)} of 150 keys"
        print(f"devkafka ok: {bootstrap}, 150 messages through kcat and confluent-kafka")
    finally:
        if broker:
            broker.send_signal(signal.SIGTERM)
            code = broker.wait(timeout=20)
            assert code == 0, f"mesh-devkafka exited {code} on SIGTERM"


if __name__ == "__main__":
    main()

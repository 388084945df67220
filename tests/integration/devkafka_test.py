#!/usr/bin/python3
"""The embedded broker against real clients: mesh-devkafka starts a 3-broker
mock cluster; kcat and Debian's python3-confluent-kafka produce keyed
messages and read them back through the Kafka wire protocol; SIGTERM stops it
cleanly. MESH_KAFKA_BOOTSTRAP points the clients at a real cluster instead.

usage: devkafka_test.py MESH_DEVKAFKA
"""
import ctypes
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid

from confluent_kafka import Consumer, Producer


def check_nodelay(pid, bootstrap):
    """Every connection the broker accepted has Nagle's algorithm off, as a
    Kafka broker's do: with it on, a response written behind another waited
    for the client's delayed ACK (40 ms). The broker's sockets are looked at
    through pidfd_getfd(2)."""
    ports = {int(address.rsplit(":", 1)[1]) for address in bootstrap.split(",")}
    libc = ctypes.CDLL(None, use_errno=True)
    pidfd = os.pidfd_open(pid)
    accepted = 0
    try:
        for entry in os.listdir(f"/proc/{pid}/fd"):
            try:
                if not os.readlink(f"/proc/{pid}/fd/{entry}").startswith("socket:"):
                    continue
            except FileNotFoundError:
                continue
            fd = libc.syscall(438, pidfd, int(entry), 0)  # SYS_pidfd_getfd on x86_64
            assert fd >= 0, f"pidfd_getfd: {os.strerror(ctypes.get_errno())}"
            with socket.socket(fileno=fd) as sock:
                if sock.family != socket.AF_INET or sock.type != socket.SOCK_STREAM:
                    continue
                try:
                    sock.getpeername()
                except OSError:
                    continue  # a listener
                if sock.getsockname()[1] not in ports:
                    continue  # a connection the broker made, not one it accepted
                accepted += 1
                assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY), \
                    f"an accepted connection ({sock.getpeername()}) has Nagle's algorithm on"
    finally:
        os.close(pidfd)
    assert accepted > 0, "found no accepted connection of the broker to look at"
    print(f"devkafka: TCP_NODELAY on all {accepted} accepted connections")


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
        if broker:
            check_nodelay(broker.pid, bootstrap)
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

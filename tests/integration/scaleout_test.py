#!/usr/bin/python3
"""Gates scale out as members of one consumer group: two generated mesh-gates
for sales.orders.orders_placed share a 12-partition topic on a 3-broker
mesh-devkafka. The test finds which gate owns which partition (it writes to
one partition at a time and watches each gate's mesh_messages_in_total, until
two passes agree) and checks that both own some. Then it writes to every
partition, SIGKILLs gate B while B is still reading its share, writes more,
and checks that gate A takes B's partitions over (the group's committed
offsets on B's partitions move again: only A can commit them) and reads
everything written to them after the kill; in the end the output and DLQ
together hold every event (none lost; duplicates from B's uncommitted batch
are counted and reported). Gates run with -X session.timeout.ms=6000 (see
faults_test.py). MESH_KAFKA_BOOTSTRAP runs it on a real cluster instead.

usage: scaleout_test.py MESHC MESH_DEVKAFKA
"""
import os
import pathlib
import socket
import sys
import tempfile
import time
import urllib.request
import uuid

from confluent_kafka import KafkaException, Producer, TopicPartition

import devkafka
from faults_test import (PRODUCT, Gate, Run, account, build_gate, committed_all, consumer, end_offsets, ensure_topics,
                         event, log, shut_down)

PARTITIONS = 12
PER_PARTITION = 500  # events written to each partition per round
PROBE = 100  # events written to one partition to see which gate reads it


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def messages_in(port):
    """The gate's mesh_messages_in_total (0 while it does not answer)."""
    try:
        text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    except OSError:
        return 0.0
    return sum(float(line.rsplit(" ", 1)[1]) for line in text.splitlines()
               if line.startswith("mesh_messages_in_total{") and f'product="{PRODUCT}"' in line)


def committed(bootstrap, group, topic, partitions):
    """{partition: the group's committed offset (-1 if none)}."""
    c = consumer(bootstrap, group)  # never subscribes: it does not join the group
    try:
        return {tp.partition: max(tp.offset, -1)
                for tp in c.committed([TopicPartition(topic, p) for p in partitions], timeout=10)}
    except KafkaException:
        return {p: -1 for p in partitions}
    finally:
        c.close()


class Writer:
    """Writes events with consecutive ids to chosen partitions."""

    def __init__(self, bootstrap, topic):
        self.topic = topic
        self.next = 0
        self.producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 5,
                                  "log_level": 3})

    def write(self, partition, count):
        failed = []
        for _ in range(count):
            key, value, _ = event(self.next)
            self.next += 1
            self.producer.produce(self.topic, key=key, value=value, partition=partition,
                                  on_delivery=lambda err, msg: err and failed.append(err))
        assert self.producer.flush(60) == 0 and not failed, f"input producer failed: {failed[:3]}"

    def close(self):
        self.producer.flush(30)
        del self.producer


def main():
    meshc, devkafka_bin = (os.path.abspath(a) for a in sys.argv[1:3])
    began = time.time()
    work = pathlib.Path(tempfile.mkdtemp(prefix="mesh-scaleout-"))
    binary = build_gate(meshc, work)
    log(f"mesh-gate built in {time.time() - began:.0f}s ({work})")

    run_id = uuid.uuid4().hex[:6]
    topics = {name: f"scaleout.{name}.{run_id}" for name in ("in", "out", "dlq")}
    group = "scaleout-" + run_id
    cluster = devkafka.start_controlled(devkafka_bin, work, [f"{t}:{PARTITIONS}" for t in topics.values()])
    ports = {"A": free_port(), "B": free_port()}
    gates = {name: Gate(binary, cluster.bootstrap, topics, group, work, name=f"gate-{name}",
                        args=["--metrics-port", str(port)]) for name, port in ports.items()}
    writer = run = None
    try:
        ensure_topics(cluster, {t: PARTITIONS for t in topics.values()})
        writer = Writer(cluster.bootstrap, topics["in"])
        # Both start together, so the group's first rebalance has both.
        for gate in gates.values():
            gate.start()
        a, b = gates["A"], gates["B"]
        run = Run(cluster, a, topics, 0)

        def counts():
            return {name: messages_in(port) for name, port in ports.items()}

        def supervise():
            for gate in gates.values():
                assert gate.supervise() is None, f"{gate.name} exited on its own: {gate.runs[-2][1]}"

        def wait(what, condition, timeout):
            deadline = time.time() + timeout
            while not condition():
                cluster.check()
                supervise()
                assert time.time() < deadline, f"gave up after {timeout}s waiting for {what}; counts {counts()}"
                time.sleep(0.2)

        # Warm-up: some events on every partition, until both gates have read some.
        for p in range(PARTITIONS):
            writer.write(p, 50)
        t = time.time()
        wait("both gates to read events",
             lambda: all(c > 0 for c in counts().values()) and sum(counts().values()) >= writer.next, 180)
        log(f"group up: both gates read events {time.time() - t:.0f}s after they started ({counts()})")

        # Who owns which partition: one partition at a time, see whose count
        # moves. The map counts once two passes in a row agree (a rebalance
        # in between, e.g. one gate joining late, makes them differ).
        def map_owners():
            owners = {}
            for p in range(PARTITIONS):
                before = counts()
                writer.write(p, PROBE)
                wait(f"partition {p}'s events to be read",
                     lambda: sum(counts().values()) - sum(before.values()) >= PROBE, 120)
                after = counts()
                moved = [name for name in ports if after[name] > before[name]]
                if len(moved) != 1:
                    log(f"partition {p}: both gates read events ({before} -> {after}): the group is rebalancing")
                    return None
                owners[p] = moved[0]
            return owners

        previous = None
        for _ in range(8):
            owners = map_owners()
            if owners and owners == previous:
                break
            previous = owners
            time.sleep(1)
        else:
            raise AssertionError(f"no stable assignment in 8 passes (last: {owners})")
        owned = {name: [p for p in owners if owners[p] == name] for name in ports}
        log(f"assignment: gate A owns partitions {owned['A']}, gate B owns {owned['B']}")
        assert owned["A"] and owned["B"], f"one gate owns every partition: {owned}"

        # SIGKILL B mid-stream; A must take over B's partitions.
        if cluster.embedded:
            cluster.command("rtt -1 20")  # responses 20 ms late: B is still busy when it is killed
        before = counts()
        for p in range(PARTITIONS):
            writer.write(p, 4 * PER_PARTITION)
        wait("gate B to be mid-stream", lambda: counts()["B"] - before["B"] >= PER_PARTITION, 120)
        b_read = counts()["B"] - before["B"]
        b.kill()
        killed = time.time()
        log(f"gate B killed (SIGKILL) mid-stream, having read about {b_read:.0f} of the "
            f"{len(owned['B']) * 4 * PER_PARTITION} events just written to its partitions")
        for p in range(PARTITIONS):
            writer.write(p, PER_PARTITION)
        # B is gone: a commit on one of its partitions is A's.
        base = committed(cluster.bootstrap, group, topics["in"], owned["B"])
        wait("gate A to commit on B's partitions",
             lambda: any(o > base[p] for p, o in committed(cluster.bootstrap, group, topics["in"],
                                                            owned["B"]).items()), 300)
        takeover = time.time() - killed
        own = len(owned["A"]) * 5 * PER_PARTITION  # what A's own partitions got this round
        after = len(owned["B"]) * PER_PARTITION  # written to B's partitions after the kill
        wait("gate A to read everything written after the kill", lambda: counts()["A"] - before["A"] >= own + after,
             300)
        log(f"takeover: gate A committed on B's partitions {takeover:.0f}s after the kill")

        # A's output is complete when every event is out and the input committed.
        n = writer.next
        in_ends = end_offsets(run.watch, topics["in"])
        wait("every event out and the input committed",
             lambda: run.progress() >= n and committed_all(cluster.bootstrap, group, topics["in"], in_ends), 120)
        a_read = counts()["A"] - before["A"]
        log(f"gate A read {a_read:.0f} events since the kill round began: its partitions' {own}, and "
            f"{a_read - own:.0f} of B's partitions' {len(owned['B']) * 5 * PER_PARTITION} (B had read about "
            f"{b_read:.0f} before the kill)")
        code = a.terminate()
        assert code == 0, f"gate A exited {code} on SIGTERM: {a.tail()}"
        got = account(cluster.bootstrap, topics, n)
        print(f"scaleout summary: {n} in over {PARTITIONS} partitions, gate A owned {len(owned['A'])} and gate B "
              f"{len(owned['B'])}; after B's SIGKILL, A took over in {takeover:.0f}s; {got['outputs']} forwarded + "
              f"{got['dead']} dead-lettered, lost: {len(got['lost'])}, duplicates: {got['duplicates']}; "
              f"{time.time() - began:.0f}s", flush=True)
        assert not got["problems"], "misrouted records:\n  " + "\n  ".join(got["problems"][:20])
        assert not got["lost"], (f"{len(got['lost'])} input offsets are on neither the output nor the DLQ; "
                                 "first ones (partition, offset, id):\n  " + "\n  ".join(map(str, got["lost"][:20])))
    except BaseException:
        for gate in gates.values():
            gate.print_tails()
        raise
    finally:
        shut_down(cluster, gates.values(), writer, run)


if __name__ == "__main__":
    main()

#!/usr/bin/python3
"""The gate under faults: 100,000 events (about 5% invalid, each with a unique
id as its key) stream over 45 s into a 6-partition topic on a 3-broker
mesh-devkafka, through the generated mesh-gate for sales.orders.orders_placed,
while the test, through mesh-devkafka's control channel (stdin), makes Produce
requests fail (retriable errors, then a permanent one, which stops the gate),
makes offset commits fail, takes the group coordinator's broker down for
longer than the gate's session and brings it back, slows a broker down, and
SIGKILLs the gate. Like a process supervisor, the test restarts the gate (same
group) whenever it exits. At the end it reads the input, output and
dead-letter topics back whole: every input offset's event must be on the output
topic (if valid) or the DLQ (if not), on its input partition, at least once
(none lost); duplicates are counted and reported, and so is what the cluster
does with transactions (exactly-once needs them).

The gates run with -X session.timeout.ms=6000: librdkafka 2.0's mock cluster
holds a killed member until its session times out, then waits session - 1 s
for the rebalance, so with the 45 s default each restart stalls ~90 s.

With MESH_KAFKA_BOOTSTRAP (a real cluster) the broker faults cannot be
injected: they are skipped with a message; the SIGKILL and restart still run.
MESH_FAULTS_EVENTS changes the number of events; MESH_DEVKAFKA_DEBUG=mock logs
the mock cluster's view to the work directory's devkafka.log.

usage: faults_test.py MESHC MESH_DEVKAFKA
"""
import json
import os
import pathlib
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid

from confluent_kafka import OFFSET_BEGINNING, Consumer, KafkaException, Producer, TopicPartition
from confluent_kafka.admin import AdminClient, NewTopic

import devkafka
import generated

ROOT = pathlib.Path(__file__).resolve().parents[2]
PRODUCT = "sales.orders.orders_placed"
# A short session: see the header.
GROUP_ARGS = ["-X", "session.timeout.ms=6000", "-X", "heartbeat.interval.ms=1000"]


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def build_gate(meshc, work):
    """Builds the generated mesh-gate from the current tree."""
    return generated.build(meshc, work) / "mesh-gate"


def event(i):
    """(key, value, valid) of event i: the key is its unique id. One event in
    20 is invalid: half break the contract (a negative amount), half are not JSON."""
    key = f"ev-{i:06d}"
    if i % 20 == 0:
        if i % 40 == 0:
            return key, f"not json {key}", False
        amount = "-1"
    else:
        amount = f"{1 + i % 500}.{i % 100:02d}"
    value = json.dumps({"order_id": f"ORD-{i}", "customer_id": f"CUST-{i % 97}", "amount": amount,
                        "currency": "USD", "placed_at": "2026-11-20T10:00:00Z",
                        "items": [{"sku": "ABC-1234", "qty": 1, "unit_price": amount}], "attributes": {"id": key}},
                       separators=(",", ":"))
    return key, value, amount != "-1"


def ensure_topics(cluster, topics):
    """On a real cluster, creates the topics ({name: partitions}); the embedded
    one already has them (mesh-devkafka --topic)."""
    if cluster.embedded:
        return
    admin = AdminClient({"bootstrap.servers": cluster.bootstrap})
    futures = admin.create_topics([NewTopic(t, p, replication_factor=-1) for t, p in topics.items()])
    for topic, future in futures.items():
        future.result(timeout=60)


def produce(bootstrap, topic, first, count, seconds=0):
    """Produces events first..first+count-1 with an idempotent producer,
    evenly over about seconds (0: at once); every delivery must succeed."""
    failed = []
    producer = Producer({"bootstrap.servers": bootstrap, "enable.idempotence": True, "linger.ms": 20,
                         "log_level": 3})

    def report(err, msg):
        if err:
            failed.append(err)

    began = time.time()
    for n, i in enumerate(range(first, first + count)):
        key, value, _ = event(i)
        while True:
            try:
                producer.produce(topic, key=key, value=value, on_delivery=report)
                break
            except BufferError:
                producer.poll(0.1)
        producer.poll(0)
        if seconds and n % 100 == 99:
            time.sleep(max(0.0, began + seconds * (n + 1) / count - time.time()))
    left = producer.flush(120)
    assert left == 0 and not failed, f"input producer: {left} undelivered, {len(failed)} failed ({failed[:3]})"


class Feeder(threading.Thread):
    """produce() in a thread, while the gate runs: the stream is still
    flowing when the gate is killed."""

    def __init__(self, *args):
        super().__init__(daemon=True)
        self.args = args
        self.error = None

    def run(self):
        try:
            produce(*self.args)
        except BaseException as e:  # reported by finish()
            self.error = e

    def finish(self):
        self.join(timeout=300)
        assert not self.is_alive(), "the input producer thread did not finish"
        if self.error:
            raise self.error


def consumer(bootstrap, group=None):
    return Consumer({"bootstrap.servers": bootstrap, "group.id": group or "mesh-reader-" + uuid.uuid4().hex[:8],
                     "enable.auto.commit": False, "enable.partition.eof": False, "log_level": 3})


def partitions(c, topic):
    return sorted(c.list_topics(topic, timeout=30).topics[topic].partitions)


def end_offsets(c, topic, cache=None):
    """{partition: high watermark}; a partition whose leader does not answer
    keeps its cached value (0 at first)."""
    ends = {}
    for p in partitions(c, topic):
        try:
            ends[p] = c.get_watermark_offsets(TopicPartition(topic, p), timeout=2)[1]
        except KafkaException:
            ends[p] = (cache or {}).get(p, 0)
    if cache is not None:
        cache.update(ends)
    return ends


def read_all(bootstrap, topic, timeout=180):
    """Every record of topic up to its current end: [(key, partition, offset)]."""
    c = consumer(bootstrap)
    try:
        ends = end_offsets(c, topic)
        remaining = {p for p, end in ends.items() if end > 0}
        c.assign([TopicPartition(topic, p, OFFSET_BEGINNING) for p in remaining])
        records = []
        deadline = time.time() + timeout
        while remaining and time.time() < deadline:
            for m in c.consume(10000, 1.0):
                if m.error():
                    continue
                records.append((m.key().decode(), m.partition(), m.offset()))
                if m.offset() >= ends[m.partition()] - 1:
                    remaining.discard(m.partition())
        assert not remaining, f"{topic}: could not read partitions {sorted(remaining)} to their end in {timeout}s"
        return records
    finally:
        c.close()


def committed_all(bootstrap, group, topic, ends):
    """True when the group's committed offsets reach ends ({partition: offset})."""
    c = consumer(bootstrap, group)  # never subscribes: it does not join the group
    try:
        got = c.committed([TopicPartition(topic, p) for p in ends], timeout=10)
        return all(tp.offset >= ends[tp.partition] for tp in got)
    except KafkaException:
        return False
    finally:
        c.close()


class Gate:
    """One mesh-gate instance, restarted like a supervisor would whenever it
    exits; each run's stderr goes to its own log file."""

    def __init__(self, binary, bootstrap, topics, group, work, name="gate", args=()):
        self.binary, self.bootstrap, self.topics, self.group, self.work, self.name = (
            binary, bootstrap, topics, group, work, name)
        self.args = GROUP_ARGS + list(args)
        self.process = None
        self.runs = []  # (log path, how it ended)
        self.exits = 0

    def start(self):
        path = self.work / f"{self.name}-{len(self.runs) + 1}.log"
        self.log = open(path, "w")
        self.process = subprocess.Popen(
            [str(self.binary), "--product", PRODUCT, "--bootstrap", self.bootstrap, "--input", self.topics["in"],
             "--output", self.topics["out"], "--dlq", self.topics["dlq"], "--group", self.group] + self.args,
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=subprocess.STDOUT)
        self.runs.append([path, "running"])
        self.started = time.time()

    def ended(self, how):
        self.runs[-1][1] = how
        self.log.close()
        self.process = None

    def supervise(self):
        """Restarts the gate if it exited on its own; returns its exit code, or None."""
        if self.process and self.process.poll() is not None:
            code = self.process.returncode
            self.exits += 1
            self.ended(f"exited {code} after {time.time() - self.started:.0f}s: {self.reason()}")
            log(f"{self.name} exited {code} ({self.reason()}); restarting it (same group)")
            self.start()
            return code
        return None

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()
        self.ended("SIGKILL")

    def terminate(self, timeout=60):
        self.process.send_signal(signal.SIGTERM)
        try:
            code = self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            code = "hung on SIGTERM"
        self.ended(f"SIGTERM: {code}")
        return code

    def reason(self, run=-1):
        """The gate's own last message (librdkafka's log lines left out)."""
        text = pathlib.Path(self.runs[run][0]).read_text(errors="replace").splitlines()
        own = [line for line in text if line.startswith("mesh-gate:")]
        return own[-1] if own else "no message"

    def tail(self, lines=20, run=-1):
        text = pathlib.Path(self.runs[run][0]).read_text(errors="replace").strip().splitlines()
        return " | ".join(text[-lines:]) if text else "(no output)"

    def print_tails(self, lines=15):
        """The last lines of every run, on stderr (after a failure)."""
        for i in range(len(self.runs)):
            print(f"--- {self.name} run {i + 1} ({self.runs[i][1]}), last lines: {self.tail(lines, i)}",
                  file=sys.stderr)

    def cleanup(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def account(bootstrap, topics, n):
    """Reads the input, output and DLQ back and checks them; returns a dict of counts."""
    inputs = read_all(bootstrap, topics["in"])
    outputs = read_all(bootstrap, topics["out"])
    dead = read_all(bootstrap, topics["dlq"])
    valid = {key: ok for key, _, ok in (event(i) for i in range(n))}
    in_partition = {}
    for key, partition, offset in inputs:
        in_partition.setdefault(key, partition)
    assert len(inputs) == n and len(in_partition) == n and set(in_partition) == set(valid), (
        f"the input topic holds {len(inputs)} records, {len(in_partition)} distinct ids ({n} produced)")
    seen = {}
    problems = []
    for topic, records, want_valid in ((topics["out"], outputs, True), (topics["dlq"], dead, False)):
        for key, partition, offset in records:
            seen[key] = seen.get(key, 0) + 1
            if key not in valid:
                problems.append(f"{topic}[{partition}]@{offset}: {key} was never produced")
            elif valid[key] != want_valid:
                problems.append(f"{topic}[{partition}]@{offset}: {key} is {'valid' if valid[key] else 'invalid'}")
            elif partition != in_partition[key]:
                problems.append(f"{topic}[{partition}]@{offset}: {key} came from partition {in_partition[key]}")
    lost = [(p, o, key) for key, p, o in inputs if key not in seen]
    return {"inputs": len(inputs), "outputs": len(outputs), "dead": len(dead),
            "duplicates": sum(c - 1 for c in seen.values()), "duplicated_ids": sum(1 for c in seen.values() if c > 1),
            "lost": sorted(lost), "problems": problems}


def transactions_probe(bootstrap, topic):
    """What the cluster does with transactions, which exactly-once needs: a
    transactional producer aborts one record, then commits another together
    with an input offset for a group (TxnOffsetCommit). Returns (the API is
    accepted, the aborted record is hidden from read_committed, the offset
    is stored, detail)."""
    group = "mesh-probe-" + uuid.uuid4().hex[:6]
    member = Consumer({"bootstrap.servers": bootstrap, "group.id": group, "log_level": 3})
    try:
        producer = Producer({"bootstrap.servers": bootstrap, "transactional.id": group, "log_level": 3})
        producer.init_transactions(30)
        producer.begin_transaction()
        producer.produce(topic, key="aborted", value="aborted")
        producer.flush(30)
        producer.abort_transaction(30)
        producer.begin_transaction()
        producer.produce(topic, key="committed", value="committed")
        producer.send_offsets_to_transaction([TopicPartition(topic, 0, 1)], member.consumer_group_metadata(), 30)
        producer.commit_transaction(30)
        del producer
    except KafkaException as e:
        member.close()
        return False, False, False, str(e)
    stored = member.committed([TopicPartition(topic, 0)], timeout=10)[0].offset
    member.close()
    c = Consumer({"bootstrap.servers": bootstrap, "group.id": group + "-reader",
                  "isolation.level": "read_committed", "enable.auto.commit": False, "log_level": 3})
    c.assign([TopicPartition(topic, 0, OFFSET_BEGINNING)])
    keys = []
    deadline = time.time() + 15
    while "committed" not in keys and time.time() < deadline:
        m = c.poll(0.5)
        if m is not None and not m.error():
            keys.append(m.key().decode())
    c.close()
    return (True, "aborted" not in keys and "committed" in keys, stored == 1,
            f"a read_committed consumer read {keys}; the transaction's input offset 1 was "
            f"{'stored' if stored == 1 else f'not stored (committed offset: {stored})'}")


class Run:
    """The faulted run: a supervised gate and the progress it makes."""

    def __init__(self, cluster, gate, topics, n):
        self.cluster, self.gate, self.topics, self.n = cluster, gate, topics, n
        self.watch = consumer(cluster.bootstrap)
        self.cache = {"out": {}, "dlq": {}}
        self.began = time.time()

    def progress(self):
        """Records on the output and dead-letter topics (duplicates included)."""
        return sum(sum(end_offsets(self.watch, self.topics[t], self.cache[t]).values()) for t in ("out", "dlq"))

    def wait(self, what, condition, timeout):
        """Supervises the gate until condition() holds; fails after timeout seconds."""
        deadline = time.time() + timeout
        while not condition():
            self.cluster.check()
            self.gate.supervise()
            assert time.time() < deadline, (f"gave up after {timeout}s waiting for {what} "
                                            f"({self.progress()} records out); last gate log: {self.gate.tail()}")
            time.sleep(0.2)

    def at(self, seconds):
        """Waits until seconds into the stream; returns the records out then,
        which must not be all of them (the fault lands mid-stream)."""
        self.wait(f"{seconds}s into the stream", lambda: time.time() - self.began >= seconds, seconds + 60)
        done = self.progress()
        assert done < self.n, f"the gate was done before the fault planned at {seconds}s ({done} records out)"
        return done

    def fault_for(self, seconds, begin, end):
        """Sends the cluster command begin, supervises the gate for that many
        seconds, then sends end."""
        self.cluster.command(begin)
        since = time.time()
        self.wait(f"{seconds} seconds", lambda: time.time() - since >= seconds, 60)
        self.cluster.command(end)

    def pending(self, api, brokers):
        counts = [int(self.cluster.command(f"pending {b} {api}").split()[-1]) for b in brokers]
        return sum(counts)

    def close(self):
        self.watch.close()


def shut_down(cluster, gates, *watchers):
    """The end of a test, passed or failed: the gates stopped, the watchers
    that were opened (None: not yet) closed, the cluster stopped."""
    for gate in gates:
        gate.cleanup()
    for watcher in watchers:
        if watcher:
            watcher.close()
    cluster.stop()


def oversized_dead_letter(cluster, gate, topics, group):
    """7. A dead letter the producer refuses at once: an invalid event that
    fits the input, but not with the mesh-violations header added, under the
    producer's message.max.bytes (1,000,000), so rd_kafka_producev fails
    (MSG_SIZE_TOO_LARGE) before any delivery report. The gate must not commit
    past it: the event ends on the DLQ (or output), or the gate stops short
    of it; committing past it loses it."""
    key = "ev-oversized"
    offsets = {}
    producer = Producer({"bootstrap.servers": cluster.bootstrap, "enable.idempotence": True, "log_level": 3})
    for k, value in ((key, "x" * (1_000_000 - len(key) - 64)), ("ev-after-oversized", "not json")):
        producer.produce(topics["in"], key=k, value=value, partition=0,
                         on_delivery=lambda err, msg: offsets.__setitem__(msg.key().decode(), None if err else
                                                                          msg.offset()))
    assert producer.flush(60) == 0 and None not in offsets.values(), f"input producer: {offsets}"
    del producer
    at = offsets[key]
    runs = len(gate.runs)
    gate.start()
    deadline = time.time() + 60
    c = consumer(cluster.bootstrap, group)  # never subscribes: it does not join the group
    try:
        while time.time() < deadline:
            cluster.check()
            gate.supervise()
            committed = c.committed([TopicPartition(topics["in"], 0)], timeout=10)[0].offset
            if committed > at or len(gate.runs) - runs >= 3:
                break
            time.sleep(0.5)
    finally:
        c.close()
    gate.terminate()
    keys = {k for t in ("out", "dlq") for k, _, _ in read_all(cluster.bootstrap, topics[t])}
    said = [gate.reason(i) for i in range(runs, len(gate.runs))]
    if key in keys:
        log(f"oversized dead letter: {key} (input partition 0, offset {at}) is on the DLQ or output")
        return
    if committed <= at:
        raise AssertionError(f"oversized dead letter: {key} (input partition 0, offset {at}) is not handled: the "
                             f"group's offset stays at {committed} (not lost, but the gate is stuck on it: "
                             f"{len(gate.runs) - runs} runs in 60s; it said {said})")
    raise AssertionError(f"oversized dead letter LOST: {key} (input partition 0, offset {at}, invalid, "
                         f"{1_000_000 - len(key) - 64} bytes) is on neither the output nor the DLQ, yet the group "
                         f"committed offset {committed} past it; the gate said {said}")


def main():
    meshc, devkafka_bin = (os.path.abspath(a) for a in sys.argv[1:3])
    n = int(os.environ.get("MESH_FAULTS_EVENTS", "100000"))
    began = time.time()
    work = pathlib.Path(tempfile.mkdtemp(prefix="mesh-faults-"))
    binary = build_gate(meshc, work)
    log(f"mesh-gate built in {time.time() - began:.0f}s ({work})")

    run_id = uuid.uuid4().hex[:6]
    topics = {name: f"faults.{name}.{run_id}" for name in ("in", "out", "dlq", "txn")}
    group = "faults-" + run_id
    cluster = devkafka.start_controlled(devkafka_bin, work, [f"{topics[t]}:6" for t in ("in", "out", "dlq")] +
                                        [f"{topics['txn']}:1"])
    gate = Gate(binary, cluster.bootstrap, topics, group, work)
    run = feeder = None
    try:
        ensure_topics(cluster, {topics[t]: 6 for t in ("in", "out", "dlq")} | {topics["txn"]: 1})
        faults = []
        if cluster.embedded:
            # Broker 1 leads the input, so the Produce errors injected on
            # broker 3 below hit the gate, never the test's input producer;
            # output and DLQ partitions are spread over all three. Broker 2,
            # taken down below, is the group's coordinator.
            for p in range(6):
                cluster.command(f"leader {topics['in']} {p} 1")
                cluster.command(f"leader {topics['out']} {p} {p % 3 + 1}")
                cluster.command(f"leader {topics['dlq']} {p} {p % 3 + 1}")
            cluster.command(f"coordinator group {group} 2")
        else:
            log(f"MESH_KAFKA_BOOTSTRAP={cluster.bootstrap}: a real cluster, where faults cannot be injected: the "
                "Produce and OffsetCommit errors, the broker outage and the slow broker are skipped; SIGKILL and "
                "restart still run")

        # The events stream in over FEED seconds while the faults land.
        feed = 45
        feeder = Feeder(cluster.bootstrap, topics["in"], 0, n, feed)
        gate.start()
        feeder.start()
        run = Run(cluster, gate, topics, n)
        log(f"{n} events streaming into {topics['in']} (6 partitions) over {feed}s; the gate started")
        brokers = (1, 2, 3)
        if cluster.embedded:
            # 1. Retriable Produce errors on every broker (and a few cluster-wide):
            # the idempotent producers retry them; the gate should not notice.
            done = run.at(5)
            exits = gate.exits
            for b in brokers:
                cluster.command(f"broker-errors {b} Produce 6 NOT_LEADER_FOR_PARTITION REQUEST_TIMED_OUT "
                                "NOT_ENOUGH_REPLICAS _TRANSPORT")
            cluster.command("errors Produce 4 LEADER_NOT_AVAILABLE NOT_ENOUGH_REPLICAS_AFTER_APPEND")
            run.wait("the retriable Produce errors to be used", lambda: run.pending("Produce", brokers) == 0, 60)
            faults.append(f"22 retriable Produce errors at {done} out (gate exits: {gate.exits - exits})")
            log(faults[-1])

            # 2. OffsetCommit errors on the coordinator.
            done = run.at(10)
            cluster.command("broker-errors 2 OffsetCommit 8 REQUEST_TIMED_OUT COORDINATOR_NOT_AVAILABLE "
                            "NOT_COORDINATOR COORDINATOR_LOAD_IN_PROGRESS")
            run.wait("the OffsetCommit errors to be used", lambda: run.pending("OffsetCommit", [2]) == 0, 60)
            faults.append(f"8 OffsetCommit errors at {done} out (gate exits: {gate.exits - exits})")
            log(faults[-1])

            # 3. Broker 2 (the coordinator, leader of two output and two DLQ
            # partitions) down for 8 s: longer than the gate's 6 s session.
            done = run.at(14)
            run.fault_for(8, "broker-down 2", "broker-up 2")
            faults.append(f"broker 2 down for 8s at {done} out, {run.progress()} out when it came back "
                          f"(gate exits: {gate.exits - exits})")
            log(faults[-1])

            # 4. A permanent Produce error: the delivery fails, so the gate must
            # stop without committing that batch; the supervisor restarts it.
            done = run.at(25)
            exits = gate.exits
            cluster.command("broker-errors 3 Produce 1 TOPIC_AUTHORIZATION_FAILED")
            run.wait("the permanent Produce error to be used", lambda: run.pending("Produce", [3]) == 0, 60)
            run.wait("the gate to stop on the failed delivery", lambda: gate.exits > exits, 60)
            said = pathlib.Path(gate.runs[-2][0]).read_text(errors="replace")
            named = "|".join(re.escape(topics[t]) for t in ("out", "dlq"))
            failed = r"' partition \d+ failed: Broker: Topic authorization failed"
            assert re.search(f"mesh-gate: delivery to '({named}){failed}", said), \
                f"the stopped gate did not name the failed delivery's topic and error: {said[-1500:]}"
            faults.append(f"a permanent Produce error (TOPIC_AUTHORIZATION_FAILED) at {done} out: the gate "
                          f"{gate.runs[-2][1]}, restarted")
            log(faults[-1])

            # 5. Broker 1 (the input's leader) answers 300 ms late for 4 s.
            done = run.at(31)
            run.fault_for(4, "rtt 1 300", "rtt 1 0")
            faults.append(f"broker 1 slow (300 ms) for 4s at {done} out")
            log(faults[-1])

        # 6. SIGKILL mid-stream, restarted at once in the same group.
        done = run.at(38)
        gate.kill()
        killed = time.time()
        gate.start()
        run.wait("a second", lambda: time.time() - killed >= 1, 10)
        settled = run.progress()  # what the killed gate had in flight has landed
        run.wait("the restarted gate to make progress", lambda: run.progress() > settled, 300)
        faults.append(f"SIGKILL at {done} out; the restarted gate resumed after {time.time() - killed:.0f}s "
                      "(its group first waits out the killed member's session)")
        log(faults[-1])

        # Done when every event is out and the group committed the whole input.
        feeder.finish()
        in_ends = end_offsets(run.watch, topics["in"])
        run.wait("every event out and the input committed",
                 lambda: run.progress() >= n and committed_all(cluster.bootstrap, group, topics["in"], in_ends), 300)
        code = gate.terminate()
        assert code == 0, f"mesh-gate exited {code} on SIGTERM: {gate.tail()}"
        log(f"all {n} events through in {time.time() - run.began:.0f}s; the gate stopped on SIGTERM with exit 0")

        got = account(cluster.bootstrap, topics, n)
        for label, how in ((f"run {i + 1}", r[1]) for i, r in enumerate(gate.runs)):
            log(f"gate {label}: {how}")
        for fault in faults:
            log(f"fault: {fault}")
        failed_commits = sum(pathlib.Path(path).read_text(errors="replace").count("mesh-gate: commit failed")
                             for path, _ in gate.runs)
        log(f"the gate logged {failed_commits} failed offset commits (librdkafka retries some errors itself)")
        api, hidden, stored, detail = transactions_probe(cluster.bootstrap, topics["txn"])
        has_flag = "--transactional" in subprocess.run([str(binary), "--help"], capture_output=True,
                                                       text=True).stdout
        which = "the mock cluster" if cluster.embedded else "the cluster"
        if api and hidden and stored:
            txn = f"{which} supports transactions ({detail})"
        elif api:
            txn = (f"{which} accepts the transactional API (InitProducerId ... EndTxn) without its effect: "
                   f"{detail}; exactly-once cannot be shown on it")
        else:
            txn = f"{which} refuses the transactional API ({detail})"
        log(f"transactions: {txn}; mesh-gate {'has' if has_flag else 'has no'} --transactional "
            "(this test runs the gate without it)")
        lost = got["lost"]
        print(f"faults summary: {got['inputs']} in, {got['outputs']} forwarded + {got['dead']} dead-lettered, "
              f"lost: {len(lost)}, duplicates: {got['duplicates']} ({got['duplicated_ids']} ids), "
              f"gate runs: {len(gate.runs)}, {time.time() - began:.0f}s", flush=True)
        assert not got["problems"], "misrouted records:\n  " + "\n  ".join(got["problems"][:20])
        assert not lost, (f"{len(lost)} input offsets are on neither the output nor the DLQ, though the group "
                          "committed past them; first ones (partition, offset, id):\n  " +
                          "\n  ".join(map(str, lost[:20])))

        oversized_dead_letter(cluster, gate, topics, group)
    except BaseException:
        gate.print_tails()
        raise
    finally:
        shut_down(cluster, [gate], run)


if __name__ == "__main__":
    main()

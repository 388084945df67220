"""The embedded broker for the integration tests: mesh-devkafka with the given
topics, or the cluster named by MESH_KAFKA_BOOTSTRAP when that is set.

start() gives a broker that is only started and stopped; start_controlled()
gives one whose faults the test injects through mesh-devkafka's stdin control
channel (Cluster.command; see tools/mesh-devkafka/main.cpp for the commands)."""

import os
import queue
import signal
import subprocess
import threading
import time


def create_topics(bootstrap, topics, configs=None):
    """On a real cluster: creates the topics ("name:partitions" strings; configs
    {name: {property: value}}), leaving those that exist as they are. mesh-gate
    creates no topic, and refuses to start without its output and DLQ."""
    from confluent_kafka import KafkaError
    from confluent_kafka.admin import AdminClient, NewTopic

    admin = AdminClient({"bootstrap.servers": bootstrap})
    wanted = []
    for t in topics:
        name, partitions = t.rsplit(":", 1)
        wanted.append(NewTopic(name, int(partitions), replication_factor=-1, config=(configs or {}).get(name, {})))
    for future in admin.create_topics(wanted).values():
        try:
            future.result(timeout=60)
        except Exception as e:  # KafkaException carrying a KafkaError
            if not e.args or getattr(e.args[0], "code", lambda: None)() != KafkaError.TOPIC_ALREADY_EXISTS:
                raise


def start(devkafka, work, topics, configs=None):
    """Returns (bootstrap, process); process is None on a real cluster, where
    the topics are created (create_topics). topics are "name:partitions"
    strings; configs {name: {property: value}} apply on a real cluster only
    (mesh-devkafka enforces no topic property)."""
    bootstrap = os.environ.get("MESH_KAFKA_BOOTSTRAP")
    if bootstrap:
        create_topics(bootstrap, topics, configs)
        return bootstrap, None
    file = work / "bootstrap.txt"
    args = [devkafka, "--brokers", "3", "--bootstrap-file", str(file)]
    for t in topics:
        args += ["--topic", t]
    broker = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL)
    for _ in range(200):
        if file.exists():
            return file.read_text().strip(), broker
        if broker.poll() is not None:
            break
        time.sleep(0.05)
    stop(broker)
    raise RuntimeError(f"mesh-devkafka did not start (exit {broker.returncode})")


def stop(broker):
    if isinstance(broker, Cluster):
        broker = broker.process
    if broker and broker.poll() is None:
        broker.send_signal(signal.SIGTERM)
        try:
            broker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            broker.kill()
            broker.wait()


class Cluster:
    """A mesh-devkafka whose stdin and stdout are pipes: command() sends one
    control line and returns its reply. process None means a real cluster
    (MESH_KAFKA_BOOTSTRAP), where commands are refused."""

    def __init__(self, bootstrap, process, lines=None):
        self.bootstrap = bootstrap
        self.process = process
        self._lines = lines

    @property
    def embedded(self):
        return self.process is not None

    def command(self, line, timeout=30):
        """Sends one command; returns the reply without its "ok " prefix, and
        raises RuntimeError on an "error:" reply or no reply within timeout."""
        if not self.process:
            raise RuntimeError(f"'{line}' needs the embedded broker (MESH_KAFKA_BOOTSTRAP is set)")
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        try:
            reply = self._lines.get(timeout=timeout) or ""
        except queue.Empty:
            reply = ""
        if not reply.startswith("ok"):
            raise RuntimeError(f"mesh-devkafka: '{line}': {reply or 'no reply'}")
        return reply[3:]

    def check(self):
        """Raises RuntimeError if the embedded broker is no longer running."""
        if self.process and self.process.poll() is not None:
            code = self.process.returncode
            how = f"signal {-code}" if code < 0 else f"exit {code}"
            raise RuntimeError(f"mesh-devkafka ended ({how}) while the test still needed it")

    def stop(self):
        stop(self.process)


def start_controlled(devkafka, work, topics, brokers=3, args=(), stderr=None):
    """Like start(), with the control channel open; returns a Cluster. args
    are more mesh-devkafka arguments (e.g. --debug mock); stderr a file for its log."""
    bootstrap = os.environ.get("MESH_KAFKA_BOOTSTRAP")
    if bootstrap:
        return Cluster(bootstrap, None)
    debug = os.environ.get("MESH_DEVKAFKA_DEBUG")  # e.g. "mock": the cluster's own log, to work/devkafka.log
    if debug and stderr is None:
        args = list(args) + ["--debug", debug]
        stderr = open(work / "devkafka.log", "w")
    command = [devkafka, "--brokers", str(brokers)] + list(args)
    for t in topics:
        command += ["--topic", t]
    broker = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, text=True,
                              bufsize=1)
    lines = queue.Queue()

    def pump():
        for line in broker.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)  # the process ended

    threading.Thread(target=pump, daemon=True).start()
    try:
        bootstrap = lines.get(timeout=10)
    except queue.Empty:
        bootstrap = None
    if not bootstrap:
        stop(broker)
        raise RuntimeError(f"mesh-devkafka did not start (exit {broker.returncode})")
    cluster = Cluster(bootstrap, broker, lines)
    cluster.command("ping")
    return cluster

"""The embedded broker for the integration tests: mesh-devkafka with the given
topics, or the cluster named by MESH_KAFKA_BOOTSTRAP when that is set."""

import os
import signal
import subprocess
import time


def start(devkafka, work, topics):
    """Returns (bootstrap, process); process is None on a real cluster.
    topics are "name:partitions" strings."""
    bootstrap = os.environ.get("MESH_KAFKA_BOOTSTRAP")
    if bootstrap:
        return bootstrap, None
    file = work / "bootstrap.txt"
    args = [devkafka, "--brokers", "3", "--bootstrap-file", str(file)]
    for t in topics:
        args += ["--topic", t]
    broker = subprocess.Popen(args, stdout=subprocess.DEVNULL)
    for _ in range(200):
        if file.exists():
            return file.read_text().strip(), broker
        if broker.poll() is not None:
            break
        time.sleep(0.05)
    stop(broker)
    raise RuntimeError(f"mesh-devkafka did not start (exit {broker.returncode})")


def stop(broker):
    if broker and broker.poll() is None:
        broker.send_signal(signal.SIGTERM)
        try:
            broker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            broker.kill()
            broker.wait()

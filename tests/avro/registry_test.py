#!/usr/bin/env python3
"""registry_test.py MESH_DEVKAFKA: mesh-devkafka's schema registry against
real clients and against python3-avro's compatibility checker.

- starts `mesh-devkafka --registry-port 0` and reads the registry's URL from
  the second line of its stdout;
- runs tests/avro/registry_clients.js: npm's @confluentinc/schemaregistry
  and @kafkajs/confluent-schema-registry register, fetch, set levels and
  test compatibility;
- for every pair of tests/avro/compat_corpus.json, registers the writer
  under a subject of its own and asks the registry (BACKWARD: can the new
  schema read what the registered one wrote?) whether the reader is
  compatible: the answer must be python3-avro's
  ReaderWriterCompatibilityChecker verdict, or the spec's (`expect`) where
  the corpus records that python3-avro departs from it;
- hostile requests: an oversized body, bodies that are not JSON, unknown
  paths and ids, get an error status and a JSON error, and the registry
  keeps answering.
Exit 0 when everything agrees.
"""
import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request

import avro.compatibility
import avro.schema

HERE = os.path.dirname(os.path.abspath(__file__))


def call(url, method, path, body=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url + path, data=data, method=method,
                                     headers={"Content-Type": "application/vnd.schemaregistry.v1+json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null")
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"null")


def python_verdict(pair):
    if "python" in pair:  # python3-avro departs from the spec here (the corpus says why)
        return pair["expect"]
    reader = avro.schema.parse(json.dumps(pair["reader"]))
    writer = avro.schema.parse(json.dumps(pair["writer"]))
    result = avro.compatibility.ReaderWriterCompatibilityChecker().get_compatibility(reader, writer)
    return result.compatibility.name.upper()


def corpus_agreement(url):
    pairs = json.load(open(os.path.join(HERE, "compat_corpus.json")))["pairs"]
    failures = []
    for i, pair in enumerate(pairs):
        subject = f"pair-{i}"
        call(url, "PUT", f"/config/{subject}", {"compatibility": "NONE"})
        status, body = call(url, "POST", f"/subjects/{subject}/versions", {"schema": json.dumps(pair["writer"])})
        if status != 200:
            failures.append(f"{pair['name']}: registering the writer: {status} {body}")
            continue
        call(url, "PUT", f"/config/{subject}", {"compatibility": "BACKWARD"})
        status, body = call(url, "POST", f"/compatibility/subjects/{subject}/versions/latest?verbose=true",
                            {"schema": json.dumps(pair["reader"])})
        got = "COMPATIBLE" if status == 200 and body.get("is_compatible") else "INCOMPATIBLE"
        want = python_verdict(pair)
        if status != 200 or got != want:
            failures.append(f"{pair['name']}: the registry says {got} ({status} {body}), python3-avro {want}")
    return len(pairs), failures


def hostile(url):
    failures = []
    checks = [
        ("POST", "/subjects/x/versions", b"{" * 100, 422),
        ("POST", "/subjects/x/versions", b"not json", 422),
        ("POST", "/subjects/x/versions", b"[" * 200000, 422),
        ("POST", "/subjects/x/versions", json.dumps({"schema": "[" * 100000}).encode(), 422),
        ("POST", "/subjects/x/versions", json.dumps({"schema": "{\"type\": \"nope\"}"}).encode(), 422),
        ("POST", "/subjects/x/versions", json.dumps({"schema": "\"int\"", "schemaType": "PROTOBUF"}).encode(), 422),
        ("POST", "/subjects/x/versions", b"x" * (9 << 20), 413),
        ("GET", "/schemas/ids/999999", None, 404),
        ("GET", "/schemas/ids/-1", None, 404),
        ("GET", "/subjects/none/versions/latest", None, 404),
        ("GET", "/subjects/none/versions/abc", None, 404),
        ("GET", "/nowhere", None, 404),
        ("PUT", "/config", json.dumps({"compatibility": "SIDEWAYS"}).encode(), 422),
        ("DELETE", "/schemas/ids/1", None, 405),
    ]
    for method, path, raw, want in checks:
        try:
            status, body = call(url, method, path, raw=raw)
        except (ConnectionError, urllib.error.URLError) as e:
            if want == 413:  # the server may close before the whole body was sent
                continue
            failures.append(f"{method} {path}: {e}")
            continue
        if status != want or not isinstance(body, dict) or "error_code" not in body:
            failures.append(f"{method} {path}: {status} {body}, expected {want} with an error_code")
    if call(url, "GET", "/subjects")[0] != 200:
        failures.append("the registry stopped answering")
    return len(checks), failures


def main(devkafka):
    proc = subprocess.Popen([devkafka, "--registry-port", "0"], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            text=True)
    try:
        proc.stdout.readline()  # the bootstrap address
        url = proc.stdout.readline().strip()
        if not url.startswith("http://127.0.0.1:"):
            raise SystemExit(f"mesh-devkafka printed no registry URL (got {url!r})")
        clients = subprocess.run(["node", os.path.join(HERE, "registry_clients.js"), url], capture_output=True,
                                 text=True, timeout=120)
        failures = [] if clients.returncode == 0 else [f"registry_clients.js: {clients.stdout}{clients.stderr}"]
        pairs, corpus_failures = corpus_agreement(url)
        checks, hostile_failures = hostile(url)
        failures += corpus_failures + hostile_failures
        print(f"registry_test: clients: {clients.stdout.strip()}; {pairs} corpus pairs; {checks} hostile requests")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: registry_test.py MESH_DEVKAFKA")
    sys.exit(main(sys.argv[1]))

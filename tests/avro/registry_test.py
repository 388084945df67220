#!/usr/bin/env python3
"""registry_test.py MESH_DEVKAFKA MESHC: mesh-devkafka's schema registry
against real clients and python3-avro's compatibility checker, and
`meshc registry push|check` against it.

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
  keeps answering;
- `meshc registry` on tests/avro/registry_contracts/v1..v3: push registers
  exactly the avro target's schema under `<topic>-value` (again: the same
  id and version), check finds v2 compatible and v3 not (exit 1, the
  registry's reason shown), push of v3 is refused (exit 1); the record and
  topic_record naming strategies give their subjects; the URL from
  MESH_SCHEMA_REGISTRY_URL and mesh.yaml; no registry, a bad URL and an
  unreachable one exit 2.
Exit 0 when everything agrees.
"""
import json
import os
import signal
import subprocess
import sys
import tempfile
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
        ("GET", "/subjects/%FF%FE/versions/%FF", None, 404),
        ("DELETE", "/subjects/none/versions/%FF", None, 404),
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


def meshc_registry(meshc, url):
    contracts = os.path.join(HERE, "registry_contracts")
    failures = []

    def run(*args, env=None, cwd=None, want=0, out=None, err=None):
        proc = subprocess.run([meshc, "registry", *args], capture_output=True, text=True, timeout=120,
                              env={**os.environ, **(env or {})}, cwd=cwd)
        ok = proc.returncode == want and (out is None or out == proc.stdout) and (err is None or err in proc.stderr)
        if not ok:
            failures.append(f"meshc registry {' '.join(args)}: exit {proc.returncode} (want {want})\n"
                            f"stdout: {proc.stdout}stderr: {proc.stderr}")
        return proc

    v1, v2, v3 = (os.path.join(contracts, v) for v in ("v1", "v2", "v3"))
    run("check", v1, "--registry", url, out="shop.orders-value new\n")
    first = run("push", v1, "--registry", url + "/").stdout
    if not first.startswith("shop.orders-value ") or not first.endswith(" 1\n"):
        failures.append(f"push printed {first!r}")
    run("push", v1, "--registry", url, out=first)  # again: the same id and version
    with tempfile.TemporaryDirectory() as out:
        subprocess.run([meshc, "build", v1, "--target", "avro", "-o", out], check=True, capture_output=True)
        avsc = open(os.path.join(out, "avro", "shop.orders.Order.avsc")).read().rstrip("\n")
    status, latest = call(url, "GET", "/subjects/shop.orders-value/versions/latest")
    if status != 200 or latest.get("schema") != avsc:
        failures.append(f"the registered schema is not the avro target's: {latest}")
    run("check", v2, env={"MESH_SCHEMA_REGISTRY_URL": url}, out="shop.orders-value compatible\n")
    run("check", v3, "--registry", url, want=1, out="shop.orders-value incompatible\n",
        err="READER_FIELD_MISSING_DEFAULT_VALUE")
    run("push", v3, "--registry", url, want=1, err="refused by the schema registry")
    with tempfile.TemporaryDirectory() as ws:
        with open(os.path.join(ws, "mesh.yaml"), "w") as f:
            f.write(f"version: 1\ncontracts: [{v2}]\nregistry: {url}\n")
        second = run("push", cwd=ws).stdout
        if not second.startswith("shop.orders-value ") or not second.endswith(" 2\n"):
            failures.append(f"push of v2 from mesh.yaml printed {second!r}")
    strategies = run("push", os.path.join(contracts, "strategies"), "--registry", url).stdout.split("\n")
    subjects = [line.split(" ")[0] for line in strategies if line]
    if subjects != ["shop.events.Click", "shop.views-shop.events.View"]:
        failures.append(f"the naming strategies gave the subjects {subjects}")
    run("push", v1, want=2, env={"MESH_SCHEMA_REGISTRY_URL": ""}, err="no schema registry")
    run("push", v1, "--registry", "ftp://example", want=2, err="is not http:// or https://")
    run("check", v1, "--registry", "http://127.0.0.1:9", want=2, err="did not answer")
    run("pull", v1, "--registry", url, want=2, err="push or check")
    return failures


def main(devkafka, meshc):
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
        failures += corpus_failures + hostile_failures + meshc_registry(meshc, url)
        print(f"registry_test: clients: {clients.stdout.strip()}; {pairs} corpus pairs; {checks} hostile requests")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=30)
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit("usage: registry_test.py MESH_DEVKAFKA MESHC")
    sys.exit(main(os.path.abspath(sys.argv[1]), os.path.abspath(sys.argv[2])))

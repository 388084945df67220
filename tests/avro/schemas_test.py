#!/usr/bin/env python3
"""schemas_test.py MESHC: the avro target's schemas read by two Avro peers.

meshc builds tests/avro/contracts with `--target avro`; then
- Debian's python3-avro and npm's avsc each parse every .avsc (avsc also
  checks every default against its field's type);
- both fill in the defaults of avro.types.Defaults by Avro's schema
  resolution (a writer with no fields, read with the generated schema as the
  reader), and the values must be what the contract says, worked out here
  from its source text (decimals as two's complement bytes, timestamps in
  microseconds, dates in days, durations in microseconds).

python3-avro 1.11 reads a bytes default's code points as UTF-8 rather than
as the bytes 0-255 the Avro specification (and avsc, Java, C#) read, so its
bytes are taken back through UTF-8 before they are compared (docs/avro.md).
Exit 0 when all agree.
"""
import base64
import datetime
import glob
import io
import json
import os
import subprocess
import sys
import tempfile

import avro.io
import avro.schema

HERE = os.path.dirname(os.path.abspath(__file__))


def decimal_bytes(unscaled):
    length = 1
    while True:
        try:
            return unscaled.to_bytes(length, "big", signed=True)
        except OverflowError:
            length += 1


def expected_defaults():
    epoch = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
    at = datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.timezone.utc)
    return {
        "flag": True, "small": -7, "big": 4000000000123, "ratio": 0.5, "real": -2.25,
        "price": decimal_bytes(1250), "neg": decimal_bytes(-1005), "name": "h\u00e9llo",
        "blob": base64.b64decode("AP8Q"), "at": (at - epoch) // datetime.timedelta(microseconds=1),
        "day": (datetime.date(2026, 3, 31) - datetime.date(1970, 1, 1)).days, "wait": 90 * 60 * 10**6,
        "id": "123e4567-e89b-12d3-a456-426614174000", "mode": "SEA", "names": ["a", "b"],
        "counts": {"x": 1, "y": 2}, "none": [], "opt": 5, "opt_null": None, "absent": None,
    }


def python_defaults(path):
    reader = avro.schema.parse(open(path).read())
    writer = avro.schema.parse(json.dumps({"type": "record", "name": reader.fullname, "fields": []}))
    value = avro.io.DatumReader(writer, reader).read(avro.io.BinaryDecoder(io.BytesIO(b"")))
    # python3-avro's reading of bytes defaults (see above):
    return {k: v.decode("utf-8").encode("latin-1") if isinstance(v, bytes) else v for k, v in value.items()}


def avsc(*args):
    return subprocess.run(["node", os.path.join(HERE, "avsc_read.js"), *args], capture_output=True, text=True)


def avsc_defaults(path):
    run = avsc("defaults", path)
    if run.returncode != 0:
        raise SystemExit(f"avsc could not fill in the defaults of {path}:\n{run.stderr}")
    value = json.loads(run.stdout)
    return {k: bytes.fromhex(v["hex"]) if isinstance(v, dict) and "hex" in v else v for k, v in value.items()}


def main(meshc):
    failures = []
    with tempfile.TemporaryDirectory() as out:
        build = subprocess.run([meshc, "build", os.path.join(HERE, "contracts"), "--target", "avro", "-o", out],
                               capture_output=True, text=True)
        if build.returncode != 0:
            raise SystemExit(f"meshc build --target avro failed:\n{build.stderr}")
        files = sorted(glob.glob(os.path.join(out, "avro", "*.avsc")))
        if len(files) < 7:
            raise SystemExit(f"expected the schemas of 7 records and unions, got {files}")
        for f in files:
            try:
                avro.schema.parse(open(f).read())
            except Exception as e:  # any refusal of python3-avro's
                failures.append(f"python3-avro refused {os.path.basename(f)}: {e}")
        parsed = avsc("parse", *files)
        failures += [line for line in parsed.stdout.splitlines() if not line.startswith("ok ")]
        defaults = os.path.join(out, "avro", "avro.types.Defaults.avsc")
        want = expected_defaults()
        for peer, got in (("python3-avro", python_defaults(defaults)), ("avsc", avsc_defaults(defaults))):
            for key, value in want.items():
                if got.get(key) != value:
                    failures.append(f"{peer}: default of {key} is {got.get(key)!r}, expected {value!r}")
            if set(got) != set(want):
                failures.append(f"{peer}: fields {sorted(set(got) ^ set(want))} differ")
        print(f"schemas_test: {len(files)} schemas read by python3-avro and avsc, "
              f"{len(want)} defaults filled in by both")
    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: schemas_test.py MESHC")
    sys.exit(main(sys.argv[1]))

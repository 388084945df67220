"""json-values.test: the defaults a JSON Schema and a product's manifest give
a record's fields must be the same JSON; prints them as two messages (the
schema's, the manifest's) for `meshc validate`, each with every field the
schema pins to a const, and fails where the two outputs disagree."""
import json
import sys

schema = json.load(open(sys.argv[1]))
manifest = json.load(open(sys.argv[2]))

from_schema = {name: s["default"] for name, s in schema["properties"].items() if "default" in s}
from_manifest = {f["name"]: f["default"] for f in manifest["schema"]["fields"] if "default" in f}
if from_schema != from_manifest:
    sys.exit(f"the defaults differ:\n  schema   {from_schema}\n  manifest {from_manifest}")
if not from_schema:
    sys.exit("no defaults: nothing was compared")

consts = {}
for name, s in schema["properties"].items():
    for part in s.get("allOf", []):
        if "const" in part:
            consts[name] = part["const"]
if not consts:
    sys.exit("no const: nothing was compared")

for defaults in (from_schema, from_manifest):
    message = {"id": "p-1", **defaults, **consts}
    print(json.dumps(message))

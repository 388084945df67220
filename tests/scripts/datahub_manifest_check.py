#!/usr/bin/python3
"""Checks the manifest target against DataHub's aspect shapes and the sources.

Usage: datahub_manifest_check.py MESHC OUT_DIR [--include DIR]... PATH...

Builds PATH... with `meshc build --target manifest` into OUT_DIR, then checks:

1. every metadata change proposal under "datahub", field by field, against
   the shapes of DataHub's Pegasus models (metadata-models/src/main/pegasus/
   com/linkedin/...: dataset/DatasetProperties.pdl, schema/SchemaMetadata.pdl,
   SchemaMetadataKey.pdl, SchemaField.pdl, SchemaFieldDataType.pdl,
   KafkaSchema.pdl, ArrayType.pdl, MapType.pdl, common/Ownership.pdl,
   Owner.pdl, OwnershipType.pdl, GlobalTags.pdl, AuditStamp.pdl,
   dataset/UpstreamLineage.pdl, Upstream.pdl, DatasetLineageType.pdl) and
   the MCP file form of DataHub's `file` source; unknown keys are errors;
2. the v2 field paths (docs/advanced/field-path-spec-v2.md): the grammar,
   uniqueness, a parent for every nested field, and that stripping the
   bracket tokens gives the manifest's own field paths;
3. lineage computed independently from the .mesh sources (a small reader of
   `package`, `import`, `domain`, `product`, `schema`, `topic` and
   `upstream`): catalog.json's edges, each manifest's `upstream` and its
   upstreamLineage aspect (dataset URNs of the upstream topics, COPY exactly
   when both products share a record), the owners' corpGroup URNs, and the
   edges `meshc graph` prints.

Prints what it checked and exits 1 with every problem found.
"""
import json
import pathlib
import re
import subprocess
import sys
import urllib.parse

problems = []


def problem(where, text):
    problems.append(f"{where}: {text}")


# ---------------------------------------------------------------- DataHub shapes

DATASET_URN = re.compile(r"^urn:li:dataset:\(urn:li:dataPlatform:kafka,([A-Za-z0-9._-]{1,249}),PROD\)$")
TAG_URN = re.compile(r"^urn:li:tag:[^\s(),]+$")
ACTOR_URN = re.compile(r"^urn:li:corpuser:[^\s(),]+$")
OWNER_URN = re.compile(r"^urn:li:(corpuser|corpGroup):([^\s(),]+)$")
OWNERSHIP_TYPE_URN = re.compile(r"^urn:li:ownershipType:[^\s(),]+$")

ASPECTS = {"datasetProperties", "schemaMetadata", "ownership", "globalTags", "upstreamLineage"}
# OwnershipType.pdl: the current values; DEVELOPER, DATAOWNER, DELEGATE,
# PRODUCER, CONSUMER, STAKEHOLDER are @deprecated ("Use TECHNICAL_OWNER").
OWNERSHIP_TYPES = {"TECHNICAL_OWNER", "BUSINESS_OWNER", "DATA_STEWARD", "NONE", "CUSTOM"}
LINEAGE_TYPES = {"COPY", "TRANSFORMED", "VIEW"}  # DatasetLineageType.pdl
# SchemaFieldDataType.pdl's union, and SchemaMetadata.pdl's platformSchema union.
DATA_TYPES = {"BooleanType", "FixedType", "StringType", "BytesType", "NumberType", "DateType", "TimeType",
              "EnumType", "NullType", "MapType", "ArrayType", "UnionType", "RecordType"}
PLATFORM_SCHEMAS = {"EspressoSchema", "OracleDDL", "MySqlDDL", "PrestoDDL", "KafkaSchema", "BinaryJsonSchema",
                    "OrcSchema", "Schemaless", "KeyValueSchema", "OtherSchema"}


def keys(where, obj, required, optional=()):
    if not isinstance(obj, dict):
        problem(where, f"expected an object, got {type(obj).__name__}")
        return False
    for k in required:
        if k not in obj:
            problem(where, f"missing required '{k}'")
    for k in obj:
        if k not in required and k not in optional:
            problem(where, f"'{k}' is not a field of this DataHub record")
    return True


def is_type(where, value, kind):
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        problem(where, f"expected {kind.__name__}, got {json.dumps(value)[:60]}")
        return False
    return True


def audit_stamp(where, stamp):
    if keys(where, stamp, ["time", "actor"], ["impersonator", "message"]):
        is_type(where + ".time", stamp.get("time"), int)
        if not ACTOR_URN.match(str(stamp.get("actor"))):
            problem(where + ".actor", f"not a corpuser URN: {stamp.get('actor')}")


def global_tags(where, tags):
    if keys(where, tags, ["tags"]) and is_type(where + ".tags", tags["tags"], list):
        for i, t in enumerate(tags["tags"]):
            if keys(f"{where}.tags[{i}]", t, ["tag"], ["context", "attribution"]) and not TAG_URN.match(str(t["tag"])):
                problem(f"{where}.tags[{i}]", f"not a tag URN: {t['tag']}")


def data_type(where, t):
    if not keys(where, t, ["type"]) or not isinstance(t["type"], dict) or len(t["type"]) != 1:
        problem(where, "a SchemaFieldDataType holds exactly one member of its type union")
        return None
    (member, body), = t["type"].items()
    name = member.removeprefix("com.linkedin.schema.")
    if not member.startswith("com.linkedin.schema.") or name not in DATA_TYPES:
        problem(where, f"'{member}' is not in SchemaFieldDataType's union")
        return None
    if name == "ArrayType":
        if keys(where + ".ArrayType", body, [], ["nestedType"]) and "nestedType" in body:
            if not isinstance(body["nestedType"], list) or not all(isinstance(x, str) for x in body["nestedType"]):
                problem(where, "ArrayType.nestedType is an array of strings")
    elif name == "MapType":
        if keys(where + ".MapType", body, [], ["keyType", "valueType"]):
            for k in body:
                is_type(f"{where}.MapType.{k}", body[k], str)
    elif name == "EnumType":
        keys(where + ".EnumType", body, [], ["symbols"])
    elif name == "UnionType":  # UnionType.pdl: nestedTypes, optional array[string]
        if keys(where + ".UnionType", body, [], ["nestedTypes"]) and "nestedTypes" in body:
            if not isinstance(body["nestedTypes"], list) or not all(isinstance(x, str) for x in body["nestedTypes"]):
                problem(where, "UnionType.nestedTypes is an array of strings")
    else:
        keys(f"{where}.{name}", body, [])
    return name


def schema_field(where, f):
    keys(where, f, ["fieldPath", "type", "nativeDataType"],
         ["jsonPath", "nullable", "description", "label", "created", "lastModified", "recursive", "globalTags",
          "glossaryTerms", "isPartOfKey", "isPartitioningKey", "jsonProps"])
    is_type(where + ".fieldPath", f.get("fieldPath"), str)
    is_type(where + ".nativeDataType", f.get("nativeDataType"), str)
    for b in ("nullable", "recursive", "isPartOfKey"):
        if b in f:
            is_type(f"{where}.{b}", f[b], bool)
    if "description" in f:
        is_type(where + ".description", f["description"], str)
    if "globalTags" in f:
        global_tags(where + ".globalTags", f["globalTags"])
    return data_type(where + ".type", f.get("type", {}))


def check_mcp(where, mcp, topic):
    if not keys(where, mcp, ["entityType", "entityUrn", "changeType", "aspectName", "aspect"]):
        return None, None
    if mcp["entityType"] != "dataset":
        problem(where, f"entityType is {mcp['entityType']!r}, not 'dataset'")
    m = DATASET_URN.match(mcp["entityUrn"])
    if not m:
        problem(where, f"not a Kafka dataset URN: {mcp['entityUrn']}")
    elif m.group(1) != topic:
        problem(where, f"dataset URN names topic {m.group(1)!r}, the product's topic is {topic!r}")
    if mcp["changeType"] != "UPSERT":
        problem(where, f"changeType {mcp['changeType']!r}")
    if mcp["aspectName"] not in ASPECTS:
        problem(where, f"unexpected aspect {mcp['aspectName']!r}")
    if not keys(where + ".aspect", mcp["aspect"], ["json"]):
        return mcp["aspectName"], None
    return mcp["aspectName"], mcp["aspect"]["json"]


# ---------------------------------------------------------------- the sources, read independently

def strip_comments(text):
    out, i, n = [], 0, len(text)
    while i < n:
        if text.startswith("//", i):
            while i < n and text[i] != "\n":
                i += 1
        elif text.startswith("/*", i):
            j = text.find("*/", i + 2)
            i = n if j < 0 else j + 2
        elif text[i] == '"' or text.startswith('r"', i):
            raw = text[i] == "r"
            j = i + (2 if raw else 1)
            while j < n and text[j] != '"':
                j += 2 if (not raw and text[j] == "\\") else 1
            out.append(text[i:j + 1])
            i = j + 1
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


def unquote(s):
    return re.sub(r"\\(.)", lambda m: {"n": "\n", "t": "\t"}.get(m.group(1), m.group(1)), s)


def block(text, start):
    """The text between the brace at or after `start` and its match."""
    i = text.index("{", start)
    depth, j = 0, i
    while True:
        c = text[j]
        if c == '"':
            j += 1
            while text[j] != '"':
                j += 2 if text[j] == "\\" else 1
        elif c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth == 0:
                return text[i + 1:j]
        j += 1


class Sources:
    def __init__(self, roots):
        self.files = []
        for root in roots:
            p = pathlib.Path(root)
            self.files += [p] if p.is_file() else sorted(p.rglob("*.mesh"))
        self.products, self.domains = {}, {}
        for f in self.files:
            self.read(f)

    def read(self, path):
        text = strip_comments(path.read_text(encoding="utf-8"))
        package = re.search(r"\bpackage\s+([\w.]+)\s*;", text).group(1)
        aliases = {}
        for m in re.finditer(r"\bimport\s+([\w.]+)(?:\s+as\s+(\w+))?\s*;", text):
            aliases[m.group(2) or m.group(1).split(".")[-1]] = m.group(1)
        scope = {"package": package, "aliases": aliases}
        for m in re.finditer(r"(?m)^\s*domain\s+(\w+)\s*\{", text):
            body = block(text, m.start())
            owner = re.search(r'\bowner\s+"((?:[^"\\]|\\.)*)"', body)
            self.domains[f"{package}.{m.group(1)}"] = unquote(owner.group(1)) if owner else ""
        for m in re.finditer(r"(?m)^\s*product\s+(\w+)\s*\{", text):
            body = block(text, m.start())
            up = re.search(r"\bupstream\s*\[([^\]]*)\]", body)
            self.products[f"{package}.{m.group(1)}"] = {
                "scope": scope,
                "domain": re.search(r"\bdomain\s+([\w.]+)\s*;", body).group(1),
                "schema": re.search(r"\bschema\s+([\w.]+)\s*;", body).group(1),
                "topic": re.search(r'\btopic\s+"([^"]*)"', body).group(1),
                "upstream": [u.strip() for u in up.group(1).split(",") if u.strip()] if up else [],
            }

    def resolve(self, name, scope, table):
        """Own package, then an alias prefix, then fully qualified, then imports."""
        candidates = [f"{scope['package']}.{name}"]
        head, _, rest = name.partition(".")
        if rest and head in scope["aliases"]:
            candidates.append(f"{scope['aliases'][head]}.{rest}")
        candidates.append(name)
        candidates += [f"{pkg}.{name}" for pkg in scope["aliases"].values()]
        for c in candidates:
            if c in table:
                return c
        return None

    def edges(self):
        out = set()
        for q, p in self.products.items():
            for u in p["upstream"]:
                r = self.resolve(u, p["scope"], self.products)
                if r is None:
                    problem("sources", f"cannot resolve upstream {u!r} of {q}")
                else:
                    out.add((r, q))
        return out

    def schema_of(self, q):
        p = self.products[q]
        head, _, rest = p["schema"].partition(".")
        if rest and head in p["scope"]["aliases"]:
            return f"{p['scope']['aliases'][head]}.{rest}"
        return p["schema"] if "." in p["schema"] else f"{p['scope']['package']}.{p['schema']}"

    def owner_of(self, q):
        p = self.products[q]
        return self.domains.get(self.resolve(p["domain"], p["scope"], self.domains), "")


# ---------------------------------------------------------------- the checks

V2_TOKEN = re.compile(r"\[type=[A-Za-z_][A-Za-z0-9_]*\]")


def schema_name(manifest):
    """The record's, or a union schema's (docs/manifest.md), qualified name."""
    return manifest["schema"].get("record") or manifest["schema"].get("union", "")


def v2_prefix(manifest, field):
    """A record schema's fields start with its record; a union schema's with
    `[type=union]` and their case's record, as DataHub writes union members."""
    if manifest["schema"].get("union"):
        return f"[version=2.0].[type=union].[type={field.get('case_record', '').split('.')[-1]}]."
    return f"[version=2.0].[type={manifest['schema']['record'].split('.')[-1]}]."


def check_field_paths(where, manifest, fields):
    paths = [f.get("fieldPath", "") for f in fields]
    if len(set(paths)) != len(paths):
        problem(where, "field paths are not unique")
    own = [f["path"].replace("[]", "") for f in manifest["schema"]["fields"]]
    v1 = []
    for p, own_field in zip(paths, manifest["schema"]["fields"]):
        prefix = v2_prefix(manifest, own_field)
        if not p.startswith(prefix):
            problem(where, f"{p!r} does not start with {prefix!r}")
            continue
        rest = p[len(prefix):]
        # rest: ([type=T].)+ name (.([type=T].)+ name)*
        if not re.fullmatch(r"(?:(?:\[type=[A-Za-z_]\w*\]\.)+[A-Za-z_]\w*)(?:\.(?:\[type=[A-Za-z_]\w*\]\.)+[A-Za-z_]\w*)*", rest):
            problem(where, f"{p!r} is not a v2 path of typed tokens and names")
        v1.append(re.sub(r"\[[^\]]*\]\.", "", rest))
        # One segment per level: its type tokens and its name; the field of
        # the level above must be listed too (DataHub nests fields by it).
        segments = ["".join(s) for s in re.findall(r"((?:\[type=\w+\]\.)+)(\w+)", rest)]
        if len(segments) > 1:
            parent = prefix + ".".join(segments[:-1])
            if parent not in paths:
                problem(where, f"{p!r} has no parent field {parent!r}")
    if v1 != own:
        problem(where, f"v1 paths {v1} differ from the manifest's fields {own}")


def expected_class(field):
    t = field["type"].rstrip("?")
    table = {"bool": "BooleanType", "string": "StringType", "uuid": "StringType", "duration": "StringType",
             "bytes": "BytesType", "timestamp": "TimeType", "date": "DateType", "json": "UnionType"}
    if t in table:
        return {table[t]}
    if t in ("int32", "int64", "float32", "float64") or t.startswith("decimal("):
        return {"NumberType"}
    if t.startswith("list<"):
        return {"ArrayType"}
    if t.startswith("map<"):
        return {"MapType"}
    if "values" in field:
        return {"EnumType"}
    # A record or a named refinement: the manifest does not say which.
    return {"RecordType", "StringType", "NumberType", "BooleanType", "BytesType", "TimeType", "DateType",
            "UnionType"}


def tag_urns(tags):
    out = []
    for t in tags:
        name = t["name"].split(".")[-1]
        args = t["args"]
        if len(args) == 1:
            name += ":" + str(next(iter(args.values())))
        else:
            name += "".join(f":{k}={v}" for k, v in args.items())
        urn = "urn:li:tag:" + urllib.parse.quote(name, safe=":=._-")
        if urn not in out:
            out.append(urn)
    return out


def check_manifest(path, manifest, sources, catalog_entry):
    where = path.name
    q = manifest["qualified_name"]
    topic = manifest["topic"]["name"]
    src = sources.products.get(q)
    if src is None:
        problem(where, f"{q} is not a product of the sources")
        return
    if topic != src["topic"]:
        problem(where, f"topic {topic!r}, the source says {src['topic']!r}")
    if manifest["policies"] is None or not isinstance(manifest["policies"], list):
        problem(where, "'policies' is not a list")
    aspects = {}
    for i, mcp in enumerate(manifest["datahub"]):
        name, aspect = check_mcp(f"{where}: datahub[{i}]", mcp, topic)
        if name in aspects:
            problem(where, f"aspect {name} proposed twice")
        aspects[name] = aspect
    for required in ("datasetProperties", "schemaMetadata", "ownership"):
        if required not in aspects:
            problem(where, f"no {required} aspect")

    if (props := aspects.get("datasetProperties")) is not None:
        w = f"{where}: datasetProperties"
        keys(w, props, [], ["customProperties", "externalUrl", "name", "qualifiedName", "description", "uri", "tags",
                            "created", "lastModified"])
        for k, v in props.get("customProperties", {}).items():
            if not isinstance(v, str):
                problem(w, f"customProperties[{k!r}] is not a string")
        if props.get("qualifiedName") != q:
            problem(w, f"qualifiedName {props.get('qualifiedName')!r}")

    if (schema := aspects.get("schemaMetadata")) is not None:
        w = f"{where}: schemaMetadata"
        keys(w, schema, ["schemaName", "platform", "version", "hash", "platformSchema", "fields"],
             ["created", "lastModified", "deleted", "dataset", "cluster", "primaryKeys", "foreignKeysSpecs",
              "foreignKeys", "systemMetadata"])
        if not 1 <= len(schema.get("schemaName", "")) <= 500:
            problem(w, "schemaName must have 1 to 500 characters")
        if schema.get("platform") != "urn:li:dataPlatform:kafka":
            problem(w, f"platform {schema.get('platform')!r}")
        is_type(w + ".version", schema.get("version"), int)
        is_type(w + ".hash", schema.get("hash"), str)
        for stamp in ("created", "lastModified"):
            if stamp in schema:
                audit_stamp(f"{w}.{stamp}", schema[stamp])
        ps = schema.get("platformSchema", {})
        if len(ps) != 1 or next(iter(ps)).removeprefix("com.linkedin.schema.") not in PLATFORM_SCHEMAS:
            problem(w, f"platformSchema is not one member of its union: {list(ps)}")
        elif "com.linkedin.schema.KafkaSchema" in ps:
            ks = ps["com.linkedin.schema.KafkaSchema"]
            keys(w + ".KafkaSchema", ks, ["documentSchema", "documentSchemaType"], ["keySchema", "keySchemaType"])
            if ks.get("documentSchemaType") != "JSON":
                problem(w, "documentSchemaType of a JSON topic is JSON")
            try:
                doc = json.loads(ks.get("documentSchema", ""))
                if doc.get("title") != schema_name(manifest):
                    problem(w, "documentSchema is not the schema's JSON Schema")
            except json.JSONDecodeError as e:
                problem(w, f"documentSchema is not JSON: {e}")
        fields = schema.get("fields", [])
        if len(fields) != len(manifest["schema"]["fields"]):
            problem(w, f"{len(fields)} SchemaFields for {len(manifest['schema']['fields'])} manifest fields")
        for i, (f, mf) in enumerate(zip(fields, manifest["schema"]["fields"])):
            fw = f"{w}.fields[{i}]"
            cls = schema_field(fw, f)
            if cls and cls not in expected_class(mf):
                problem(fw, f"{cls} for a field of type {mf['type']}")
            # Nullable: absent or null (`T?`), or null as a value (`T | null`, required).
            takes_null = mf["optional"] or "null" in mf["type"].rstrip("?").split(" | ")
            if f.get("nullable") != takes_null:
                problem(fw, f"nullable {f.get('nullable')} for a field of type {mf['type']}")
            if f.get("nativeDataType") != mf["type"].rstrip("?"):
                problem(fw, f"nativeDataType {f.get('nativeDataType')!r} for {mf['type']!r}")
            if f.get("globalTags", {"tags": []})["tags"] != [{"tag": u} for u in tag_urns(mf["tags"])]:
                problem(fw, f"field tags {f.get('globalTags')} for {mf['tags']}")
        check_field_paths(w, manifest, fields)

    if (own := aspects.get("ownership")) is not None:
        w = f"{where}: ownership"
        if keys(w, own, ["owners"], ["lastModified", "ownerTypes"]):
            if "lastModified" in own:
                audit_stamp(w + ".lastModified", own["lastModified"])
            for i, o in enumerate(own["owners"]):
                ow = f"{w}.owners[{i}]"
                keys(ow, o, ["owner", "type"], ["typeUrn", "source", "attributes"])
                m = OWNER_URN.match(o.get("owner", ""))
                if not m:
                    problem(ow, f"not a corpuser or corpGroup URN: {o.get('owner')}")
                elif urllib.parse.unquote(m.group(2)) != sources.owner_of(q):
                    problem(ow, f"owner {urllib.parse.unquote(m.group(2))!r}, the domain says {sources.owner_of(q)!r}")
                if o.get("type") not in OWNERSHIP_TYPES:
                    problem(ow, f"ownership type {o.get('type')!r} is not a current OwnershipType")
                if "typeUrn" in o and not OWNERSHIP_TYPE_URN.match(o["typeUrn"]):
                    problem(ow, f"typeUrn {o['typeUrn']!r}")

    if (tags := aspects.get("globalTags")) is not None:
        global_tags(f"{where}: globalTags", tags)
        if [t["tag"] for t in tags.get("tags", [])] != tag_urns(manifest["tags"]):
            problem(where, "globalTags differ from the product's tags")
    elif manifest["tags"]:
        problem(where, "a product with tags has no globalTags aspect")

    # Upstream lineage, from the sources.
    want = sorted(sources.resolve(u, src["scope"], sources.products) or u for u in src["upstream"])
    if sorted(u["product"] for u in manifest["upstream"]) != want:
        problem(where, f"upstream {[u['product'] for u in manifest['upstream']]}, the sources say {want}")
    lineage = aspects.get("upstreamLineage")
    if want and lineage is None:
        problem(where, "upstream products but no upstreamLineage aspect")
    if lineage is not None:
        w = f"{where}: upstreamLineage"
        keys(w, lineage, ["upstreams"], ["fineGrainedLineages"])
        expected = {}
        for u in want:
            urn = f"urn:li:dataset:(urn:li:dataPlatform:kafka,{sources.products[u]['topic']},PROD)"
            expected[urn] = "COPY" if sources.schema_of(u) == sources.schema_of(q) else "TRANSFORMED"
        got = {}
        for i, u in enumerate(lineage.get("upstreams", [])):
            uw = f"{w}.upstreams[{i}]"
            keys(uw, u, ["dataset", "type"], ["auditStamp", "created", "properties", "query"])
            if "auditStamp" in u:
                audit_stamp(uw + ".auditStamp", u["auditStamp"])
            if not DATASET_URN.match(u.get("dataset", "")):
                problem(uw, f"not a Kafka dataset URN: {u.get('dataset')}")
            if u.get("type") not in LINEAGE_TYPES:
                problem(uw, f"lineage type {u.get('type')!r}")
            got[u.get("dataset")] = u.get("type")
        if got != expected:
            problem(w, f"upstreams {got}, the sources say {expected}")

    if catalog_entry is None:
        problem(where, "not listed in catalog.json")
    elif catalog_entry["manifest"] != path.name or catalog_entry["topic"] != topic:
        problem(where, f"catalog.json lists it as {catalog_entry}")


def dot_edges(text):
    return set(re.findall(r'^\s*"([^"]+)" -> "([^"]+)";$', text, re.M))


def aspect_of(manifest, name):
    return next(m["aspect"]["json"] for m in manifest["datahub"] if m["aspectName"] == name)


# Each a wrong manifest the checks must refuse, so they cannot pass vacuously.
MUTATIONS = {
    "dataset URN of another topic": lambda m: m["datahub"][0].update(
        entityUrn="urn:li:dataset:(urn:li:dataPlatform:kafka,elsewhere,PROD)"),
    "unknown SchemaField key": lambda m: aspect_of(m, "schemaMetadata")["fields"][0].update(extra=1),
    "type outside the union": lambda m: aspect_of(m, "schemaMetadata")["fields"][0].update(
        type={"type": {"com.linkedin.schema.StrType": {}}}),
    "v1 field path": lambda m: aspect_of(m, "schemaMetadata")["fields"][0].update(fieldPath="x"),
    "deprecated ownership type": lambda m: aspect_of(m, "ownership")["owners"][0].update(type="DATAOWNER"),
    "owner of another team": lambda m: aspect_of(m, "ownership")["owners"][0].update(owner="urn:li:corpGroup:x"),
    "upstream dropped": lambda m: m.update(upstream=[]),
    "lineage type flipped": lambda m: [u.update(type="VIEW") for u in aspect_of(m, "upstreamLineage")["upstreams"]],
}


def self_test(manifests, sources, listed):
    """Every mutation of a manifest with upstreams must be reported."""
    target = next((p for p in manifests if json.loads(p.read_text())["upstream"]), None)
    if target is None:
        return
    for label, mutate in MUTATIONS.items():
        manifest = json.loads(target.read_text())
        mutate(manifest)
        before = len(problems)
        check_manifest(target, manifest, sources, listed.get(manifest["qualified_name"]))
        caught = len(problems) > before
        del problems[before:]
        if not caught:
            problem("self-test", f"a manifest with '{label}' passed the checks")
    print(f"self-test: {len(MUTATIONS)} wrong manifests, each refused")


def main():
    meshc, out = sys.argv[1], pathlib.Path(sys.argv[2])
    args = sys.argv[3:]
    includes, paths = [], []
    it = iter(args)
    for a in it:
        if a == "--include":
            includes.append(next(it))
        else:
            paths.append(a)
    inc = [x for d in includes for x in ("--include", d)]
    subprocess.run([meshc, "build", *paths, *inc, "-o", str(out), "--target", "manifest"], check=True)
    graph = subprocess.run([meshc, "graph", *paths, *inc], check=True, capture_output=True, text=True).stdout

    sources = Sources(paths + includes)
    input_products = set(Sources(paths).products)
    edges = {(u, d) for (u, d) in sources.edges() if d in input_products}

    catalog = json.loads((out / "manifest" / "catalog.json").read_text())
    listed = {p["name"]: p for p in catalog["products"]}
    if set(listed) != input_products:
        problem("catalog.json", f"products {sorted(listed)}, the sources declare {sorted(input_products)}")
    catalog_edges = {(e["upstream"], e["downstream"]) for e in catalog["lineage"]["edges"]}
    if catalog_edges != edges:
        problem("catalog.json", f"lineage edges {sorted(catalog_edges)}, the sources declare {sorted(edges)}")
    nodes = {n["product"]: n for n in catalog["lineage"]["nodes"]}
    want_nodes = input_products | {u for u, _ in edges}
    if set(nodes) != want_nodes:
        problem("catalog.json", f"lineage nodes {sorted(nodes)}, expected {sorted(want_nodes)}")
    for name, n in nodes.items():
        if n["external"] != (name not in input_products):
            problem("catalog.json", f"{name} external={n['external']}")
        if name in sources.products and n["topic"] != sources.products[name]["topic"]:
            problem("catalog.json", f"{name} topic {n['topic']!r}")
    if dot_edges(graph) != edges:
        problem("meshc graph", f"edges {sorted(dot_edges(graph))}, the sources declare {sorted(edges)}")

    manifests = sorted(p for p in (out / "manifest").glob("*.json") if p.name != "catalog.json")
    for path in manifests:
        manifest = json.loads(path.read_text())
        if not manifest.get("$comment", "").startswith("Generated by meshc"):
            problem(path.name, "no generator stamp first")
        check_manifest(path, manifest, sources, listed.get(manifest["qualified_name"]))
    if len(manifests) != len(input_products):
        problem("manifest/", f"{len(manifests)} manifests for {len(input_products)} products")
    if not problems:
        self_test(manifests, sources, listed)

    for p in problems:
        print("FAIL", p)
    print(f"checked {len(manifests)} manifests, {len(edges)} lineage edges: {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

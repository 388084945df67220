"""Random (reader, writer) pairs for compat_test.py: a writer's schema, and a
reader made from it by a few of the changes schemas go through (a type
changed or promoted, fields added with or without defaults, removed or
renamed with an alias, symbols added or removed, an enum default, a fixed
resized, a type made optional, union branches added or removed, a record
renamed with or without an alias).

The pairs keep clear of where python3-avro departs from the spec
(docs/avro.md): names are never dotted, aliases are only given in the null
namespace, and an enum-typed field is never removed or renamed (one the writer
lacks is one the reader added, with a default).
Seeded, so every run checks the same pairs.
"""
import copy
import random

PRIMITIVES = ["null", "boolean", "int", "long", "float", "double", "bytes", "string"]
PROMOTIONS = {"int": ["long", "float", "double"], "long": ["float", "double"], "float": ["double"],
              "string": ["bytes"], "bytes": ["string"]}


class Generator:
    def __init__(self, seed):
        self.rng = random.Random(seed)
        self.count = 0

    def name(self, prefix):
        self.count += 1
        return "%s%d" % (prefix, self.count)

    def schema(self, depth=0):
        r = self.rng.random()
        if depth >= 3 or r < 0.35:
            return self.rng.choice(PRIMITIVES)
        if r < 0.45:
            return {"type": "array", "items": self.schema(depth + 1)}
        if r < 0.52:
            return {"type": "map", "values": self.schema(depth + 1)}
        if r < 0.62:
            return {"type": "enum", "name": self.name("E"), "symbols": self.rng.sample("ABCDE", self.rng.randint(1, 4))}
        if r < 0.68:
            return {"type": "fixed", "name": self.name("F"), "size": self.rng.randint(1, 4)}
        if r < 0.8:
            branches = self.rng.sample(PRIMITIVES, self.rng.randint(1, 3))
            if self.rng.random() < 0.5:
                branches.append(self.record(depth + 1))
            return branches
        return self.record(depth + 1)

    def record(self, depth):
        fields = [{"name": "f%d" % i, "type": self.schema(depth)} for i in range(self.rng.randint(0, 4))]
        return {"type": "record", "name": self.name("R"), "fields": fields}

    def default(self, schema):
        """A value of the schema in Avro's JSON encoding (a union's: its first branch)."""
        t = schema if isinstance(schema, str) else ("union" if isinstance(schema, list) else schema["type"])
        simple = {"null": None, "boolean": True, "int": 1, "long": 2, "float": 1.5, "double": 2.5,
                  "bytes": "\u00ff", "string": "s", "array": [], "map": {}}
        if t in simple:
            return simple[t]
        if t == "union":
            return self.default(schema[0])
        if t == "enum":
            return schema["symbols"][0]
        if t == "fixed":
            return "a" * schema["size"]
        return {f["name"]: self.default(f["type"]) for f in schema["fields"]}

    def mutate(self, schema):
        """The schema with one change somewhere in it (a copy)."""
        schema = copy.deepcopy(schema)
        places = []
        self.places(schema, None, None, places)
        holder, key = self.rng.choice(places)
        node = holder[key] if holder is not None else schema
        changed = self.change(node)
        if holder is None:
            schema = changed
        else:
            holder[key] = changed
        self.refresh_defaults(schema)
        return schema

    def refresh_defaults(self, node):
        """Defaults made again for the types as changed (a resized fixed, a
        field added to a record, a type replaced would make them invalid)."""
        if isinstance(node, list):
            for branch in node:
                self.refresh_defaults(branch)
        elif isinstance(node, dict):
            inner = {"array": "items", "map": "values"}.get(node["type"])
            if inner:
                self.refresh_defaults(node[inner])
            for f in node.get("fields", []):
                self.refresh_defaults(f["type"])
                if "default" in f:
                    f["default"] = self.default(f["type"])

    def places(self, node, holder, key, out):
        out.append((holder, key))
        if isinstance(node, list):
            for i, branch in enumerate(node):
                if not isinstance(branch, str):  # a union's branch stays as it is, unless a record
                    self.places(branch, node, i, out)
        elif isinstance(node, dict):
            inner = {"array": "items", "map": "values"}.get(node["type"])
            if inner:
                self.places(node[inner], node, inner, out)
            for f in node.get("fields", []):
                self.places(f["type"], f, "type", out)

    def change(self, node):
        rng = self.rng
        if isinstance(node, str):
            choices = PROMOTIONS.get(node, []) + PRIMITIVES
            if node != "null" and rng.random() < 0.3:
                return ["null", node]
            return rng.choice(choices)
        if isinstance(node, list):
            missing = [p for p in PRIMITIVES if p not in node]
            if missing and rng.random() < 0.5:
                return node + [rng.choice(missing)]
            return node[:-1] if len(node) > 1 else node[0]
        kind = node["type"]
        if kind == "enum":
            return self.change_enum(node)
        if kind == "fixed":
            node["size"] += rng.choice([0, 1])
            return node
        if kind == "record":
            return self.change_record(node)
        return rng.choice(PRIMITIVES)  # an array or map replaced

    def change_enum(self, node):
        r = self.rng.random()
        if r < 0.4:
            node["symbols"] = node["symbols"] + [s for s in "FGH" if s not in node["symbols"]][:1]
        elif r < 0.7 and len(node["symbols"]) > 1:
            node["symbols"] = node["symbols"][:-1]
        else:
            node["default"] = node["symbols"][0]
        return node

    def change_record(self, node):
        rng = self.rng
        r = rng.random()
        fields = node["fields"]
        # Enum-typed fields stay (see the module's docstring).
        movable = [f for f in fields if not (isinstance(f["type"], dict) and f["type"]["type"] == "enum")]
        if r < 0.3:
            field = {"name": self.name("n"), "type": self.schema(2)}
            is_enum = isinstance(field["type"], dict) and field["type"]["type"] == "enum"
            if is_enum or rng.random() < 0.6:
                field["default"] = self.default(field["type"])
            fields.append(field)
        elif r < 0.5 and movable:
            fields.remove(rng.choice(movable))
        elif r < 0.7 and movable:
            field = rng.choice(movable)
            old = field["name"]
            field["name"] = self.name("m")
            if rng.random() < 0.7:
                field["aliases"] = [old]
        elif r < 0.85:
            old = node["name"]
            node["name"] = self.name("S")
            if rng.random() < 0.6:
                node["aliases"] = [old]
        else:
            rng.shuffle(fields)
        return node


def pairs(seed, count):
    gen = Generator(seed)
    out = []
    while len(out) < count:
        writer = gen.schema()
        reader = writer
        for _ in range(gen.rng.randint(1, 3)):
            reader = gen.mutate(reader)
        out.append((reader, writer) if gen.rng.random() < 0.5 else (writer, reader))
    return out

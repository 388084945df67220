#!/usr/bin/env python3
"""corpus.py: seed messages and their mechanical mutants (differential test).

For one target (a record or a product), `build_corpus` reads the hand-written
valid seeds (seeds/<qualified-name>.jsonl) and derives mutants from each: every
field dropped, set to null and retyped; numbers pushed past every bound the
schema states (and the limits of their type); strings made longer, shorter,
empty, re-cased, padded with Unicode spaces and line terminators; the wire
formats (timestamp, date, duration, uuid, bytes, decimal) and the string
formats (email, hostname, ipv4, ipv6, uri, uri-reference, uri-template)
replaced by tricky values; enums
misspelt; lists and maps emptied, grown, given duplicate, null and mistyped
elements; unknown and duplicate keys; and, on the JSON text, broken UTF-8,
byte order marks, lone surrogate escapes, excessive nesting, trailing
garbage and every 7th prefix of the line.

Where the mutation is aimed is read from the exported JSON Schema (which
fields are numbers, their bounds, formats, lengths): the schema steers what is
tried, never what is expected; both validators judge every message.

The output is deterministic: the only randomness is a random.Random seeded
with the target's name and the seed's index.

Run directly to print a target's corpus: corpus.py SCHEMA SEEDS [--kinds]
"""

import copy
import decimal
import json
import math
import random
import struct
import sys
from dataclasses import dataclass

D = decimal.Decimal
decimal.getcontext().prec = 60

# ----------------------------------------------------------------- messages


@dataclass(frozen=True)
class Message:
    kind: str    # "seed" or the mutant kind (run.py's table of deliberate differences is keyed by it)
    detail: str  # where and what, for failure reports
    data: bytes  # one line of JSON Lines, without the newline


class Num:
    """A JSON number kept as its text, so seeds and mutants keep their exact spelling."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text

    def value(self):
        return D(self.text)

    def __eq__(self, other):
        return isinstance(other, Num) and other.text == self.text

    def __repr__(self):
        return self.text


class Raw:
    """Any JSON text written verbatim (a lone surrogate escape, say)."""

    __slots__ = ("text",)

    def __init__(self, text):
        self.text = text


class Dup:
    """An object written with the given (key, value) pairs, duplicates allowed."""

    __slots__ = ("pairs",)

    def __init__(self, pairs):
        self.pairs = pairs


def parse(text):
    """Parses a seed line keeping number spellings and key order."""
    def no_constants(name):
        raise ValueError(f"{name} is not JSON")
    return json.loads(text, parse_int=Num, parse_float=Num, parse_constant=no_constants)


def dumps(v, ascii_only=False):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (Num, Raw)):
        return v.text
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=ascii_only)
    if isinstance(v, dict):
        return "{" + ",".join(dumps(k, ascii_only) + ":" + dumps(x, ascii_only) for k, x in v.items()) + "}"
    if isinstance(v, Dup):
        return "{" + ",".join(dumps(k, ascii_only) + ":" + dumps(x, ascii_only) for k, x in v.pairs) + "}"
    if isinstance(v, list):
        return "[" + ",".join(dumps(x, ascii_only) for x in v) + "]"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError("no JSON for a non-finite float")
        return repr(v)
    raise TypeError(type(v))


def encode(v, ascii_only=False):
    return dumps(v, ascii_only).encode("utf-8")


def num(x):
    """A Num from an int, a Decimal or a float."""
    if isinstance(x, Num):
        return x
    if isinstance(x, bool):
        raise TypeError("bool")
    if isinstance(x, int):
        return Num(str(x))
    if isinstance(x, float):
        return Num(repr(x))
    if isinstance(x, D):
        text = str(x)
        return Num(text)
    raise TypeError(type(x))


def path_text(path):
    out = "$"
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else ("." + step if step.isidentifier() else f"[{json.dumps(step, ensure_ascii=False)}]")
    return out


def get(doc, path):
    for step in path:
        doc = doc[step]
    return doc


def replaced(doc, path, value):
    """A deep copy of doc with the value at path replaced."""
    if not path:
        return value
    out = copy.deepcopy(doc)
    parent = get(out, path[:-1])
    parent[path[-1]] = value
    return out


def edited(doc, path, fn):
    """A deep copy of doc with fn applied (in place) to the container at path."""
    out = copy.deepcopy(doc)
    fn(get(out, path))
    return out


# ------------------------------------------------------------------- schema

UUID_PATTERN_HEAD = "^[0-9a-fA-F]{8}-"
DURATION_PATTERN_HEAD = "^P(?!$)"
FLOAT32_MAX = 3.4028234663852886e38


class Slot:
    """What the schema says is at one place of a message."""

    def __init__(self):
        self.kind = "unknown"    # bool int float decimal string timestamp date duration uuid bytes enum record map list unknown
        self.nullable = False
        self.schema = None       # the (dereferenced, non-null) schema
        self.int64 = False
        self.float32 = False
        self.precision = self.scale = 0
        self.numbers = []        # numeric literals of the constraints (bounds, consts, enums)
        self.lengths = []        # minLength/maxLength/minItems/...
        self.strings = []        # string consts and enums
        self.formats = set()     # email hostname ipv4 ipv6 uri (and date-time/date of the type)
        self.members = []        # enum members
        self.closed = False
        self.properties = {}
        self.required = []


class SchemaInfo:
    def __init__(self, root, linked=None):
        self.root = root
        self.defs = root.get("$defs", {})
        self.linked = linked or {}   # the other records' schemas, by "$id"

    def deref(self, s):
        seen = 0
        while isinstance(s, dict) and "$ref" in s:
            ref = s["$ref"]
            if ref in self.linked:
                s = self.linked[ref]
            elif ref.startswith("#/$defs/"):
                s = self.defs[ref[len("#/$defs/"):]]
            else:
                raise ValueError(f"unexpected $ref {ref}")
            seen += 1
            if seen > 100:
                raise ValueError("$ref loop")
        return s

    def unwrap(self, s):
        """(schema without the null branch, nullable)."""
        s = self.deref(s)
        if isinstance(s, dict) and isinstance(s.get("anyOf"), list) and len(s["anyOf"]) == 2:
            a, b = s["anyOf"]
            if b == {"type": "null"}:
                return self.deref(a), True
            if a == {"type": "null"}:
                return self.deref(b), True
        return s, False

    def child(self, s, step):
        """The schema of member `step` of a value of schema s (None: unknown).
        In a union (`oneOf`), the first alternative that has such a member:
        alternatives differ by JSON kind, so only one is an array or a map,
        and a tagged union's records give the member they declare."""
        if s is None:
            return None
        s, _ = self.unwrap(s)
        if not isinstance(s, dict):
            return None
        if isinstance(s.get("oneOf"), list):
            for branch in s["oneOf"]:
                found = self.child(branch, step)
                if found is not None:
                    return found
            return None
        if isinstance(step, int):
            return s.get("items") if isinstance(s.get("items"), dict) else None
        props = s.get("properties", {})
        if step in props:
            return props[step]
        extra = s.get("additionalProperties")
        return extra if isinstance(extra, dict) else None

    def kinds(self, s):
        """The JSON kinds ("integer" counts as "number") a schema's values take."""
        s, nullable = self.unwrap(s)
        out = {"null"} if nullable else set()
        if not isinstance(s, dict):
            return out
        t = s.get("type")
        for k in (t if isinstance(t, list) else [t] if t else []):
            out.add("number" if k == "integer" else k)
        for key in ("anyOf", "oneOf"):
            for sub in s.get(key, []) if isinstance(s.get(key), list) else []:
                out |= self.kinds(sub)
        return out

    def pick(self, s, value):
        """The alternative of a union (`oneOf`) that a value of this JSON kind
        is read as (meshc picks by kind); s itself when it is no union."""
        u, _ = self.unwrap(s)
        if not isinstance(u, dict) or not isinstance(u.get("oneOf"), list):
            return s
        kind = ("null" if value is None else "boolean" if isinstance(value, bool) else
                "number" if isinstance(value, Num) else "string" if isinstance(value, str) else
                "array" if isinstance(value, list) else "object")
        for branch in u["oneOf"]:
            if kind in self.kinds(branch):
                return self.pick(branch, value)
        return s

    def at(self, path):
        s = self.root
        for step in path:
            s = self.child(s, step)
            if s is None:
                return None
        return s

    def slot(self, s):
        slot = Slot()
        if s is None:
            return slot
        s, slot.nullable = self.unwrap(s)
        slot.schema = s
        if not isinstance(s, dict):
            return slot
        self._collect(s, slot)
        t = s.get("type")
        any_of = s.get("anyOf")
        if t is None and isinstance(any_of, list) and len(any_of) == 2 and \
                any_of[0].get("type") == "number" and any_of[1].get("type") == "string":
            slot.kind = "decimal"
            number = any_of[0]
            slot.scale = max(0, round(-math.log10(number["multipleOf"])))
            slot.precision = round(math.log10(number["exclusiveMaximum"])) + slot.scale
        elif t == "boolean":
            slot.kind = "bool"
        elif t == "integer":
            slot.kind = "int"
            slot.int64 = s.get("maximum", 0) > 2 ** 31
        elif t == "number":
            slot.kind = "float"
            slot.float32 = s.get("maximum") == FLOAT32_MAX
        elif t == "string":
            pattern = s.get("pattern", "")
            if s.get("format") == "date-time":
                slot.kind = "timestamp"
            elif s.get("format") == "date":
                slot.kind = "date"
            elif pattern.startswith(UUID_PATTERN_HEAD):
                slot.kind = "uuid"
            elif pattern.startswith(DURATION_PATTERN_HEAD):
                slot.kind = "duration"
            elif s.get("contentEncoding") == "base64":
                slot.kind = "bytes"
            elif "enum" in s:
                slot.kind = "enum"
                slot.members = list(s["enum"])
            else:
                slot.kind = "string"
        elif t == "array":
            slot.kind = "list"
        elif t == "object":
            if "properties" in s:
                slot.kind = "record"
                slot.properties = s["properties"]
                slot.required = s.get("required", [])
                slot.closed = s.get("additionalProperties") is False
            else:
                slot.kind = "map"
        return slot

    def _collect(self, s, slot):
        """The literals of a schema's own constraints (not of its members)."""
        if not isinstance(s, dict):
            return
        for key in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
            if isinstance(s.get(key), (int, float)) and not isinstance(s.get(key), bool):
                slot.numbers.append(s[key])
        for key in ("minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"):
            if isinstance(s.get(key), int):
                slot.lengths.append(s[key])
        values = []
        if "const" in s:
            values.append(s["const"])
        if isinstance(s.get("enum"), list):
            values.extend(s["enum"])
        for v in values:
            if isinstance(v, str):
                slot.strings.append(v)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                slot.numbers.append(v)
        if isinstance(s.get("format"), str):
            slot.formats.add(s["format"])
        for key in ("allOf", "anyOf", "oneOf"):
            for sub in s.get(key, []) if isinstance(s.get(key), list) else []:
                if isinstance(sub, dict) and "$ref" not in sub:
                    self._collect(sub, slot)
        if isinstance(s.get("not"), dict):
            self._collect(s["not"], slot)

    def sample(self, s, depth=0):
        """Some value of the schema's type (valid or not: both sides judge it)."""
        slot = self.slot(s)
        k = slot.kind
        if k == "bool":
            return True
        if k == "int":
            return Num("1")
        if k == "float":
            return Num("1.5")
        if k == "decimal":
            return "1"
        if k == "string":
            return slot.strings[0] if slot.strings else "a"
        if k == "timestamp":
            return "2026-11-24T10:00:00Z"
        if k == "date":
            return "2026-11-24"
        if k == "duration":
            return "PT5M"
        if k == "uuid":
            return "123e4567-e89b-12d3-a456-426614174000"
        if k == "bytes":
            return "QQ=="
        if k == "enum":
            return slot.members[0]
        if k == "list":
            return []
        if k == "map":
            return {}
        if k == "record":
            if depth > 4:
                return {}
            return {name: self.sample(slot.properties[name], depth + 1) for name in slot.required}
        return Num("0")


# -------------------------------------------------------------- probe lists
# Tricky values of each wire and string format. Both validators judge them;
# many are valid.

TIMESTAMPS = [
    "2026-11-24T10:00:00Z", "2026-11-24t10:00:00z", "2026-11-24T10:00:00.123456789Z",
    "2026-11-24T10:00:00+23:59", "2026-11-24T10:00:00-00:00", "2026-06-30T23:59:60Z",
    "2026-06-30T23:59:60.5Z", "2026-07-01T00:59:60+01:00", "2026-06-30T22:59:60-01:00",
    "2026-07-01T00:00:60+00:01", "2024-02-29T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z",
    "2026-11-24T10:00:00", "2026-11-24 10:00:00Z", "2026-11-24T10:00Z", "2026-11-24T10:00:00+01",
    "2026-11-24T10:00:00+0100", "2026-11-24T10:00:00+24:00", "2026-11-24T10:00:00+01:60",
    "2026-02-30T10:00:00Z", "2025-02-29T00:00:00Z", "2100-02-29T00:00:00Z", "2026-13-01T00:00:00Z",
    "2026-00-10T00:00:00Z", "2026-11-00T00:00:00Z", "2026-11-31T00:00:00Z", "2026-11-24T24:00:00Z",
    "2026-11-24T23:60:00Z", "2026-11-24T23:59:61Z", "2026-11-24T12:00:60Z", "2026-06-30T23:59:60+01:00",
    "2026-06-30T24:59:60+01:00", "2026-06-30T23:60:60+00:01", "2026-01-28T24:59:00+01:00",
    "2026-01-30T23:60:00+00:01", "0000-01-01T00:00:00Z",
    "2026-11-24T10:00:00.Z", "2026-11-24T10:00:00,5Z", "+2026-11-24T10:00:00Z", "20261124T100000Z",
    "2026-11-24T10:00:00Z ", " 2026-11-24T10:00:00Z", "2026-11-24T10:00:00ZZ", "2026-11-24T1:00:00Z",
    "2026-1-24T10:00:00Z", "2026-11-24T10:00:00z\n", "２０２６-11-24T10:00:00Z", "", "Z",
]

DATES = [
    "2026-11-24", "2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31", "2025-02-29", "2100-02-29",
    "2026-02-30", "2026-04-31", "2026-13-01", "2026-00-01", "2026-01-00", "0000-01-01", "2026-1-1",
    "20261124", "2026/11/24", "2026-11-24T00:00:00Z", "2026-11-24 ", "+2026-11-24", "10000-01-01",
    "2026-W48", "2026-328", "２０２６-11-24", "", "2026-11-24\n",
]

DURATIONS = [
    "PT5M", "P1D", "P1W", "P1Y2M3DT4H5M6.5S", "PT1,5S", "PT0S", "P0D", "PT36H", "P1M", "PT1M",
    "PT0.0000001S", "PT1H2M3.4S", "P106751991D", "P292471Y", "PT2562047788H", "PT153722867280M",
    "P000000000001D",
    "P1W1D", "P1Y1W", "PT", "P", "5M", "pt5m", "PT5.5M", "P1.5D", "P0.5Y", "PT1H1H", "PT5S5M",
    "P1DT", "PT1.S", "-PT5M", "+PT5M", " PT5M", "PT5M ", "P1D\n", "",
]

# Durations the JSON Schema pattern accepts but that do not fit meshc's
# int64 microseconds (or its 12 digits per component).
DURATIONS_OUT_OF_RANGE = ["P106751992D", "P292472Y", "PT2562047789H", "PT153722867281M", "P12345678901D",
                          "P999999999999Y", "PT9223372036855S", "P1234567890123D", "P0000000000001D",
                          "PT0000000000001S"]

UUIDS = [
    "123e4567-e89b-12d3-a456-426614174000", "123E4567-E89B-12D3-A456-426614174000",
    "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
    "123e4567-e89b-12d3-a456-42661417400g", "123e4567-e89b-12d3-a456-42661417400",
    "123e4567-e89b-12d3-a456-4266141740000", "123e4567e89b12d3a456426614174000",
    "{123e4567-e89b-12d3-a456-426614174000}", "urn:uuid:123e4567-e89b-12d3-a456-426614174000",
    "123e4567-e89b1-2d3-a456-426614174000", "123e4567-e89b-12d3-a456_426614174000",
    " 123e4567-e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456-426614174000\n",
    "１23e4567-e89b-12d3-a456-426614174000", "",
]

BASE64 = [
    "", "QQ==", "QUI=", "QUJD", "AAECAwQ=", "+/+/", "QQ", "QUI", "Q===", "QR==", "QUJ=", "QU=D", "QUJD=",
    "QQ==QQ==", "QU JD", "QUJD\n", "-_-_", "QUJD====", "====", "a", "ab==", "=QQ=", "QUJD\r",
]

EMAILS = [
    "user@example.com", "a@b.co", "first.last+tag@sub.example.org", "o'neil@example.com",
    "x@y.z", "UPPER@EXAMPLE.COM", "user@localhost", "user@[192.0.2.1]", "user@[IPv6:2001:db8::1]",
    "a" * 64 + "@example.com", "a" * 65 + "@example.com", "user@" + "a" * 63 + ".com",
    "user@" + "a" * 64 + ".com", "user@" + ".".join(["a" * 63] * 4), ".user@example.com",
    "user.@example.com", "us..er@example.com", "user@example.com.", "user@-example.com",
    "user@example-.com", "user@exa_mple.com", "\"quoted\"@example.com", "user@@example.com",
    "@example.com", "user@", "user", "us er@example.com", "üser@example.com", "user@exämple.com",
    "user@example..com", "user@1.2.3.4", "user@example.c0m", "",
]

HOSTNAMES = [
    "example.com", "localhost", "a", "a-b.c", "LOCALHOST.", "1.2.3.4", "xn--bcher-kva.example",
    "a" * 63 + ".com", "a" * 64 + ".com", ".".join(["a" * 63] * 3) + "." + "a" * 61,
    ".".join(["a" * 63] * 3) + "." + "a" * 61 + ".", ".".join(["a" * 63] * 3) + "." + "a" * 62,
    "-a.com", "a-.com", "a..com", ".a.com", "a.com..", ".", "", "exa_mple.com", "exämple.com",
    "a b.com", "a.com\n", "123", "a.-b", "*.example.com",
]

IPV4S = [
    "192.0.2.1", "0.0.0.0", "255.255.255.255", "256.0.0.1", "1.2.3", "1.2.3.4.5", "01.2.3.4",
    "1.2.3.04", "1.2.3.4.", ".1.2.3.4", "1..2.3", "1.2.3.-4", " 1.2.3.4", "1.2.3.4\n", "a.b.c.d",
    "1.2.3.4/24", "0x7f.0.0.1", "1234.1.1.1", "١.٢.٣.٤", "",
]

IPV6S = [
    "2001:db8::1", "::", "::1", "1::", "1:2:3:4:5:6:7:8", "1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8",
    "1::2:3:4:5:6:7", "::ffff:192.0.2.1", "1:2:3:4:5:6:1.2.3.4", "::1.2.3.4", "1::1.2.3.4",
    "2001:DB8::A", "fe80::1%eth0", "1:2:3:4:5:6:7:8:9", "1::2::3", ":1:2:3:4:5:6:7", "1:2:3:4:5:6:7:",
    "12345::1", "1:2:3:4:5:6:7:1.2.3.4", "1:2:3:4:5:6::1.2.3.4", "::1.2.3.04", "::256.1.1.1",
    "1:2:3:4:5::1.2.3.4", "g::1", "::ffff:1.2.3", "[::1]", " ::1", "::1\n", "0000:0000:0000:0000:0000:ffff:255.255.255.255",
    "1:2:3:4:5:6:7:8::", "", ":::",
]

URIS = [
    "https://example.com/a?b=c#d", "urn:isbn:0451450523", "mailto:someone@example.com",
    "s3://bucket/key", "http://[::1]:8080/", "http://user:pw@host:80/p", "a:", "a:b", "file:///etc/hosts",
    "http://example.com/a b", "example.com", "/relative/path", "//example.com", "1http://x",
    "http://exa%mple.com", "http://ex%41mple.com", "http://example.com/%zz", "a:b#c#d",
    "http://[::1", "http://host:80a/", "http://a@b@c", "a:[x]", "http://example.com/?q=[1]",
    "http://example.com/\"q\"", "http://example.com/<a>", "http://example.com/\\", "http://ex ample.com",
    "http://exämple.com", "tag:example.com,2026:x", "h+.-:x", "http://example.com/{a}",
    "http://example.com/|", "http://example.com/^", "http://example.com/`", "HTTP://EXAMPLE.COM", "a:?q",
    "a:#f", "http://[1.2.3.4]/", "http://[v1.x]/", "",
]

URI_REFERENCES = URIS + [
    "../a/b?q=1", "#top", "?q", "//host:8080/p", ".", "a/b/c", "/a\"b", "\"", "a%2", "a%20b", "#a#b", "x y",
    "[::1]", "//[::1]/", "//user@host", "%C3%A9", "\u00e9", "a\tb", "\u017f", "\u212a",
]
URI_TEMPLATES = [
    "https://api.example.com/users/{id}", "/search{?q,lang}", "{+path}/here", "{#frag}", "/x{/seg*}",
    "{var:30}", "{var:0}", "{var:10000}", "{}", "{a.b}", "{a b}", "{unclosed", "closed}", "{A_b%20}", "%zz",
    "a b", "<x>", "\u00e9{x}", "\u007f", "\u0085", "{;x,y}", "{&x}", "{=x}", "{x*,y:2}", "{x}{y}", "",
]

FORMAT_PROBES = {"email": EMAILS, "hostname": HOSTNAMES, "ipv4": IPV4S, "ipv6": IPV6S, "uri": URIS,
                 "uri-reference": URI_REFERENCES, "uri-template": URI_TEMPLATES}

DECIMAL_MALFORMED = ["", " 1", "1 ", "1.", ".5", "+1", "01", "00.5", "1e2", "1E-2", "0x1F", "1,5", "NaN",
                     "Infinity", "-", "--1", "1.2.3", "\u0661", "\uff11", "1_000", "- 1"]

UNICODE_SPACES = ["\u000b", "\u00a0", "\u3000", "\ufeff", "\u2009", "\u0085", "\u000c"]
LINE_TERMINATORS = ["\r", "\u2028", "\u2029"]

TWO53 = 2 ** 53


# ----------------------------------------------------------------- mutation

class Mutator:
    def __init__(self, info, rng):
        self.info = info
        self.rng = rng
        self.out = []  # (kind, detail, doc or bytes)

    def add(self, kind, detail, doc):
        self.out.append((kind, detail, doc))

    # Every place in the document, parents before children.
    def paths(self, doc, path=()):
        yield path
        v = get(doc, path)
        if isinstance(v, dict):
            for k in v:
                yield from self.paths(doc, path + (k,))
        elif isinstance(v, list):
            for i in range(len(v)):
                yield from self.paths(doc, path + (i,))

    def mutate(self, doc):
        for path in list(self.paths(doc)):
            value = get(doc, path)
            schema = self.info.pick(self.info.at(path), value)
            slot = self.info.slot(schema)
            where = path_text(path)
            if path:
                self.structural(doc, path, value, where)
            if isinstance(value, dict):
                self.objects(doc, path, value, slot, where)
            if isinstance(value, list):
                self.lists(doc, path, value, slot, where)
            if isinstance(value, Num):
                self.numbers(doc, path, value, slot, where)
            if isinstance(value, str):
                self.strings(doc, path, value, slot, where)
            if isinstance(value, bool):
                self.add("bool_flip", f"{where} = {str(not value).lower()}", replaced(doc, path, not value))
        self.whole(doc)

    # -------------------------------------------------------- structure

    def structural(self, doc, path, value, where):
        parent = get(doc, path[:-1])
        if isinstance(parent, dict):
            self.add("drop_field", f"{where} dropped", edited(doc, path[:-1], lambda o: o.pop(path[-1])))
        if value is not None:
            self.add("null_field", f"{where} = null", replaced(doc, path, None))
        retypes = [("retype_string", "x"), ("retype_number", Num("0")), ("retype_number", Num("1.5")),
                   ("retype_bool", True), ("retype_object", {}), ("retype_array", [])]
        for kind, new in retypes:
            if type(new) is type(value):
                continue
            self.add(kind, f"{where} = {dumps(new)}", replaced(doc, path, new))
        if isinstance(value, Num):
            self.add("retype_string", f"{where} = \"{value.text}\"", replaced(doc, path, value.text))
        if isinstance(value, (str, Num)) and not isinstance(value, bool):
            self.add("retype_array", f"{where} = [{dumps(value)}]", replaced(doc, path, [value]))
        if isinstance(value, dict) and value:
            self.add("retype_array", f"{where} = [object]", replaced(doc, path, [value]))

    def objects(self, doc, path, value, slot, where):
        self.add("unknown_key", f"{where}.zz_unknown = 1",
                 edited(doc, path, lambda o: o.__setitem__("zz_unknown", Num("1"))))
        self.add("unknown_key", f"{where}.zz_unknown = null",
                 edited(doc, path, lambda o: o.__setitem__("zz_unknown", None)))
        self.add("unknown_key", f"{where}.constructor = 1",
                 edited(doc, path, lambda o: o.__setitem__("constructor", Num("1"))))
        self.add("empty_object", f"{where} = {{}}", replaced(doc, path, {}))
        if slot.kind == "record" and value:
            # A field's key written with \u escapes is that field (the
            # generated reader looks raw keys up first), and a duplicate of
            # the plain key.
            pairs = list(value.items())
            for i in sorted({0, len(pairs) - 1}):
                key, v = pairs[i]
                escaped = Raw('"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else
                                            "".join(f"\\u{u:04x}" for u in surrogates(c)) for c in key) + '"')
                self.add("key_escaped", f"{where}[{json.dumps(key, ensure_ascii=False)}] written with \\u escapes",
                         replaced(doc, path, Dup(pairs[:i] + [(escaped, v)] + pairs[i + 1:])))
                self.add("duplicate_key", f"{where}[{json.dumps(key, ensure_ascii=False)}] twice, once escaped",
                         replaced(doc, path, Dup(pairs + [(escaped, v)])))
        if slot.kind == "record":
            for name, schema in slot.properties.items():
                if name in value:
                    continue
                sample = self.info.sample(schema)
                self.add("add_field", f"{where}.{name} = {dumps(sample)}",
                         edited(doc, path, lambda o, n=name, s=sample: o.__setitem__(n, s)))
                self.add("add_field_null", f"{where}.{name} = null",
                         edited(doc, path, lambda o, n=name: o.__setitem__(n, None)))
        if slot.kind == "map":
            element = self.info.child(slot.schema, "\x00any")
            first = next(iter(value.values())) if value else self.info.sample(element)
            self.add("map_empty", f"{where} = {{}}", replaced(doc, path, {}))
            for key in ("zz_new", "", "é😀", "a.b", "__proto__", "constructor"):
                if key in value:
                    continue
                self.add("map_add_key", f"{where}[{json.dumps(key)}] added",
                         edited(doc, path, lambda o, k=key: o.__setitem__(k, copy.deepcopy(first))))
            self.add("map_null_value", f"{where}[\"zz_new\"] = null",
                     edited(doc, path, lambda o: o.__setitem__("zz_new", None)))
            for bad in ("x", Num("7"), True, [], {}):
                if type(bad) is type(first):
                    continue
                self.add("map_retype_value", f"{where}[\"zz_new\"] = {dumps(bad)}",
                         edited(doc, path, lambda o, b=bad: o.__setitem__("zz_new", b)))
            for n in sorted(set(slot.lengths)):
                for size in (n - 1, n, n + 1):
                    if size < 0 or size == len(value):
                        continue
                    grown = {k: v for k, v in list(value.items())[:size]}
                    i = 0
                    while len(grown) < size:
                        grown[f"k{i}"] = copy.deepcopy(first)
                        i += 1
                    self.add("map_length", f"{where} with {size} keys", replaced(doc, path, grown))
        # Duplicate keys, with the same value and with another one.
        for key, v in value.items():
            pairs = list(value.items())
            self.add("duplicate_key_same", f"{where}[{json.dumps(key, ensure_ascii=False)}] twice, same value",
                     replaced(doc, path, Dup(pairs + [(key, v)])))
            other = None if v is not None else Num("1")
            self.add("duplicate_key", f"{where}[{json.dumps(key, ensure_ascii=False)}] twice, then {dumps(other)}",
                     replaced(doc, path, Dup(pairs + [(key, other)])))
            self.add("duplicate_key", f"{where}[{json.dumps(key, ensure_ascii=False)}] twice, {dumps(other)} first",
                     replaced(doc, path, Dup([(key, other)] + pairs)))

    def lists(self, doc, path, value, slot, where):
        element_schema = self.info.child(slot.schema, 0) if slot.schema else None
        self.add("list_empty", f"{where} = []", replaced(doc, path, []))
        if value:
            self.add("list_drop_item", f"{where} without its first element", replaced(doc, path, value[1:]))
            self.add("list_drop_item", f"{where} without its last element", replaced(doc, path, value[:-1]))
            for i in range(min(2, len(value))):
                self.add("list_dup_item", f"{where} with element {i} repeated",
                         replaced(doc, path, value + [copy.deepcopy(value[i])]))
            self.add("list_null_item", f"{where}[0] = null", replaced(doc, path, [None] + value[1:]))
            if len(value) > 1:
                self.add("list_reverse", f"{where} reversed", replaced(doc, path, list(reversed(value))))
        sample = copy.deepcopy(value[0]) if value else self.info.sample(element_schema)
        if self.info.slot(element_schema).kind == "int":
            # Distinct integers that are one double: unique for meshc, equal for JSON.parse.
            self.add("int_beyond_double", f"{where} + 9007199254740993, 9007199254740992",
                     replaced(doc, path, value + [Num("9007199254740993"), Num("9007199254740992")]))
        self.add("list_add_item", f"{where} + {dumps(sample)}", replaced(doc, path, value + [sample]))
        self.add("list_null_item", f"{where} + null", replaced(doc, path, value + [None]))
        for bad in ("x", Num("7"), Num("7.5"), True, [], {}):
            if type(bad) is type(sample) and not isinstance(bad, Num):
                continue
            self.add("list_retype_item", f"{where} + {dumps(bad)}", replaced(doc, path, value + [bad]))
        for n in sorted(set(slot.lengths)):
            for size in (n - 1, n, n + 1):
                if size < 0 or size == len(value):
                    continue
                if size <= len(value):
                    grown = value[:size]
                else:
                    # Distinct elements where it can (unique lists), repeats otherwise.
                    grown = list(value)
                    pool = self.distinct_samples(sample, size)
                    for p in pool:
                        if len(grown) >= size:
                            break
                        if p not in grown:
                            grown.append(p)
                    while len(grown) < size:
                        grown.append(copy.deepcopy(sample))
                self.add("list_length", f"{where} with {size} elements", replaced(doc, path, grown))

    def distinct_samples(self, sample, count):
        if isinstance(sample, str):
            return [sample + chr(ord("a") + i % 26) * (1 + i // 26) for i in range(count)] + \
                   ["".join(chr(ord("a") + (i >> s) % 26) for s in (0, 5)) for i in range(count)]
        if isinstance(sample, Num):
            return [Num(str(i)) for i in range(count)]
        if isinstance(sample, bool):
            return [True, False]
        return [copy.deepcopy(sample) for _ in range(count)]

    # -------------------------------------------------------- numbers

    def numbers(self, doc, path, value, slot, where):
        def put(kind, text, what=None):
            # Spellings that JSON.parse cannot keep get the kind that names why
            # (run.py's DELIBERATE table): only the wire text tells them apart.
            n = Num(text)
            v = n.value()
            if slot.kind == "int":
                if kind == "number_underflow":
                    kind = "int_exponent"
                elif abs(v) > TWO53 or (abs(v) >= TWO53 // 2 and D(float(v)) != v):
                    kind = "int_beyond_double"
            if slot.float32 and kind == "number_bound":
                f = float(v)
                f32 = struct.unpack("<f", struct.pack("<f", f))[0] if abs(f) <= FLOAT32_MAX else f
                if f32 != f:
                    kind = "float32_near_bound"  # float32 rounding moves it (toward or past the bound)
            if slot.kind == "decimal" and (significant_digits(text) > 15 or kind == "number_underflow"):
                kind = "decimal_beyond_double"
            if slot.kind == "unknown" and kind == "number_overflow":
                kind = "huge_number_ignored"
            self.add(kind, f"{where} = {text}" + (f" ({what})" if what else ""), replaced(doc, path, n))

        v = value.value()
        k = slot.kind
        near = [v + 1, v - 1, -v, v * 10, D(0)]
        for x in near:
            put("number_near", fmt(x))
        if k == "int":
            put("int_fraction", fmt(v + D("0.5")))
            put("int_fraction_zero", fmt(v) + ".0")
            put("int_fraction_zero", fmt(v) + ".000")
            put("int_exponent", fmt(v) + "e0")
            put("int_exponent", fmt(v) + "E+0")
            if v != 0:
                put("int_exponent", fmt(v * 10) + "e-1")
            put("number_near", "-0")
            limits = ["9223372036854775807", "-9223372036854775808", "9223372036854775808",
                      "-9223372036854775809", "18446744073709551616", "-18446744073709551617",
                      "100000000000000000000000"] if slot.int64 else \
                     ["2147483647", "2147483648", "-2147483648", "-2147483649", "4294967296",
                      "9223372036854775807", "9223372036854775808"]
            for text in limits:
                put("int_range", text)
        else:
            put("number_exponent", sci(v))
            put("number_exponent", sci(v).upper().replace("E", "E+") if "e-" not in sci(v) else sci(v).upper())
            put("number_near", "-0.0")
            put("number_near", "0.0")
            put("number_near", fmt(v + D("0.5")))
            put("number_near", fmt(v - D("0.000001")))
        for text in ("01", "-01", "1.", ".5", "+1", "0x10", "NaN", "Infinity", "-Infinity", "-", "1e", "1e+",
                     "--1", "1_000", "１"):
            self.add("number_malformed", f"{where} = {text}", replaced(doc, path, Raw(text)))
        put("number_overflow", "1e400")
        put("number_overflow", "-1e400")
        put("number_underflow", "1e-400")
        put("number_underflow", "-1e-400")
        if k == "float":
            for text in ("1e308", "1.7976931348623157e308", "-1.7976931348623157e308", "3.4028234663852886e38",
                         "-3.4028234663852886e38", "3.4028235e38", "3.40282357e38", "-3.4028236e38",
                         "1.401298464324817e-45", "1e-46"):
                put("float_range", text)
        for b in slot.numbers:
            bd = D(repr(b)) if isinstance(b, float) else D(b)
            if k == "int":
                for x in (bd - 1, bd, bd + 1):
                    put("number_bound", fmt(x), f"bound {fmt(bd)}")
                put("int_fraction", fmt(bd + D("0.5")), f"bound {fmt(bd)}")
                put("int_fraction", fmt(bd - D("0.5")), f"bound {fmt(bd)}")
            elif k == "float":
                eps = max(abs(bd), D(1)) * D("1e-9")
                for x in (bd - 1, bd, bd + 1, bd - D("0.5"), bd + D("0.5"), bd - eps, bd + eps):
                    put("number_bound", fmt(x), f"bound {fmt(bd)}")
                put("number_bound", sci(bd), f"bound {fmt(bd)}, with an exponent")
                if slot.float32:
                    # Inside float32's rounding interval around the bound.
                    tiny = max(abs(bd), D("1e-30")) * D(2) ** -26
                    for x in (bd - tiny, bd + tiny):
                        put("float32_near_bound", fmt(x), f"bound {fmt(bd)}, rounds to it as float32")
            elif k == "decimal":
                for x in (bd, -bd):
                    put("decimal_bound", fmt(x), f"bound {fmt(bd)}")
        if k == "decimal":
            self.decimals(doc, path, slot, where)

    def decimals(self, doc, path, slot, where):
        p, s = slot.precision, slot.scale
        ints = p - s
        limit = ("9" * ints if ints else "0") + ("." + "9" * s if s else "")
        cases = [
            ("decimal_limit", limit), ("decimal_limit", "-" + limit),
            ("decimal_precision", "1" + "0" * ints), ("decimal_precision", "-1" + "0" * ints),
            ("decimal_precision", "1" + "0" * ints + ".5"),
            ("decimal_scale", "0." + "0" * s + "1"), ("decimal_scale", "1." + "5" * (s + 1)),
            ("decimal_scale", "-0." + "0" * s + "5"),
            ("decimal_trailing_zeros", "1." + "0" * (s + 3)), ("decimal_trailing_zeros", "0." + "0" * (s + 1)),
            ("decimal_zero", "0"), ("decimal_zero", "-0"), ("decimal_zero", "-0.0"),
            ("decimal_exponent", "1.5e1"), ("decimal_exponent", "15E-1"), ("decimal_exponent", "1e-" + str(s + 1)),
            ("decimal_exponent", "1e" + str(ints)), ("decimal_exponent", "1e" + str(max(ints - 1, 0))),
            ("decimal_beyond_double", "0." + "1" + "0" * 25 + "1"),
        ]
        for kind, text in cases:
            n = Num(text)
            if significant_digits(text) > 15 and kind != "decimal_beyond_double":
                # A JSON number with more digits than a double holds: JSON.parse rounds it.
                num_kind = "decimal_beyond_double"
            else:
                num_kind = kind if kind != "decimal_limit" else "decimal_limit_number"
            if valid_json_number(text):
                self.add(num_kind, f"{where} = {text}", replaced(doc, path, n))
            str_kind = kind if kind not in ("decimal_exponent",) else "decimal_malformed"
            self.add(str_kind, f"{where} = \"{text}\"", replaced(doc, path, text))
        for text in DECIMAL_MALFORMED:
            self.add("decimal_malformed", f"{where} = {json.dumps(text)}", replaced(doc, path, text))

    # -------------------------------------------------------- strings

    def strings(self, doc, path, value, slot, where):
        k = slot.kind
        def put(kind, s, what=None):
            self.add(kind, f"{where} = {json.dumps(s, ensure_ascii=False)}" + (f" ({what})" if what else ""),
                     replaced(doc, path, s))

        probes = {"timestamp": ("timestamp_format", TIMESTAMPS), "date": ("date_format", DATES),
                  "duration": ("duration_format", DURATIONS), "uuid": ("uuid_format", UUIDS),
                  "bytes": ("bytes_format", BASE64)}
        if k in probes:
            kind, values = probes[k]
            for s in values:
                put(kind, s)
            if k == "duration":
                for s in DURATIONS_OUT_OF_RANGE:
                    put("duration_range", s)
            if k == "timestamp":
                for s in (value.rstrip("Zz"), value.replace("T", " ").replace("t", " "), value.lower(),
                          value.upper(), value[:10]):
                    put("timestamp_format", s, "from the seed")
            return
        if k == "decimal":
            if valid_json_number(value):
                self.add("decimal_as_number", f"{where} = {value}", replaced(doc, path, Num(value)))
            self.decimals(doc, path, slot, where)
            return
        if k == "enum":
            for m in slot.members:
                put("enum_member", m)
            for s in (value.lower(), value.capitalize(), value + "X", value[:-1], " " + value, value + " ",
                      "", "CIRCLE", "USD", "red", value + "\u0000"):
                if s not in slot.members:
                    put("enum_misspelt", s)
            return
        # Free strings (with or without constraints).
        for fmt_name in sorted(slot.formats & set(FORMAT_PROBES)):
            for s in FORMAT_PROBES[fmt_name]:
                put(fmt_name + "_format", s)
        put("string_empty", "")
        put("string_longer", value + value + "x")
        if value:
            put("string_shorter", value[:-1])
            put("string_shorter", value[1:])
            put("string_shorter", value[:1])
        for s in (value.upper(), value.lower(), value.swapcase()):
            if s != value:
                put("string_case", s)
        put("string_edit", "x" + value)
        put("string_edit", value + "x")
        put("string_edit", value + "-")
        put("string_edit", value + "0")
        if value:
            for _ in range(3):
                i = self.rng.randrange(len(value))
                c = self.rng.choice("aZ0-_ .")
                put("string_edit", value[:i] + c + value[i + 1:], f"position {i}")
        put("string_newline", value + "\n")
        put("string_newline", "\n" + value)
        put("string_tab", value + "\t")
        put("string_nul", value + "\u0000")
        for sp in UNICODE_SPACES:
            put("string_unicode_space", value + sp, f"U+{ord(sp):04X}")
            put("string_unicode_space", sp, f"U+{ord(sp):04X}")
        for lt in LINE_TERMINATORS:
            put("string_line_terminator", value + lt, f"U+{ord(lt):04X}")
            put("string_line_terminator", lt, f"U+{ord(lt):04X}")
            if value:
                put("string_line_terminator", value[:1] + lt + value[1:], f"U+{ord(lt):04X}")
        for u in ("é", "😀", "\u0301", "\U0001F1FA\U0001F1F8", "\uffff", "\U0010FFFF"):
            put("string_unicode", value + u)
        put("string_unicode", "😀" * max(1, len(value)))
        for h in slot.strings:
            for s in (h, h + "x", "x" + h, h[:-1], h.upper(), h.lower(), h + "\n"):
                put("string_hint", s, "near a literal of the constraint")
        for n in sorted(set(slot.lengths)):
            for size in (n - 1, n, n + 1):
                if size < 0:
                    continue
                base = value if value else "a"
                s = (base * (size // len(base) + 1))[:size]
                put("string_length", s, f"{size} code points")
                put("string_length", "😀" * size, f"{size} code points, astral")
                put("string_length", "é" * size, f"{size} code points, two bytes each")

    # -------------------------------------------------------- the JSON text

    def whole(self, doc):
        line = encode(doc)
        for cut in range(7, len(line), 7):
            self.add("truncated", f"first {cut} bytes", line[:cut])
        # Broken UTF-8 inside strings (values and keys).
        spots = string_positions(line)
        if spots:
            for bad in (b"\xff", b"\xc3", b"\xc0\xaf", b"\xed\xa0\x80", b"\xf4\x90\x80\x80", b"\xe2\x82", b"\x80"):
                at = self.rng.choice(spots)
                self.add("broken_utf8", f"{bad!r} at byte {at}", line[:at] + bad + line[at:])
        self.add("bom", "byte order mark before the object", b"\xef\xbb\xbf" + line)
        self.add("bom_misplaced", "two byte order marks", b"\xef\xbb\xbf\xef\xbb\xbf" + line)
        self.add("bom_misplaced", "a space, then a byte order mark", b" \xef\xbb\xbf" + line)
        self.add("bom_misplaced", "a byte order mark after the object", line + b"\xef\xbb\xbf")
        self.add("odd_whitespace", "a form feed before the object", b"\x0c" + line)
        self.add("odd_whitespace", "a no-break space before the object", b"\xc2\xa0" + line)
        self.add("odd_whitespace", "a vertical tab after the object", line + b"\x0b")
        self.add("whitespace", "spaces, tabs and a CR around the object", b" \t" + line + b" \t\r")
        self.add("trailing_garbage", "a second value after the object", line + b" x")
        self.add("trailing_garbage", "the object twice", line + line)
        self.add("trailing_garbage", "a trailing comma", line + b",")
        self.add("trailing_garbage", "an unclosed extra brace", line + b"}")
        # Found by tests/fuzz (fuzz-differential): nlohmann's lexer took a NUL
        # byte for the end of the input, so meshc accepted what followed it.
        self.add("trailing_garbage", "a NUL byte after the object", line + b"\x00")
        self.add("trailing_garbage", "a NUL byte, then garbage", line + b"\x00garbage")
        self.add("odd_whitespace", "a NUL byte before the object", b"\x00" + line)
        self.add("ascii_escaped", "every non-ASCII character as a \\u escape", encode(doc, ascii_only=True))
        for text in (b"", b"null", b"[]", b"1", b"\"s\"", b"true", b"[" + line + b"]"):
            self.add("not_an_object", f"the line is {text[:20]!r}", text)
        # Strings as JSON escapes of surrogates.
        strings = [p for p in self.paths(doc) if p and isinstance(get(doc, p), str)]
        if strings:
            p = self.rng.choice(strings)
            self.add("lone_surrogate", f"{path_text(p)} = \"\\ud800\"", replaced(doc, p, Raw('"\\ud800"')))
            self.add("lone_surrogate", f"{path_text(p)} = \"x\\udc00\"", replaced(doc, p, Raw('"x\\udc00"')))
            self.add("lone_surrogate", f"{path_text(p)} = \"\\ude00\\ud83d\" (reversed pair)",
                     replaced(doc, p, Raw('"\\ude00\\ud83d"')))
            self.add("escaped_pair", f"{path_text(p)} = \"\\ud83d\\ude00\"", replaced(doc, p, Raw('"\\ud83d\\ude00"')))
            for text in ('"\\x41"', '"\\u12"', '"\\U0001F600"', '"\\a"', "'x'", '"\t"', '"\x01"', '"\x7f\x1f"',
                         "True", "nul", "undefined"):
                self.add("json_syntax", f"{path_text(p)} = {text!r}", replaced(doc, p, Raw(text)))
            # Found by tests/fuzz (fuzz-differential): a string value followed by
            # a colon, which simdjson's skip took for a key (with an extra
            # closing brace to keep the depth right, the generated code
            # accepted it).
            colon = json.dumps(get(doc, p), ensure_ascii=False) + ':1'
            self.add("json_syntax", f"{path_text(p)} followed by ':1'", replaced(doc, p, Raw(colon)))
            self.add("json_syntax", f"{path_text(p)} followed by ':1', an extra '}}' at the end",
                     encode(replaced(doc, p, Raw(colon))) + b"}")
            # The same string, written with \u escapes: equal for both readers.
            value = get(doc, p)
            self.add("string_escaped", f"{path_text(p)} written with \\u escapes",
                     replaced(doc, p, Raw('"' + "".join(f"\\u{ord(c):04x}" if ord(c) < 0x10000 else
                                                       "".join(f"\\u{u:04x}" for u in surrogates(c)) for c in value) + '"')))
        if isinstance(doc, dict) and doc:
            self.add("json_syntax", "a comment before the object", b"/*c*/" + line)
            self.add("json_syntax", "a trailing comma in the object", line[:-1] + b",}")
            self.add("json_syntax", "an unquoted key", b"{zz:1," + line[1:])
            self.add("json_syntax", "a single-quoted key", b"{'zz':1," + line[1:])
        if isinstance(doc, dict):
            deep = "[" * 1100 + "]" * 1100
            shallow = "[" * 1000 + "]" * 1000
            self.add("deep_nesting", "an unknown key nested 1100 deep",
                     edited(doc, (), lambda o: o.__setitem__("zz_deep", Raw(deep))))
            self.add("nesting_within_limit", "an unknown key nested 1000 deep",
                     edited(doc, (), lambda o: o.__setitem__("zz_deep", Raw(shallow))))
            self.add("huge_number_ignored", "an unknown key holding 1e400",
                     edited(doc, (), lambda o: o.__setitem__("zz_huge", Num("1e400"))))


def surrogates(c):
    v = ord(c) - 0x10000
    return (0xD800 + (v >> 10), 0xDC00 + (v & 0x3FF))


def string_positions(line):
    """Byte offsets strictly inside JSON strings of the line (after the opening quote)."""
    out = []
    inside = escaped = False
    for i, c in enumerate(line):
        if inside:
            if escaped:
                escaped = False
            elif c == 0x5C:
                escaped = True
            elif c == 0x22:
                inside = False
                out.append(i)  # just before the closing quote
            elif c < 0x80 or c >= 0xC0:
                out.append(i)  # before a whole character
        elif c == 0x22:
            inside = True
    return out


def fmt(x):
    """A Decimal as plain JSON number text (no exponent unless it is very large or small)."""
    x = D(x)
    if x == x.to_integral_value() and abs(x) < D(10) ** 30:
        return str(x.quantize(D(1)))
    text = format(x.normalize(), "f") if abs(x.adjusted()) < 30 else str(x.normalize())
    return text


def sci(x):
    """A Decimal in exponent notation: 1.5e1."""
    x = D(x)
    if x == 0:
        return "0e0"
    t = x.normalize()
    sign, digits, exp = t.as_tuple()
    mant = "".join(map(str, digits))
    e = exp + len(mant) - 1
    body = mant[0] + ("." + mant[1:] if len(mant) > 1 else "")
    return ("-" if sign else "") + body + "e" + str(e)


def significant_digits(text):
    t = text.lstrip("-+")
    mantissa = t.split("e")[0].split("E")[0].replace(".", "").lstrip("0")
    return len(mantissa.rstrip("0")) if mantissa else 0


def valid_json_number(text):
    import re
    return re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?", text) is not None


# ------------------------------------------------------------------- corpus

def read_seeds(path):
    with open(path, "rb") as f:
        lines = [l for l in f.read().split(b"\n") if l.strip()]
    return lines


def build_corpus(target, schema, seed_lines, linked=None):
    """The seeds and all their mutants, deduplicated, in a fixed order.
    `linked`: the schemas the target's schema refers to, by "$id"."""
    info = SchemaInfo(schema, linked)
    messages = []
    seen = set()
    for index, raw in enumerate(seed_lines):
        if raw in seen:
            continue
        seen.add(raw)
        messages.append(Message("seed", f"seed {index + 1}", raw))
    for index, raw in enumerate(seed_lines):
        doc = parse(raw.decode("utf-8"))
        rng = random.Random(f"{target}#{index}")
        m = Mutator(info, rng)
        m.mutate(doc)
        for kind, detail, new in m.out:
            data = new if isinstance(new, bytes) else encode(new)
            if ".__proto__ " in detail:
                kind = "proto_field"  # a value under a field called __proto__ (run.py: DELIBERATE)
            if b"\n" in data or data in seen:
                continue
            seen.add(data)
            messages.append(Message(kind, f"seed {index + 1}: {detail}", data))
    return messages


def main(argv):
    import argparse
    ap = argparse.ArgumentParser(description="Print the differential corpus of one target.")
    ap.add_argument("schema", help="the target's exported JSON Schema")
    ap.add_argument("seeds", help="its seeds (JSON Lines)")
    ap.add_argument("--kinds", action="store_true", help="print a count per mutant kind instead")
    args = ap.parse_args(argv)
    with open(args.schema, encoding="utf-8") as f:
        schema = json.load(f)
    messages = build_corpus(args.seeds, schema, read_seeds(args.seeds))
    if args.kinds:
        counts = {}
        for m in messages:
            counts[m.kind] = counts.get(m.kind, 0) + 1
        for k in sorted(counts):
            print(f"{counts[k]:6d}  {k}")
        print(f"{len(messages):6d}  total")
        return 0
    out = sys.stdout.buffer
    for m in messages:
        out.write(m.data + b"\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

#!/usr/bin/env python3
"""Generate a synthetic Mesh workspace for benchmarking `meshc check`.

The workspace directory is itself an include root: package `d3.p17` lives in
`<out>/d3/p17/*.mesh` (several files share one package), domain `d3` is
declared once in package `d3.meta` (`<out>/d3/meta.mesh`), and the platform
team's roles, tags and policies live in package `platform.gov`
(`<out>/platform/gov/*.mesh`).

Everything generated is meant to be valid Mesh with no diagnostics:

* names are unique per package (every generated name carries a counter);
* records of package K only use records, enums and refinement types of their
  own package (declared earlier) or of packages with a lower number that the
  file imports (`import d0.p5;` -> `p5.Name`) or names fully qualified
  (`d0.p5.Name`), so no record contains itself and imports are all used;
* records used as nested types carry no @pii field, so every PII field of a
  product's schema is top-level and is masked for every reader but `privacy`
  (which keeps the `pii_masked` policy of platform.gov satisfied);
* a topic key is a non-optional string, uuid or int64 field of the schema;
* upstream products are in lower-numbered packages only (acyclic);
* bare names are only used for the file's own package and for the prelude
  (std.governance: pii, classification, Sensitivity, analytics, privacy),
  which no generated package redeclares; enum members are written bare
  where the expected type is the enum (`status: OrderStatus3 = PLACED;`,
  `status != CLOSED || reason != null`) or as `Enum.MEMBER` for an enum of
  the own package.

Records, products and files are spread evenly over the packages; when
--records is so small that a file with products has no record to use as a
schema, one extra record is made (the summary line prints the real counts).

With --proto, the same model (same seed and counts) is written as one
.proto file per package (proto3, messages and enums only) instead, as a peer
workload for `protoc`.

Standard library only; the output is a pure function of the arguments.
"""

import argparse
import os
import random
import sys

# ---------------------------------------------------------------- vocabulary

THEMES = [
    "orders", "payments", "logistics", "identity", "catalog", "marketing",
    "support", "finance", "risk", "inventory", "pricing", "loyalty",
    "search", "billing", "fulfilment", "fraud", "media", "partners",
    "telemetry", "hr",
]

NOUNS = [
    "order", "payment", "customer", "shipment", "invoice", "account",
    "session", "device", "item", "cart", "refund", "review", "ticket",
    "campaign", "lead", "subscription", "transfer", "claim", "parcel",
    "warehouse", "supplier", "coupon", "booking", "visit", "click",
    "message", "merchant", "ledger", "quote", "contract", "delivery",
    "return", "balance", "card", "store", "route", "vehicle", "sensor",
    "alert", "report",
]

EVENT_KINDS = ["Event", "Changed", "Snapshot", "Created", "Updated", "Recorded"]
VALUE_KINDS = ["Info", "Details", "Line", "Summary", "Ref", "Part", "Stats"]
VERBS = ["placed", "updated", "settled", "created", "closed", "observed",
         "enriched", "scored", "daily", "changes", "snapshots", "events"]

ENUM_SETS = [
    ("Status", ["PENDING", "ACTIVE", "SUSPENDED", "CLOSED"]),
    ("State", ["PLACED", "PAID", "SHIPPED", "DELIVERED", "REFUNDED", "CANCELLED"]),
    ("Stage", ["OPEN", "IN_PROGRESS", "RESOLVED", "REJECTED"]),
    ("Screening", ["NEW", "VERIFIED", "FLAGGED", "BLOCKED"]),
    ("Channel", ["WEB", "MOBILE", "STORE", "PARTNER", "API"]),
    ("Method", ["CARD", "BANK_TRANSFER", "WALLET", "CASH", "VOUCHER"]),
    ("Severity", ["LOW", "MEDIUM", "HIGH", "CRITICAL"]),
    ("Tier", ["BRONZE", "SILVER", "GOLD", "PLATINUM"]),
    ("Speed", ["STANDARD", "EXPRESS", "OVERNIGHT", "PICKUP"]),
    ("Source", ["INTERNAL", "EXTERNAL", "IMPORTED", "MANUAL", "BATCH", "STREAM"]),
    ("Unit", ["PIECE", "KILOGRAM", "LITRE", "METRE", "BOX", "PALLET"]),
    ("Outcome", ["SUCCESS", "FAILURE", "TIMEOUT", "RETRY"]),
]

# (name prefix, mesh base type, constraint, proto type)
REFINEMENTS = [
    ("Sku", "string", 'matches(value, r"^[A-Z]{3}-[0-9]{4}$")', "string"),
    ("CountryCode", "string", 'matches(value, r"^[A-Z]{2}$")', "string"),
    ("CurrencyCode", "string", 'matches(value, r"^[A-Z]{3}$") && len(value) == 3', "string"),
    ("Slug", "string", 'matches(value, r"^[a-z0-9]+(-[a-z0-9]+)*$") && len(value) <= 64', "string"),
    ("ShortText", "string", "len(value) >= 1 && len(value) <= 120", "string"),
    ("EmailAddress", "string", "is_email(value)", "string"),
    ("SecureUrl", "string", 'is_uri(value) && starts_with(value, "https://")', "string"),
    ("Quantity", "int32", "value >= 1 && value <= 10_000", "int32"),
    ("Percentage", "float64", "value >= 0.0 && value <= 100.0", "double"),
    ("Money", "decimal(12, 2)", "value >= 0", "string"),
    ("PortNumber", "int32", "value > 0 && value <= 65535", "int32"),
    ("Counter", "int64", "value >= 0", "int64"),
    ("HostName", "string", "is_hostname(value) && !ends_with(value, \".local\")", "string"),
    ("HexDigest", "string", 'matches(value, r"^(?:0x)?[0-9a-f]{8,64}$")', "string"),
    ("E164Phone", "string", r'matches(value, r"^\+[1-9][0-9]{6,14}$")', "string"),
    ("Ipv4Address", "string", "is_ipv4(value)", "string"),
    ("GradeCode", "string", 'value in ["A1", "B2", "C3", "D4"]', "string"),
    ("PriorityLevel", "int32", "value in [1, 2, 3, 4, 5]", "int32"),
    ("Latitude", "float64", "value >= -90.0 && value <= 90.0", "double"),
    ("Lowercase", "string", "lower(value) == value && len(value) <= 40", "string"),
]

# category -> (names, mesh type, proto type, constraints, defaults)
SCALARS = {
    "ts": (["created_at", "updated_at", "observed_at", "processed_at",
            "emitted_at", "received_at", "expires_at", "settled_at"],
           "timestamp", "int64",
           [None, None, "value <= now() + 5m", "value >= now() - 3650d"], [None]),
    "str": (["channel_name", "source_system", "label", "note", "locale",
             "reference", "external_ref", "category", "sub_category",
             "user_agent", "referrer", "status_text", "comment", "origin"],
            "string", "string",
            [None, None, "len(value) <= 256", "len(value) >= 1 && len(value) <= 64",
             'matches(value, r"^[a-z][a-z0-9_]*$")', '!contains(value, "\\n")',
             'upper(value) != "UNKNOWN"'],
            [None, None, '""', '"unknown"', '"web"']),
    "i32": (["quantity", "attempt", "retries", "priority", "line_count",
             "version_no", "rank", "duration_ms", "hop_count"],
            "int32", "int32",
            [None, "value >= 0", "value >= 0 && value <= 1_000_000", "value % 2 == 0 || value >= 0"],
            [None, None, "0", "1"]),
    "i64": (["size_bytes", "sequence", "offset", "counter", "epoch", "total_views"],
            "int64", "int64",
            [None, "value >= 0", "value > 0 && value < 0x7FFF_FFFF_FFFF"], [None, "0"]),
    "dec": (["amount", "total", "tax", "discount", "fee", "unit_price", "net_amount"],
            "decimal(12, 2)", "string",
            [None, "value >= 0", "value > 0", "value >= 0 && value <= 1_000_000"], [None]),
    "dec4": (["rate", "exchange_rate", "weight"],
             "decimal(18, 6)", "string", [None, "value > 0"], [None]),
    "f64": (["ratio", "score", "confidence", "latitude_deg", "weight_kg", "temperature"],
            "float64", "double",
            [None, "value >= 0.0", "value >= 0.0 && value <= 1.0", "value * 2.0 < 1e9"],
            [None, "0.0", "1.5"]),
    "f32": (["signal", "load_factor"], "float32", "float",
            [None, "value >= -1.0 && value <= 1.0"], [None]),
    "bool": (["is_test", "active", "verified", "flagged", "gift", "archived"],
             "bool", "bool", [None], [None, "false", "true"]),
    "date": (["due_date", "effective_date", "valid_until", "business_date"],
             "date", "string", [None], [None]),
    "dur": (["ttl", "processing_time", "hold_time", "grace_period"],
            "duration", "int64", [None, "value > 0s", "value <= 7d"], [None]),
    "bytes": (["payload", "signature", "checksum"], "bytes", "bytes", [None], [None]),
    "uuid": (["trace_id", "correlation_id", "request_id", "batch_id"],
             "uuid", "string", [None], [None]),
}
SCALAR_WEIGHTS = [("ts", 3), ("str", 6), ("i32", 4), ("i64", 2), ("dec", 3),
                  ("dec4", 1), ("f64", 2), ("f32", 1), ("bool", 3), ("date", 1),
                  ("dur", 1), ("bytes", 1), ("uuid", 2)]

PII_FIELDS = [
    # name, constraint, mask methods that make sense
    ("email", "is_email(value)", ["hash", "redact"]),
    ("phone_number", r'matches(value, r"^\+[0-9]{7,15}$")', ["last(4)", "hash", "redact"]),
    ("full_name", "len(value) >= 1 && len(value) <= 200", ["redact", "hash"]),
    ("street_address", "len(value) <= 300", ["redact"]),
    ("ip_address", "is_ipv4(value) || is_ipv6(value)", ["hash", "redact"]),
    ("postal_code", 'matches(value, r"^[0-9A-Z -]{3,10}$")', ["redact", "last(4)"]),
    ("tax_id", "len(value) >= 4", ["last(4)", "hash"]),
    ("card_number", r'matches(value, r"^[0-9]{12,19}$")', ["last(4)", "redact"]),
    ("date_of_birth", None, ["redact"]),
    ("username", "len(value) >= 3 && len(value) <= 32", ["hash"]),
]

GOV_READERS = ["finance", "support", "data_science", "marketing", "audit"]
GOV_WRITERS = ["ingest_service", "orders_service", "stream_service", "batch_service"]
GOV_ROLES = [
    ("finance", "Finance controllers"),
    ("support", "Customer support agents"),
    ("data_science", "Data scientists working on curated products"),
    ("marketing", "Marketing analysts"),
    ("audit", "Internal audit, read-only"),
    ("ingest_service", "The ingestion platform's producers"),
    ("orders_service", "The order management service"),
    ("stream_service", "Stream processing jobs"),
    ("batch_service", "Nightly batch jobs"),
]


def camel(s):
    return "".join(p[:1].upper() + p[1:] for p in s.split("_"))


def upper_snake(name):
    out = []
    for i, ch in enumerate(name):
        if ch.isupper() and i > 0 and not name[i - 1].isupper():
            out.append("_")
        out.append(ch.upper())
    return "".join(out)


def split_evenly(total, parts):
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


# ---------------------------------------------------------------- model
#
# A type is a tuple:
#   ("scalar", mesh_text, proto_text)
#   ("ref", kind, pkg, name)      kind: enum | type | record
#   ("list", elem) / ("map", value)
# A field is a dict: name, type, optional, annotations, default, where, pii.


class Package:
    def __init__(self, index, domain):
        self.index = index
        self.domain = domain
        self.name = "d%d.p%d" % (domain, index)
        self.alias = "p%d" % index
        self.enums = []      # dicts: name, members, proto_base
        self.types = []      # dicts: name, mesh_base, where, proto
        self.values = []     # records usable as nested types (no pii)
        self.events = []     # records used as product schemas
        self.products = []
        self.deps = []       # lower-numbered packages this one may use
        self.files = []      # File objects
        self.next = {"enum": 0, "type": 0, "record": 0, "product": 0}

    def fresh(self, kind):
        n = self.next[kind]
        self.next[kind] += 1
        return n


class File:
    def __init__(self, pkg, path):
        self.pkg = pkg
        self.path = path
        self.decls = []        # ("enum"|"type"|"record"|"product", obj)
        self.alias_uses = {}   # package index -> Package (needs an import)
        self.uses_meta = False
        self.uses_gov = False


class Generator:
    def __init__(self, args):
        self.args = args
        self.rng = random.Random(args.seed)
        self.packages = []
        self.records_made = 0
        self.products_made = 0

    # ------------------------------------------------------------ shape

    def plan(self):
        a = self.args
        files = a.files
        n_pkg = max(1, round(files / 10))
        n_dom = max(1, round(n_pkg / 10))
        gov_files = 2
        while n_pkg > 1 and n_pkg + n_dom + gov_files > files:
            n_pkg -= 1
            n_dom = max(1, round(n_pkg / 10))
        data_files = files - n_dom - gov_files
        if data_files < n_pkg:
            sys.exit("gen_workspace: --files must be at least %d" % (n_pkg + n_dom + gov_files))
        self.n_dom = n_dom
        for k in range(n_pkg):
            self.packages.append(Package(k, k * n_dom // n_pkg))
        files_per_pkg = split_evenly(data_files, n_pkg)
        all_files = []
        for pkg, nf in zip(self.packages, files_per_pkg):
            for i in range(nf):
                f = File(pkg, "d%d/p%d/part_%02d.mesh" % (pkg.domain, pkg.index, i))
                pkg.files.append(f)
                all_files.append(f)
        # Records and products spread over the data files, in order.
        rec_quota = split_evenly(a.records, len(all_files))
        prod_quota = split_evenly(a.products, len(all_files))
        # Interleave the rounding remainders so that they do not all land on
        # the first packages.
        self.rng.shuffle(rec_quota)
        self.rng.shuffle(prod_quota)
        for f, r, p in zip(all_files, rec_quota, prod_quota):
            f.n_records = r
            f.n_products = p
        for pkg in self.packages:
            lower = list(range(pkg.index))
            self.rng.shuffle(lower)
            pkg.deps = [self.packages[i] for i in sorted(lower[: self.rng.randint(1, 4)])]

    # ------------------------------------------------------------ references

    def ref_text(self, f, kind, pkg, name):
        """How file f spells a reference to name (of kind) in pkg."""
        if pkg is f.pkg:
            return name
        if self.rng.random() < 0.6:
            f.alias_uses[pkg.index] = pkg
            return "%s.%s" % (pkg.alias, name)
        return "%s.%s" % (pkg.name, name)

    def pick_from(self, f, attr, own_bias=0.6):
        """A (pkg, item) from f's package or its deps, or None."""
        pkg = f.pkg
        own = getattr(pkg, attr)
        deps = [d for d in pkg.deps if getattr(d, attr)]
        if own and (not deps or self.rng.random() < own_bias):
            # Prefer recent declarations a little (more same-file references).
            i = len(own) - 1 - min(len(own) - 1, int(self.rng.expovariate(0.3)))
            return pkg, own[i]
        if deps:
            d = self.rng.choice(deps)
            return d, self.rng.choice(getattr(d, attr))
        return None

    # ------------------------------------------------------------ declarations

    def make_enum(self, f):
        pkg = f.pkg
        base, members = self.rng.choice(ENUM_SETS)
        noun = self.rng.choice(NOUNS)
        name = "%s%s%d" % (camel(noun), base, pkg.fresh("enum"))
        k = self.rng.randint(3, len(members))
        e = {"name": name, "members": members[:k], "pkg": pkg, "noun": noun, "base": base,
             "annotations": [], "doc": "%s of a %s." % (base, noun)}
        if self.rng.random() < 0.15:
            e["annotations"].append("@classification(level: internal)")
        pkg.enums.append(e)
        f.decls.append(("enum", e))

    def make_type(self, f):
        pkg = f.pkg
        prefix, base, where, proto = self.rng.choice(REFINEMENTS)
        name = "%s%d" % (prefix, pkg.fresh("type"))
        t = {"name": name, "base": base, "where": where, "proto": proto, "pkg": pkg,
             "doc": "A %s, checked on the wire." % prefix.lower()}
        pkg.types.append(t)
        f.decls.append(("type", t))

    def scalar_field(self, names, cat, allow_default=True, optional=None):
        fnames, mesh, proto, wheres, defaults = SCALARS[cat]
        fld = {"name": self.unique(names, self.rng.choice(fnames)),
               "type": ("scalar", mesh, proto), "optional": False,
               "annotations": [], "default": None, "where": None, "pii": False, "cat": cat}
        if optional is None:
            optional = self.rng.random() < 0.2
        fld["optional"] = optional
        where = self.rng.choice(wheres)
        default = self.rng.choice(defaults) if allow_default and not optional else None
        if default is not None and where is not None:
            where = None  # keep defaults trivially valid
        fld["where"] = where
        fld["default"] = default
        if self.rng.random() < 0.05:
            fld["annotations"].append("@classification(level: %s)" % self.rng.choice(["public", "internal"]))
        return fld

    @staticmethod
    def unique(names, name):
        if name not in names:
            names.add(name)
            return name
        i = 2
        while "%s_%d" % (name, i) in names:
            i += 1
        name = "%s_%d" % (name, i)
        names.add(name)
        return name

    def random_scalar_cat(self):
        total = sum(w for _, w in SCALAR_WEIGHTS)
        x = self.rng.uniform(0, total)
        for cat, w in SCALAR_WEIGHTS:
            x -= w
            if x <= 0:
                return cat
        return SCALAR_WEIGHTS[-1][0]

    def enum_field(self, f, names):
        got = self.pick_from(f, "enums")
        if not got:
            return None
        pkg, e = got
        fld = {"name": self.unique(names, e["base"].lower()),
               "type": ("ref", "enum", pkg, e["name"]), "spelled": self.ref_text(f, "enum", pkg, e["name"]),
               "optional": self.rng.random() < 0.15, "annotations": [], "default": None,
               "where": None, "pii": False, "enum": e, "cat": "enum"}
        if not fld["optional"] and self.rng.random() < 0.4:
            fld["default"] = e["members"][0]
        elif self.rng.random() < 0.15:
            fld["where"] = "value != %s" % e["members"][-1]
        return fld

    def type_field(self, f, names):
        got = self.pick_from(f, "types")
        if not got:
            return None
        pkg, t = got
        base = t["name"].rstrip("0123456789")
        fname = "".join("_" + c.lower() if c.isupper() else c for c in base).lstrip("_")
        spelled = self.ref_text(f, "type", pkg, t["name"])
        r = self.rng.random()
        if r < 0.2:
            return {"name": self.unique(names, fname + "_list"),
                    "type": ("list", ("ref", "type", pkg, t["name"])), "spelled": "list<%s>" % spelled,
                    "optional": False, "annotations": [], "default": None,
                    "where": "len(value) <= 50" if self.rng.random() < 0.5 else None,
                    "pii": False, "cat": "list"}
        return {"name": self.unique(names, fname or "code"), "type": ("ref", "type", pkg, t["name"]),
                "spelled": spelled, "optional": self.rng.random() < 0.2, "annotations": [],
                "default": None, "where": None, "pii": False, "cat": "type"}

    def record_field(self, f, names):
        got = self.pick_from(f, "values", own_bias=0.5)
        if not got:
            return None
        pkg, rec = got
        spelled = self.ref_text(f, "record", pkg, rec["name"])
        base = rec["noun"]
        r = self.rng.random()
        if r < 0.35:
            return {"name": self.unique(names, base + "s"), "type": ("list", ("ref", "record", pkg, rec["name"])),
                    "spelled": "list<%s>" % spelled, "optional": False, "annotations": [],
                    "default": None, "pii": False, "cat": "list",
                    "where": self.rng.choice([None, "len(value) >= 1 && len(value) <= 100",
                                              "len(value) <= 500"])}
        if r < 0.5:
            return {"name": self.unique(names, base + "_by_key"), "type": ("map", ("ref", "record", pkg, rec["name"])),
                    "spelled": "map<string, %s>" % spelled, "optional": False, "annotations": [],
                    "default": None, "pii": False, "cat": "map",
                    "where": self.rng.choice([None, "len(value) <= 64"])}
        return {"name": self.unique(names, base), "type": ("ref", "record", pkg, rec["name"]),
                "spelled": spelled, "optional": self.rng.random() < 0.3, "annotations": [],
                "default": None, "where": None, "pii": False, "cat": "record"}

    def collection_field(self, names):
        r = self.rng.random()
        if r < 0.4:
            return {"name": self.unique(names, self.rng.choice(["tags", "labels", "keywords", "aliases"])),
                    "type": ("list", ("scalar", "string", "string")), "spelled": "list<string>",
                    "optional": self.rng.random() < 0.2, "annotations": [], "default": None, "pii": False,
                    "where": self.rng.choice([None, "len(value) <= 20", "unique(value)",
                                              'all(t in value: len(t) <= 32)']), "cat": "list"}
        if r < 0.55:
            return {"name": self.unique(names, self.rng.choice(["scores", "samples", "readings"])),
                    "type": ("list", ("scalar", "float64", "double")), "spelled": "list<float64>",
                    "optional": False, "annotations": [], "default": None, "pii": False,
                    "where": self.rng.choice([None, "len(value) <= 1000", "any(x in value: x > 0.0)"]),
                    "cat": "list"}
        if r < 0.8:
            return {"name": self.unique(names, self.rng.choice(["attributes", "headers", "metadata", "properties"])),
                    "type": ("map", ("scalar", "string", "string")), "spelled": "map<string, string>",
                    "optional": False, "annotations": [], "default": None, "pii": False,
                    "where": self.rng.choice([None, "len(value) <= 50"]), "cat": "map"}
        return {"name": self.unique(names, self.rng.choice(["counters", "totals", "histogram"])),
                "type": ("map", ("scalar", "int64", "int64")), "spelled": "map<string, int64>",
                "optional": self.rng.random() < 0.2, "annotations": [], "default": None, "pii": False,
                "where": None, "cat": "map"}

    def pii_field(self, names):
        name, where, methods = self.rng.choice(PII_FIELDS)
        ann = ["@pii" if self.rng.random() < 0.95 else "@std.governance.pii"]
        if self.rng.random() < 0.5:
            ann.append("@classification(level: %s)" % self.rng.choice(["confidential", "restricted"]))
        return {"name": self.unique(names, name), "type": ("scalar", "string", "string"),
                "optional": self.rng.random() < 0.3, "annotations": ann, "default": None,
                "where": where if self.rng.random() < 0.7 else None, "pii": True,
                "mask": self.rng.choice(methods), "cat": "str"}

    def other_field(self, f, names, nested_ok):
        r = self.rng.random()
        fld = None
        if r < 0.14:
            fld = self.enum_field(f, names)
        elif r < 0.26:
            fld = self.type_field(f, names)
        elif r < 0.38 and nested_ok:
            fld = self.record_field(f, names)
        elif r < 0.48:
            fld = self.collection_field(names)
        if fld is None:
            fld = self.scalar_field(names, self.random_scalar_cat())
        return fld

    def make_checks(self, fields):
        """Record invariants over the record's own fields."""
        checks = []
        req = [x for x in fields if not x["optional"]]
        ts = [x for x in req if x.get("cat") == "ts"]
        if len(ts) >= 2 and self.rng.random() < 0.7:
            checks.append(("%s_not_after_%s" % (ts[0]["name"], ts[1]["name"]),
                           "%s <= %s" % (ts[0]["name"], ts[1]["name"])))
        enums = [x for x in req if x.get("cat") == "enum"]
        opts = [x for x in fields if x["optional"] and not x["pii"]]
        if enums and opts and self.rng.random() < 0.6:
            e = enums[0]
            member = e["enum"]["members"][-1]
            if "." not in e["spelled"] and self.rng.random() < 0.3:
                member = "%s.%s" % (e["spelled"], member)
            checks.append(("%s_needs_%s" % (e["name"], opts[0]["name"]),
                           "%s != %s || %s != null" % (e["name"], member, opts[0]["name"])))
        lists = [x for x in req if x["type"][0] in ("list", "map")]
        if lists and self.rng.random() < 0.4:
            checks.append(("%s_bounded" % lists[0]["name"], "len(%s) <= 10_000" % lists[0]["name"]))
        nums = [x for x in req if x.get("cat") in ("dec", "i32", "i64")]
        if len(nums) >= 2 and self.rng.random() < 0.4 and nums[0]["cat"] == "dec":
            checks.append(("%s_within_limit" % nums[0]["name"],
                           "%s >= 0 && %s * 2 <= 1_000_000_000" % (nums[0]["name"], nums[1]["name"])))
        elif nums and self.rng.random() < 0.3:
            checks.append(("%s_sane" % nums[0]["name"], "%s >= 0" % nums[0]["name"]))
        strs = [x for x in req if x.get("cat") == "str" and not x["pii"]]
        if strs and self.rng.random() < 0.2:
            checks.append(("%s_not_blank" % strs[0]["name"],
                           '%s != "" && !starts_with(%s, " ")' % (strs[0]["name"], strs[0]["name"])))
        return checks

    def make_record(self, f, event):
        pkg = f.pkg
        noun = self.rng.choice(NOUNS)
        kind = self.rng.choice(EVENT_KINDS if event else VALUE_KINDS)
        name = "%s%s%d" % (camel(noun), kind, pkg.fresh("record"))
        names = set()
        fields = []
        if event:
            key_kind = self.rng.random()
            if key_kind < 0.6:
                key = {"name": self.unique(names, noun + "_id"), "type": ("scalar", "string", "string"),
                       "optional": False, "annotations": [], "default": None, "pii": False, "cat": "key",
                       "where": self.rng.choice([
                           "len(value) >= 1 && len(value) <= 64",
                           'matches(value, r"^%s-[0-9]+$")' % noun[:3].upper(),
                           'starts_with(value, "%s_")' % noun[:3]])}
            elif key_kind < 0.85:
                key = {"name": self.unique(names, "event_id"), "type": ("scalar", "uuid", "string"),
                       "optional": False, "annotations": [], "default": None, "pii": False,
                       "where": None, "cat": "key"}
            else:
                key = {"name": self.unique(names, noun + "_no"), "type": ("scalar", "int64", "int64"),
                       "optional": False, "annotations": [], "default": None, "pii": False,
                       "where": "value > 0", "cat": "key"}
            fields.append(key)
            occurred = {"name": self.unique(names, "occurred_at"), "type": ("scalar", "timestamp", "int64"),
                        "optional": False, "annotations": [], "default": None, "pii": False, "cat": "ts",
                        "where": "value <= now() + 5m" if self.rng.random() < 0.6 else None}
            fields.append(occurred)
            for _ in range(self.rng.choice([0, 1, 1, 2, 2, 3])):
                fields.append(self.pii_field(names))
            n_other = self.rng.randint(4, 11)
        else:
            n_other = self.rng.randint(3, 7)
        for _ in range(n_other):
            fields.append(self.other_field(f, names, nested_ok=True))
        checks = self.make_checks(fields)
        rec = {"name": name, "noun": noun, "fields": fields, "checks": checks, "pkg": pkg,
               "event": event, "annotations": [],
               "doc": "%s %s %s of the %s domain." % ("An" if noun[0] in "aeiou" else "A", noun, kind.lower(),
                                                       THEMES[pkg.domain % len(THEMES)])}
        if event:
            rec["key"] = fields[0]
        if self.rng.random() < 0.1:
            rec["annotations"].append("@closed")
        if self.rng.random() < 0.1:
            f.uses_gov = True
            rec["annotations"].append('@gov.owner_team(team: "%s-team")' % THEMES[pkg.domain % len(THEMES)])
        (pkg.events if event else pkg.values).append(rec)
        f.decls.append(("record", rec))
        self.records_made += 1
        return rec

    def make_product(self, f, schema_cursor):
        pkg = f.pkg
        # Schema: now and then an event of a dependency (spelled through an
        # import or fully qualified), else the next unused event of the
        # package, else any event of the package, else a new event.
        dep_events = [d for d in pkg.deps if d.events]
        if dep_events and self.rng.random() < 0.05:
            spkg = self.rng.choice(dep_events)
            rec = self.rng.choice(spkg.events)
        elif schema_cursor[0] < len(pkg.events):
            spkg, rec = pkg, pkg.events[schema_cursor[0]]
            schema_cursor[0] += 1
        elif pkg.events:
            spkg, rec = pkg, self.rng.choice(pkg.events)
        else:
            rec = self.make_record(f, event=True)
            spkg = pkg
            schema_cursor[0] = len(pkg.events)
        if spkg is pkg:
            schema = rec["name"]
        else:
            schema = self.ref_text(f, "record", spkg, rec["name"])
        n = pkg.fresh("product")
        name = "%s_%s_%d" % (rec["noun"], self.rng.choice(VERBS), n)
        readers = ["analytics"]
        for r in GOV_READERS:
            if self.rng.random() < 0.25:
                readers.append("gov." + r)
        if self.rng.random() < 0.4:
            readers.append("privacy")
        f.uses_gov = True
        masked_for = [r for r in readers if r != "privacy"]
        masks = [(x["name"], x["mask"]) for x in rec["fields"] if x["pii"]]
        optionals = [x["name"] for x in rec["fields"] if x["optional"]]
        if self.rng.random() < 0.8:
            f.uses_meta = True
            domain = "meta.d%d" % pkg.domain
        else:
            domain = "d%d.meta.d%d" % (pkg.domain, pkg.domain)
        upstream = []
        if pkg.index > 0:
            for _ in range(self.rng.choice([0, 1, 1, 2, 3])):
                cands = [d for d in pkg.deps if d.products] if self.rng.random() < 0.7 else []
                if not cands:
                    cands = [p for p in self.packages[max(0, pkg.index - 20):pkg.index] if p.products]
                if not cands:
                    break
                up_pkg = self.rng.choice(cands)
                up = self.rng.choice(up_pkg.products)
                text = "%s.%s" % (up_pkg.name, up["name"])
                if up_pkg.index in f.alias_uses:
                    text = "%s.%s" % (up_pkg.alias, up["name"])
                if text not in upstream:
                    upstream.append(text)
        prod = {
            "name": name, "domain": domain, "schema": schema, "record": rec, "pkg": pkg,
            "version": "%d.%d.%d" % (self.rng.randint(1, 5), self.rng.randint(0, 12), self.rng.randint(0, 30)),
            "topic": "%s.%s.v%d" % (pkg.name, name, self.rng.randint(1, 3)),
            "key": rec["key"]["name"],
            "partitions": self.rng.choice([3, 6, 12, 24, 48]),
            "replication": self.rng.choice([2, 3, 3]),
            "freshness": self.rng.choice(["30s", "5m", "15m", "1h", "1d"]),
            "availability": self.rng.choice(["99%", "99.5%", "99.9%", "99.95%", "100%"]),
            "throughput": self.rng.choice(["100/s", "1000/s", "5_000/s", "60/min", "500/h"]),
            "latency": (self.rng.choice(["p50", "p95", "p99"]), self.rng.choice(["50ms", "200ms", "1s", "5s"])),
            "unique_within": self.rng.choice(["1h", "24h", "7d"]),
            "null_rate": (self.rng.choice(optionals), self.rng.choice(["<=", "<"]),
                          self.rng.choice(["5%", "20%", "50%"])) if optionals else None,
            "volume": (self.rng.choice([">=", ">"]), self.rng.choice([1, 10, 100, 10_000]),
                       self.rng.choice(["1h", "1d", "15m"])),
            "valid_rate": self.rng.choice(["99%", "99.5%", "99.9%"]),
            "readers": readers,
            "writers": ["gov." + self.rng.choice(GOV_WRITERS)],
            "masks": masks, "masked_for": masked_for,
            "retention": self.rng.choice(["7d", "30d", "90d", "365d"]),
            "compatibility": self.rng.choice(["backward", "backward", "forward", "full", "none"]),
            "upstream": upstream,
            "annotations": [],
            "doc": "%s %s, published by the %s domain." % (camel(rec["noun"]), name.split("_")[1],
                                                           THEMES[pkg.domain % len(THEMES)]),
        }
        r = self.rng.random()
        if r < 0.08:
            prod["annotations"].append("@classification(level: internal)")
        elif r < 0.12:
            prod["annotations"].append("@gov.sox")
        pkg.products.append(prod)
        f.decls.append(("product", prod))
        self.products_made += 1

    def build(self):
        self.plan()
        for pkg in self.packages:
            cursor = [0]
            for f in pkg.files:
                n_enums = self.rng.choice([0, 1, 1, 2])
                n_types = self.rng.choice([0, 1, 1, 2])
                for _ in range(n_enums):
                    self.make_enum(f)
                for _ in range(n_types):
                    self.make_type(f)
                n_rec = f.n_records
                n_events = min(n_rec, max(f.n_products, round(n_rec * 0.45)))
                kinds = [True] * n_events + [False] * (n_rec - n_events)
                self.rng.shuffle(kinds)
                # Values first where possible, so events can nest them.
                kinds.sort(key=lambda e: e and self.rng.random() < 0.7)
                for ev in kinds:
                    self.make_record(f, event=ev)
                for _ in range(f.n_products):
                    self.make_product(f, cursor)


# ---------------------------------------------------------------- mesh output

def mesh_type(fld):
    t = fld["type"]
    text = fld.get("spelled")
    if text is None:
        if t[0] == "scalar":
            text = t[1]
        elif t[0] == "list":
            text = "list<%s>" % t[1][1]
        elif t[0] == "map":
            text = "map<string, %s>" % t[1][1]
    return text + ("?" if fld["optional"] else "")


def render_field(fld, width):
    s = "  %s %s" % ((fld["name"] + ":").ljust(width + 1), mesh_type(fld))
    for a in fld["annotations"]:
        s += " " + a
    if fld["default"] is not None:
        s += " = " + fld["default"]
    if fld["where"] is not None:
        s += " where " + fld["where"]
    return s + ";"


PRODUCT_TEMPLATE = """\
product {name} {{
  domain  {domain};
  version "{version}";
  schema  {schema};
  topic "{topic}" {{
    key         {key};
    partitions  {partitions};
    replication {replication};
    format      json;
  }}
  sla {{
    freshness    {freshness};
    availability {availability};
    throughput   {throughput};
    latency      {latency[0]} {latency[1]};
  }}
  quality {{
    unique({key}) within {unique_within};{null_rate_line}
    volume {volume[0]} {volume[1]} per {volume[2]};
    valid_rate >= {valid_rate};
  }}
  access {{
    readers [{reader_list}];
    writers [{writer_list}];{mask_lines}
  }}
  retention     {retention};
  compatibility {compatibility};{upstream_line}
}}"""


def render_product(p):
    """The text of product p; the optional lines (null_rate, masks, upstream)
    start with their own newline."""
    masked_for = ", ".join(p["masked_for"])
    return PRODUCT_TEMPLATE.format(
        **p,
        null_rate_line="\n    null_rate(%s) %s %s;" % p["null_rate"] if p["null_rate"] else "",
        reader_list=", ".join(p["readers"]),
        writer_list=", ".join(p["writers"]),
        mask_lines="".join("\n    mask %s for [%s] using %s;" % (f, masked_for, m) for f, m in p["masks"]),
        upstream_line="\n  upstream      [%s];" % ", ".join(p["upstream"]) if p["upstream"] else "")


def render_mesh_file(f):
    out = []
    out.append("// Generated by bench/check/gen_workspace.py. DO NOT EDIT.")
    out.append("package %s;" % f.pkg.name)
    imports = []
    if f.uses_gov:
        imports.append("import platform.gov;")
    if f.uses_meta:
        imports.append("import d%d.meta;" % f.pkg.domain)
    for idx in sorted(f.alias_uses):
        imports.append("import %s;" % f.alias_uses[idx].name)
    if imports:
        out.append("")
        out.extend(imports)
    for kind, obj in f.decls:
        out.append("")
        out.append("/// " + obj["doc"])
        for a in obj.get("annotations", []):
            out.append(a)
        if kind == "enum":
            out.append("enum %s { %s }" % (obj["name"], ", ".join(obj["members"])))
        elif kind == "type":
            out.append("type %s = %s where %s;" % (obj["name"], obj["base"], obj["where"]))
        elif kind == "record":
            out.append("record %s {" % obj["name"])
            width = max(len(x["name"]) for x in obj["fields"])
            for fld in obj["fields"]:
                out.append(render_field(fld, width))
            if obj["checks"]:
                out.append("")
            for name, expr in obj["checks"]:
                out.append("  check %s: %s;" % (name, expr))
            out.append("}")
        elif kind == "product":
            out.append(render_product(obj))
    out.append("")
    return "\n".join(out)


def render_meta(dom):
    theme = THEMES[dom % len(THEMES)]
    return "\n".join([
        "// Generated by bench/check/gen_workspace.py. DO NOT EDIT.",
        "package d%d.meta;" % dom,
        "",
        "/// The %s domain." % theme,
        "domain d%d {" % dom,
        '  owner   "%s-team";' % theme,
        '  contact "%s-%d@example.com";' % (theme, dom),
        "}",
        "",
    ])


def render_gov_roles():
    out = ["// Generated by bench/check/gen_workspace.py. DO NOT EDIT.",
           "package platform.gov;", ""]
    for name, desc in GOV_ROLES:
        out.append("/// %s." % desc)
        out.append('role %s "%s";' % (name, desc))
    out += ["",
            "/// The team that owns a record.",
            "tag owner_team(team: string);",
            "/// Data in scope for financial reporting controls.",
            "tag sox;",
            ""]
    return "\n".join(out)


def render_gov_policies(with_std=False):
    imports = ("\n// The standard policies apply to every product too.\n"
               "import std.policy.baseline;\nimport std.policy.gdpr;\n") if with_std else ""
    return """// Generated by bench/check/gen_workspace.py. DO NOT EDIT.
package platform.gov;
""" + imports + """
/// Personal data is masked for every reader but the privacy office.
policy pii_masked {
  severity error;
  for product p, field f in p.fields where f.has(pii) {
    require all(r in p.access.readers: r == privacy || f.masked_for(r))
      message "PII field {f.path} of {p.name} is readable unmasked";
  }
}

/// Restricted fields are never readable in the clear, PII or not.
policy restricted_fields_masked {
  severity error;
  for product p, field f in p.fields where f.has(classification) && f.tag(classification).level == restricted {
    require all(r in p.access.readers: r == privacy || f.masked_for(r))
      message "restricted field {f.path} of {p.name} is readable unmasked";
  }
}

/// Every product says how fresh and how available it is.
policy products_declare_sla {
  severity error;
  for product p {
    require p.sla.freshness != null && p.sla.availability != null
      message "{p.name} declares no freshness or availability SLA";
  }
}

/// Topics are spread over enough partitions to scale out consumers.
policy topics_partitioned {
  severity warning;
  for product p {
    require p.topic.partitions >= 3
      message "{p.name} has fewer than 3 partitions";
    require len(p.access.readers) >= 1 && len(p.access.writers) >= 1
      message "{p.name} names no reader or no writer";
  }
}

/// Data is not kept forever.
policy retention_declared {
  severity warning;
  for product p {
    require p.retention != null
      message "{p.name} declares no retention";
  }
}
"""


# ---------------------------------------------------------------- proto output

def proto_type(t, pkg):
    if t[0] == "scalar":
        return t[2]
    if t[0] == "ref":
        _, kind, tpkg, name = t
        if kind == "type":
            return next(x["proto"] for x in tpkg.types if x["name"] == name)
        if tpkg is pkg:
            return name
        return ".%s.%s" % (tpkg.name, name)
    raise ValueError(t)


def proto_decls(decls, pkg, note_dep):
    """The proto3 text of a list of enum and record declarations."""
    body = []
    for kind, obj in decls:
        if kind == "enum":
            prefix = upper_snake(obj["name"])
            body.append("")
            body.append("// %s" % obj["doc"])
            body.append("enum %s {" % obj["name"])
            body.append("  %s_UNSPECIFIED = 0;" % prefix)
            for i, m in enumerate(obj["members"]):
                body.append("  %s_%s = %d;" % (prefix, m, i + 1))
            body.append("}")
        elif kind == "record":
            body.append("")
            body.append("// %s" % obj["doc"])
            body.append("message %s {" % obj["name"])
            for num, fld in enumerate(obj["fields"], 1):
                t = fld["type"]
                if t[0] == "list":
                    note_dep(t[1])
                    line = "repeated %s %s" % (proto_type(t[1], pkg), fld["name"])
                elif t[0] == "map":
                    note_dep(t[1])
                    line = "map<string, %s> %s" % (proto_type(t[1], pkg), fld["name"])
                else:
                    note_dep(t)
                    line = "%s%s %s" % ("optional " if fld["optional"] else "",
                                        proto_type(t, pkg), fld["name"])
                body.append("  %s = %d;" % (line, num))
            body.append("}")
    return body


def render_proto_package(pkg, type_index):
    deps = set()

    def note_dep(t):
        if t[0] == "ref" and t[1] in ("enum", "record") and t[2] is not pkg:
            deps.add(t[2].index)

    body = proto_decls([d for f in pkg.files for d in f.decls], pkg, note_dep)
    out = ["// Generated by bench/check/gen_workspace.py --proto. DO NOT EDIT.",
           'syntax = "proto3";', "", "package %s;" % pkg.name]
    if deps:
        out.append("")
        for i in sorted(deps):
            d = type_index[i]
            out.append('import "d%d/p%d.proto";' % (d.domain, d.index))
    out += body
    out.append("")
    return "\n".join(out)


def proto_file_path(f):
    return f.path[: -len(".mesh")] + ".proto"


def render_proto_file(f, defined_in):
    """One .proto per .mesh file (--proto-layout file): the same split of
    packages into files, importing the files that define what it uses."""
    deps = set()

    def note_dep(t):
        if t[0] == "ref" and t[1] in ("enum", "record"):
            where = defined_in[(t[2].index, t[3])]
            if where is not f:
                deps.add(proto_file_path(where))

    body = proto_decls(f.decls, f.pkg, note_dep)
    out = ["// Generated by bench/check/gen_workspace.py --proto --proto-layout file. DO NOT EDIT.",
           'syntax = "proto3";', "", "package %s;" % f.pkg.name]
    if deps:
        out.append("")
        out += ['import "%s";' % d for d in sorted(deps)]
    out += body
    out.append("")
    return "\n".join(out)


# ---------------------------------------------------------------- main

def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    data = text.encode("utf-8")
    with open(path, "wb") as fh:
        fh.write(data)
    return len(data)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--files", type=int, default=1000, help="number of .mesh files (default 1000)")
    ap.add_argument("--records", type=int, default=10000, help="number of records (default 10000)")
    ap.add_argument("--products", type=int, default=2000, help="number of products (default 2000)")
    ap.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    ap.add_argument("--out", default="mesh-workspace", help="output directory (default ./mesh-workspace)")
    ap.add_argument("--proto", action="store_true",
                    help="write the same model as one proto3 file per package instead of .mesh files")
    ap.add_argument("--proto-layout", choices=["package", "file"], default="package",
                    help="with --proto: one .proto per package (default), or one per .mesh file, the "
                         "same split of packages into files (files without enums or records are left out)")
    ap.add_argument("--force", action="store_true", help="write into a non-empty --out directory")
    ap.add_argument("--policies", choices=["platform", "std", "none"], default="platform",
                    help="platform (default): platform.gov's five policies; std: those and the standard "
                         "std.policy.baseline and std.policy.gdpr, imported by platform.gov; none: no policy "
                         "at all. std and none write the same contracts (products carrying PII keep them at "
                         "most 90d, as std.policy.gdpr wants), so the two time the policies alone")
    args = ap.parse_args()
    if args.files < 4 or args.records < 1 or args.products < 0:
        sys.exit("gen_workspace: need --files >= 4, --records >= 1, --products >= 0")
    if os.path.isdir(args.out) and os.listdir(args.out) and not args.force:
        sys.exit("gen_workspace: %s is not empty (use --force to write into it anyway)" % args.out)

    g = Generator(args)
    g.build()
    if args.policies != "platform":
        # std.policy.gdpr bounds the retention of personal data to 90 days.
        # Adjusted after generation, so the random draws (and so every other
        # line) are the same as in the default workspace.
        for pkg in g.packages:
            for prod in pkg.products:
                if prod["retention"] == "365d" and any(x["pii"] for x in prod["record"]["fields"]):
                    prod["retention"] = "90d"
    total = 0
    nfiles = 0
    if args.proto:
        index = {p.index: p for p in g.packages}
        if args.proto_layout == "file":
            defined_in = {(pkg.index, obj["name"]): f for pkg in g.packages for f in pkg.files
                          for kind, obj in f.decls if kind in ("enum", "record")}
            for pkg in g.packages:
                for f in pkg.files:
                    if any(kind in ("enum", "record") for kind, _ in f.decls):
                        total += write(os.path.join(args.out, proto_file_path(f)), render_proto_file(f, defined_in))
                        nfiles += 1
        else:
            for pkg in g.packages:
                total += write(os.path.join(args.out, "d%d" % pkg.domain, "p%d.proto" % pkg.index),
                               render_proto_package(pkg, index))
                nfiles += 1
        print("gen_workspace: %d proto files, %d messages, %d packages, %d bytes (%.1f MB) in %s"
              % (nfiles, g.records_made, len(g.packages), total, total / 1e6, args.out))
        return
    for dom in range(g.n_dom):
        total += write(os.path.join(args.out, "d%d" % dom, "meta.mesh"), render_meta(dom))
        nfiles += 1
    total += write(os.path.join(args.out, "platform", "gov", "roles.mesh"), render_gov_roles())
    nfiles += 1
    if args.policies != "none":
        total += write(os.path.join(args.out, "platform", "gov", "policies.mesh"),
                       render_gov_policies(args.policies == "std"))
        nfiles += 1
    for pkg in g.packages:
        for f in pkg.files:
            total += write(os.path.join(args.out, f.path), render_mesh_file(f))
            nfiles += 1
    print("gen_workspace: %d files, %d records, %d products, %d packages, %d domains, %d bytes (%.1f MB) in %s"
          % (nfiles, g.records_made, g.products_made, len(g.packages), g.n_dom, total, total / 1e6, args.out))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""gen_inputs.py: the inputs of the resource-bounds measurements
(docs/hardening.md, "Hardening II: resource bounds") and of their tests.

  gen_inputs.py chain N OUT.mesh [K]    N records, each with K (default 1)
                                        optional fields of the next record's type
                                        (R0 -> R1 -> ...), and a product on R0
  gen_inputs.py intline N OUT.jsonl     one message line {"id":"a","xs":[0,1,...]}
                                        of N one-digit integers (about 2N bytes) (for the product of `chain`:
                                        R0 has a list<int64> field xs)
"""
import sys


def chain(n, out, links=1):
    with open(out, "w") as f:
        f.write("package chain;\n\n")
        for i in range(n):
            nxt = "".join(f"  next{k or ''}: R{i + 1}?;\n" for k in range(links)) if i + 1 < n else ""
            f.write(f"record R{i} {{\n  id: string;\n  xs: list<int64>?;\n{nxt}}}\n\n")
        f.write("domain d {\n  owner \"bench\";\n}\n\n")
        f.write("product head {\n  domain d;\n  version \"0.1.0\";\n  schema R0;\n  topic \"chain.head\" {}\n}\n")


def intline(n, out):
    with open(out, "w") as f:
        f.write('{"id":"a","xs":[')
        step = 100000
        for start in range(0, n, step):
            f.write(",".join(str(i % 10) for i in range(start, min(n, start + step))))
            if start + step < n:
                f.write(",")
        f.write("]}\n")


def main(argv):
    if len(argv) not in (4, 5) or argv[1] not in ("chain", "intline") or (len(argv) == 5 and argv[1] != "chain"):
        sys.stderr.write(__doc__)
        return 2
    {"chain": chain, "intline": intline}[argv[1]](int(argv[2]), argv[3], *map(int, argv[4:]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))

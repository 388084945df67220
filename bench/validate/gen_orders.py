#!/usr/bin/env python3
"""Writes N realistic sales.orders.OrderEvent messages as JSON Lines (about
250 bytes each, 5% invalid in varied ways), deterministic for a seed.

usage: gen_orders.py N OUT [--seed S]
"""
import argparse
import json
import random

INVALID_KINDS = ["bad_id", "neg_amount", "bad_currency", "no_offset", "no_items", "bad_sku", "zero_qty",
                 "missing_customer", "refund_no_reason", "not_json"]


def order(r, i):
    items = []
    for k in range(r.randint(1, 3)):
        items.append({"sku": "%s-%04d" % ("".join(r.choice("ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(3)), r.randint(0, 9999)),
                      "qty": r.randint(1, 5), "unit_price": "%d.%02d" % (r.randint(1, 199), r.randint(0, 99))})
    total = sum(int(float(it["unit_price"]) * 100) * it["qty"] for it in items)
    m = {
        "order_id": "ORD-%d" % (1000000 + i),
        "customer_id": "CUST-%d" % r.randint(1, 99999),
        "amount": "%d.%02d" % (total // 100, total % 100),
        "currency": r.choice(["USD", "EUR", "GBP"]),
        "placed_at": "2026-11-%02dT%02d:%02d:%02dZ" % (r.randint(1, 24), r.randint(0, 23), r.randint(0, 59), r.randint(0, 59)),
        "items": items,
        "attributes": {"channel": r.choice(["web", "app", "store"])},
        "status": r.choice(["PLACED", "PAID", "SHIPPED"]),
    }
    if r.random() < 0.3:
        m["coupon"] = r.choice(["XMAS", "WELCOME10", "VIP"])
    return m


def corrupt(r, m, kind):
    if kind == "bad_id": m["order_id"] = "X-" + m["order_id"]
    elif kind == "neg_amount": m["amount"] = "-" + m["amount"]
    elif kind == "bad_currency": m["currency"] = "XYZ"
    elif kind == "no_offset": m["placed_at"] = m["placed_at"].rstrip("Z")
    elif kind == "no_items": m["items"] = []
    elif kind == "bad_sku": m["items"][0]["sku"] = "abc"
    elif kind == "zero_qty": m["items"][0]["qty"] = 0
    elif kind == "missing_customer": del m["customer_id"]
    elif kind == "refund_no_reason": m["status"] = "REFUNDED"
    elif kind == "not_json": return json.dumps(m, separators=(",", ":"))[:-1]
    return json.dumps(m, separators=(",", ":"))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("n", type=int)
    ap.add_argument("out")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    r = random.Random(args.seed)
    size = 0
    with open(args.out, "w") as f:
        for i in range(args.n):
            m = order(r, i)
            if r.random() < 0.05:
                line = corrupt(r, m, r.choice(INVALID_KINDS))
            else:
                line = json.dumps(m, separators=(",", ":"))
            f.write(line + "\n")
            size += len(line) + 1
    print(f"gen_orders: {args.n} messages, {size} bytes, {size / max(args.n, 1):.0f} bytes each")


if __name__ == "__main__":
    main()

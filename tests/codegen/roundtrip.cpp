// Exercises the generated API of the example contracts: parse, to_json and
// parse again to the same struct; in-memory validation; masked copies.
// Built and run by tests/codegen/run.py (MESH_MASK_KEY=test-key).
#include <cstdio>
#include <cstdlib>
#include <string>

#include "sales/customers.mesh.h"
#include "sales/orders.mesh.h"

namespace {
int failures = 0;
void expect(bool ok, const char* what) {
  if (!ok) {
    std::printf("FAILED: %s\n", what);
    ++failures;
  }
}
}  // namespace

int main() {
  const int64_t now = meshrt::parseTimestamp("2026-11-25T12:00:00Z")->micros;
  std::vector<meshrt::Violation> v;
  sales::orders::OrderEvent order;
  std::string json =
      R"({"order_id":"ORD-7","customer_id":"CUST-42","amount":"19.90","placed_at":"2026-11-25T11:00:00+01:00",)"
      R"("items":[{"sku":"ABC-1234","qty":2,"unit_price":9.95}],"attributes":{"channel":"web"},"coupon":"XMAS"})";
  expect(sales::orders::parse(json, order, v, now), "a valid order parses");
  expect(v.empty(), "no violations");
  expect(order.currency == sales::orders::Currency::USD, "the default currency is filled in");
  expect(order.amount.str() == "19.90", "decimal kept exactly");
  expect(order.placed_at.micros == meshrt::parseTimestamp("2026-11-25T10:00:00Z")->micros, "timestamp in UTC");

  std::string back = sales::orders::to_json(order);
  sales::orders::OrderEvent again;
  expect(sales::orders::parse(back, again, v, now), "serialized JSON parses again");
  expect(sales::orders::sameRecord(order, again), "round trip gives the same struct");

  // Parsing into a struct that held a bigger message (more items, more
  // attributes, a coupon and a reason) reads over its storage: the result is
  // the same struct as a fresh parse.
  {
    std::string big =
        R"({"order_id":"ORD-123456789","customer_id":"CUST-a-much-longer-customer-id","amount":"1000.00",)"
        R"("placed_at":"2026-11-25T11:00:00Z","status":"REFUNDED","reason":"damaged in transit, refunded in full",)"
        R"("items":[{"sku":"ABC-1234","qty":2,"unit_price":"9.95"},{"sku":"XYZ-9999","qty":1,"unit_price":"980.10"},)"
        R"({"sku":"DEF-0001","qty":7,"unit_price":"0.10"}],"attributes":{"channel":"web","campaign":"winter-sale"},)"
        R"("coupon":"A-LONG-COUPON-CODE-2026"})";
    sales::orders::OrderEvent reused, fresh;
    v.clear();
    expect(sales::orders::parse(big, reused, v, now), "the bigger order parses");
    expect(sales::orders::parse(json, reused, v, now), "the order parses into the used struct");
    expect(sales::orders::parse(json, fresh, v, now), "the order parses into a fresh struct");
    expect(sales::orders::sameRecord(reused, fresh), "a reused struct ends up as a fresh one");
    expect(reused.items.size() == 1 && !reused.reason && reused.attributes.size() == 1,
           "leftover items, attributes and optionals are gone");
  }

  expect(sales::orders::validate(order, v, now), "the parsed struct validates in memory");
  order.items[0].qty = 0;
  order.status = sales::orders::OrderStatus::REFUNDED;
  v.clear();
  expect(!sales::orders::validate(order, v, now), "a struct broken in memory fails");
  expect(v.size() == 2 && v[0].path == "$.items[0].qty" && v[1].rule == meshrt::Rule::Check,
         "qty and the refund check are reported");

  auto masked = sales::orders::mask_orders_placed_for_analytics(order);
  expect(masked.customer_id != order.customer_id, "customer_id is masked for analytics");
  expect(masked.customer_id.size() == 64, "hash masking is hex HMAC-SHA-256");
  expect(masked.customer_id == meshrt::maskHash("CUST-42"), "masking is deterministic for joins");
  expect(masked.order_id == order.order_id, "unmasked fields are kept");

  if (failures) return 1;
  std::puts("roundtrip ok");
  return 0;
}

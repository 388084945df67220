// publish_orders BOOTSTRAP: the seed article's 100 orders through the
// generated sales.orders.orders_placed producer; orders 13, 42 and 77 are
// broken and must be refused before sending. Prints "published N rejected M
// delivered D" (tests/integration/producer_test.py checks it).
#include <cstdio>
#include <string>

#include "sales/orders.mesh.h"

int main(int argc, char** argv) {
  if (argc < 2) return 2;
  meshrt::KafkaProducer kafka(argv[1], {{"client.id", "orders-producer"}});
  sales::orders::orders_placed_producer producer(kafka);
  std::vector<meshrt::Violation> violations;
  for (int i = 1; i <= 100; ++i) {
    sales::orders::OrderEvent order;
    order.order_id = "ORD-" + std::to_string(i);
    order.customer_id = "CUST-" + std::to_string(i % 10);
    meshrt::parseDecimal(std::to_string(i * 123 / 100) + "." + std::to_string(i * 123 % 100 / 10) +
                             std::to_string(i * 123 % 10),
                         false, 12, 2, order.amount);
    order.placed_at = meshrt::Timestamp{meshrt::nowMicros() - 60 * 1000000LL};
    sales::orders::LineItem item;
    item.sku = "ABC-1234";
    item.qty = 1;
    item.unit_price = order.amount;
    order.items.push_back(item);
    if (i == 13) order.amount.unscaled = -order.amount.unscaled;  // amount must be > 0
    if (i == 42) order.items.clear();                               // at least one item
    if (i == 77) order.order_id = "X-77";                           // must match ^ORD-[0-9]+$
    violations.clear();
    std::string error;
    if (!producer.publish(order, violations, &error) && !error.empty()) {
      std::fprintf(stderr, "kafka error: %s\n", error.c_str());
      return 1;
    }
  }
  if (!kafka.flush(30000)) return 1;
  std::printf("published %llu rejected %llu delivered %llu\n", static_cast<unsigned long long>(producer.published()),
              static_cast<unsigned long long>(producer.rejected()), static_cast<unsigned long long>(kafka.delivered()));
  return 0;
}

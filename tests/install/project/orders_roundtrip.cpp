// orders_roundtrip: a domain program on the C++ meshc_generate() compiled
// from examples/contracts (tests/install/run.py drives it).
//   orders_roundtrip check QTY            builds an order with one line of QTY units,
//                                         validates it, serializes and re-parses it
//   orders_roundtrip publish BOOTSTRAP    publishes orders ORD-1..3 (and refuses a broken one)
//   orders_roundtrip consume BOOTSTRAP TOPIC GROUP COUNT
//                                         reads COUNT typed orders from TOPIC
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sales/orders.mesh.h"

namespace {

sales::orders::OrderEvent makeOrder(int number, int qty) {
  sales::orders::OrderEvent order;
  order.order_id = "ORD-" + std::to_string(number);
  order.customer_id = "CUST-" + std::to_string(number);
  meshrt::parseDecimal("19.90", false, 12, 2, order.amount);
  order.currency = sales::orders::Currency::EUR;
  order.placed_at = meshrt::Timestamp{meshrt::nowMicros() - 60 * 1000000LL};
  sales::orders::LineItem item;
  item.sku = "KIT-0042";
  item.qty = qty;
  meshrt::parseDecimal("19.90", false, 10, 2, item.unit_price);
  order.items.push_back(item);
  return order;
}

void printViolations(const std::vector<meshrt::Violation>& violations) {
  for (const auto& v : violations) std::printf("violation %s %s\n", v.path.c_str(), meshrt::ruleName(v.rule));
}

int check(int qty) {
  sales::orders::OrderEvent order = makeOrder(7, qty);
  std::vector<meshrt::Violation> violations;
  bool valid = sales::orders::validate(order, violations);
  std::printf("validate %s\n", valid ? "valid" : "invalid");
  printViolations(violations);
  std::string json = sales::orders::to_json(order);
  std::printf("json %s\n", json.c_str());
  sales::orders::OrderEvent back;
  violations.clear();
  bool parsed = sales::orders::parse(json, back, violations);
  std::printf("parse %s same %s\n", parsed ? "valid" : "invalid", sales::orders::sameRecord(order, back) ? "yes" : "no");
  return 0;
}

int publish(const char* bootstrap) {
  meshrt::KafkaProducer kafka(bootstrap, {{"client.id", "orders-domain"}});
  sales::orders::orders_placed_producer producer(kafka);
  std::vector<meshrt::Violation> violations;
  for (int i = 1; i <= 4; ++i) {
    sales::orders::OrderEvent order = makeOrder(i, 1);
    if (i == 4) order.order_id = "X-4";  // must match ^ORD-[0-9]+$: refused before sending
    violations.clear();
    std::string error;
    if (!producer.publish(order, violations, &error)) {
      if (!error.empty()) {
        std::fprintf(stderr, "kafka error: %s\n", error.c_str());
        return 1;
      }
      std::printf("refused %s\n", order.order_id.c_str());
      printViolations(violations);
    }
  }
  if (!kafka.flush(30000)) return 1;
  std::printf("published %llu rejected %llu delivered %llu\n", static_cast<unsigned long long>(producer.published()),
              static_cast<unsigned long long>(producer.rejected()),
              static_cast<unsigned long long>(kafka.delivered()));
  return 0;
}

int consume(const char* bootstrap, const char* topic, const char* group, long count) {
  sales::orders::orders_placed_consumer consumer(bootstrap, group, topic, {{"session.timeout.ms", "6000"}});
  sales::orders::orders_placed_consumer::Message message;
  for (long read = 0, idle = 0; read < count;) {
    std::string error;
    if (!consumer.poll(message, 1000, &error)) {
      if (++idle >= 60) {
        std::fprintf(stderr, "orders_roundtrip: no message for 60 s after %ld (%s)\n", read, error.c_str());
        return 1;
      }
      continue;
    }
    idle = 0;
    ++read;
    if (message.valid())
      std::printf("received %s items %zu qty %d\n", message.value.order_id.c_str(), message.value.items.size(),
                  message.value.items.empty() ? 0 : static_cast<int>(message.value.items[0].qty));
    else
      std::printf("received invalid %s\n", message.violations.front().path.c_str());
  }
  consumer.commit();
  consumer.close();
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string mode = argc > 1 ? argv[1] : "";
  if (mode == "check" && argc == 3) return check(std::atoi(argv[2]));
  if (mode == "publish" && argc == 3) return publish(argv[2]);
  if (mode == "consume" && argc == 6) return consume(argv[2], argv[3], argv[4], std::atol(argv[5]));
  std::fprintf(stderr,
               "usage: orders_roundtrip check QTY | publish BOOTSTRAP | consume BOOTSTRAP TOPIC GROUP COUNT\n");
  return 2;
}

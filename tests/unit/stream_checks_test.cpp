// The windows behind the gate's quality rules (runtime/kafka/stream_checks.h).
#include "stream_checks.h"

#include <doctest/doctest.h>

namespace {
constexpr int64_t kSecond = 1000000;
}

TEST_CASE("WindowCounter counts what fell inside the sliding window") {
  meshrt::WindowCounter counter(10 * kSecond);
  counter.add(100 * kSecond);
  counter.add(100 * kSecond + 500000, 2);
  counter.add(105 * kSecond);
  CHECK(counter.total(105 * kSecond) == 4);
  CHECK(counter.total(109 * kSecond + 999999) == 4);
  CHECK(counter.total(110 * kSecond) == 1);  // second 100 is out once 10 s passed
  CHECK(counter.total(115 * kSecond) == 0);
  counter.add(200 * kSecond, 5);
  CHECK(counter.total(200 * kSecond) == 5);
}

TEST_CASE("UniqueWindow sees repeats inside the window only, within its capacity") {
  meshrt::UniqueWindow window(60 * kSecond, 1000);
  CHECK_FALSE(window.seen(1, 0));
  CHECK_FALSE(window.seen(2, 10 * kSecond));
  CHECK(window.seen(1, 30 * kSecond));        // inside the minute
  CHECK(window.seen(1, 70 * kSecond));        // the repeat at 30 s is still inside
  CHECK_FALSE(window.seen(2, 71 * kSecond));  // the 2 at 10 s has left
  CHECK_FALSE(window.truncated());

  meshrt::UniqueWindow small(60 * kSecond, 3);
  for (uint64_t v = 0; v < 4; ++v) CHECK_FALSE(small.seen(v, kSecond));
  CHECK(small.truncated());  // the fourth value pushed out the first
  CHECK(small.size() == 3);
  CHECK_FALSE(small.seen(0, 2 * kSecond));  // forgotten early: a repeat not seen (and said so)
}

#include <prometheus/registry.h>

#include "meshrt/stream_fields.h"

TEST_CASE("streamHash: equal values hash alike whatever their spelling, kinds apart") {
  using meshrt::streamHash;
  CHECK(streamHash(meshrt::Decimal{125, 1}) == streamHash(meshrt::Decimal{1250, 2}));  // 12.5 and 12.50
  CHECK(streamHash(meshrt::Decimal{0, 3}) == streamHash(meshrt::Decimal{0, 0}));
  CHECK(streamHash(meshrt::Decimal{125, 1}) != streamHash(meshrt::Decimal{125, 2}));
  CHECK(streamHash(-0.0) == streamHash(0.0));
  CHECK(streamHash(1.5) != streamHash(2.5));
  CHECK(streamHash(std::string("1")) != streamHash(int64_t{1}));
  CHECK(streamHash(true) != streamHash(int64_t{1}));
  CHECK(streamHash(int32_t{7}) == streamHash(int64_t{7}));
  CHECK(streamHash(meshrt::Date{3}) != streamHash(int64_t{3}));
  CHECK(streamHash(std::string("abc")) == streamHash(std::string_view("abc")));
  CHECK(streamHash(std::vector<std::string>{"a", "b"}) != streamHash(std::vector<std::string>{"b", "a"}));
  CHECK(streamHash(std::vector<std::string>{"ab"}) != streamHash(std::vector<std::string>{"a", "b"}));
  CHECK(streamHash(std::optional<int64_t>{}) != streamHash(std::optional<int64_t>{0}));
}

namespace {
// The value of a gauge of the registry with the given rule label.
double gauge(prometheus::Registry& registry, const std::string& family, const std::string& rule) {
  for (const auto& f : registry.Collect())
    if (f.name == family)
      for (const auto& m : f.metric)
        for (const auto& label : m.label)
          if (label.name == "rule" && label.value == rule) return m.gauge.value;
  FAIL("no gauge " << family << " for " << rule);
  return -1;
}
}  // namespace

TEST_CASE("StreamChecks: fields handed over judge like fields read from the JSON") {
  const meshrt::QualityRuleSpec specs[] = {
      {meshrt::QualityRuleSpec::Kind::Unique, meshrt::QualityRuleSpec::Op::Ge, "/id", 0, 3600 * kSecond, "unique"},
      {meshrt::QualityRuleSpec::Kind::NullRate, meshrt::QualityRuleSpec::Op::Le, "/a/note", 50, 0, "nulls"},
  };
  const meshrt::ProductRules rules{"t.p", 0, specs, 2};
  meshrt::StreamSettings settings;
  settings.minSample = 1;
  prometheus::Registry fromJson, handedOver;
  meshrt::StreamChecks json(
      rules, settings, fromJson, [](const std::string&) {}, 0);
  meshrt::StreamChecks fields(
      rules, settings, handedOver, [](const std::string&) {}, 0);
  struct Message {
    const char* json;
    bool valid;
    const char* id;    // null: absent
    const char* note;  // null: absent or null (or its record is)
  };
  const Message messages[] = {
      {R"({"id":"x","a":{"note":"n"}})", true, "x", "n"},
      {R"({"id":"y","a":{"note":null}})", true, "y", nullptr},
      {R"({"id":"x","a":null})", true, "x", nullptr},       // a repeat of x; a null record on the way
      {R"({"id":"x","a":{"note":"n"}})", false, "x", "n"},  // invalid: not looked at
      {R"({"id":"z"})", true, "z", nullptr},                // absent record
      {R"({"id":"z","a":{"note":"m"}})", true, "z", "m"},   // a repeat of z
  };
  int64_t now = 10 * kSecond;
  meshrt::StreamFields handed;
  for (const Message& m : messages) {
    json.observe(m.json, m.valid, 0, now);
    handed.reset(2);
    if (m.id) handed.set(0, meshrt::streamHash(std::string(m.id)));
    if (m.note) handed.set(1, 0);
    fields.observe(handed, m.valid, 0, now);
    now += kSecond;
  }
  json.evaluate(now);
  fields.evaluate(now);
  CHECK(gauge(fromJson, "mesh_quality_value", "unique") == 2);
  CHECK(gauge(handedOver, "mesh_quality_value", "unique") == 2);
  CHECK(gauge(fromJson, "mesh_quality_value", "nulls") == doctest::Approx(0.6));  // 3 of the 5 valid
  CHECK(gauge(handedOver, "mesh_quality_value", "nulls") == doctest::Approx(0.6));
}

// The windows behind the gate's quality rules (runtime/kafka/stream_checks.h).
#include <doctest/doctest.h>

#include "stream_checks.h"

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
  CHECK(small.truncated());               // the fourth value pushed out the first
  CHECK(small.size() == 3);
  CHECK_FALSE(small.seen(0, 2 * kSecond));  // forgotten early: a repeat not seen (and said so)
}

// parallelFor (support/Parallel.h), which `meshc -j N` runs the checker's
// per-declaration phases, the generators and the writer on (docs/scale.md):
// every index exactly once whatever the thread count, and a task's exception
// reaches the caller after all threads stop.
#include "support/Parallel.h"

#include <doctest/doctest.h>

#include <atomic>
#include <chrono>
#include <stdexcept>
#include <thread>
#include <vector>

using mesh::parallelFor;

TEST_CASE("parallelFor runs every index exactly once") {
  for (unsigned jobs : {0u, 1u, 2u, 3u, 8u}) {
    for (size_t count : {size_t(0), size_t(1), size_t(5), size_t(1000)}) {
      std::vector<std::atomic<int>> seen(count);
      parallelFor(count, jobs, [&](size_t i) { seen[i]++; });
      for (size_t i = 0; i < count; ++i) {
        INFO("jobs " << jobs << ", count " << count << ", index " << i);
        CHECK(seen[i].load() == 1);
      }
    }
  }
}

TEST_CASE("parallelFor uses more than one thread when asked") {
  std::atomic<int> inside{0}, most{0};
  parallelFor(64, 4, [&](size_t) {
    int now = ++inside;
    for (int seen = most.load(); now > seen && !most.compare_exchange_weak(seen, now);) {
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    --inside;
  });
  CHECK(most.load() > 1);
  most = 0;
  parallelFor(16, 1, [&](size_t) {
    int now = ++inside;
    if (now > most) most = now;
    --inside;
  });
  CHECK(most.load() == 1);
}

TEST_CASE("parallelFor rethrows a task's exception on the caller") {
  for (unsigned jobs : {1u, 2u, 4u}) {
    std::atomic<int> ran{0};
    CHECK_THROWS_WITH_AS(parallelFor(100, jobs,
                                     [&](size_t i) {
                                       ++ran;
                                       if (i == 10) throw std::runtime_error("task 10 failed");
                                       // Slow enough that the failure is seen long before the end.
                                       if (i > 10) std::this_thread::sleep_for(std::chrono::milliseconds(1));
                                     }),
                         "task 10 failed", std::runtime_error);
    // Tasks after the failure are not started (those already running finish).
    CHECK(ran.load() < 50);
  }
}

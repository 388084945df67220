// Parallel: how meshc's checker and generators run work on `-j N` threads.
// (The loader parses with a pool of its own: each worker keeps the texts
// another worker is already parsing for its end, see check/Loader.cpp.)
#include "support/Parallel.h"

#include <pthread.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <vector>

namespace mesh {

void parallelFor(size_t count, unsigned jobs, const std::function<void(size_t)>& body) {
  size_t threads = std::min<size_t>(std::max(1u, jobs), count);
  if (threads <= 1) {
    for (size_t i = 0; i < count; ++i) body(i);
    return;
  }
  std::atomic<size_t> next{0};
  std::atomic<bool> failed{false};
  std::exception_ptr error;
  std::mutex errorMutex;
  auto work = [&] {
    for (size_t i; !failed && (i = next++) < count;) {
      try {
        body(i);
      } catch (...) {
        std::lock_guard<std::mutex> lock(errorMutex);
        if (!error) error = std::current_exception();
        failed = true;
      }
    }
  };
  // The checker and the generators recurse over the model (nested records,
  // expressions up to the parser's depth cap) like the thread meshc compiles
  // on, so workers get as large a stack (reserved, not committed). If a thread cannot be
  // created, the ones that were (and this one) do the work.
  std::vector<pthread_t> pool;
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(512) << 20);
  auto entry = [](void* arg) -> void* {
    (*static_cast<decltype(work)*>(arg))();
    return nullptr;
  };
  for (size_t t = 1; t < threads; ++t) {
    pthread_t thread;
    if (pthread_create(&thread, &attr, entry, &work) != 0) break;
    pool.push_back(thread);
  }
  pthread_attr_destroy(&attr);
  work();
  for (pthread_t t : pool) pthread_join(t, nullptr);
  if (error) std::rethrow_exception(error);
}

}  // namespace mesh

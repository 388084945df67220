// LargeStack: see LargeStack.h.
#include "driver/LargeStack.h"

#include <pthread.h>

#include <cstddef>

namespace mesh::driver {

int runWithLargeStack(const std::function<int()>& body) {
  struct Job {
    const std::function<int()>* body;
    int result = 2;
  } job{&body};
  pthread_attr_t attr;
  pthread_attr_init(&attr);
  pthread_attr_setstacksize(&attr, size_t(512) << 20);
  pthread_t thread;
  auto entry = [](void* p) -> void* {
    auto* j = static_cast<Job*>(p);
    j->result = (*j->body)();
    return nullptr;
  };
  if (pthread_create(&thread, &attr, entry, &job) != 0) {
    pthread_attr_destroy(&attr);
    return body();
  }
  pthread_join(thread, nullptr);
  pthread_attr_destroy(&attr);
  return job.result;
}

}  // namespace mesh::driver

// Parallel: how meshc's checker and generators run work on `-j N` threads.
// (The loader parses with a pool of its own: each worker keeps the texts
// another worker is already parsing for its end, see check/Loader.cpp.)
#pragma once

#include <cstddef>
#include <functional>

namespace mesh {

/// Runs body(0) ... body(count - 1) on up to `jobs` threads (the calling
/// thread is one of them). Indices are handed out in order, one at a time,
/// so uneven items balance; body must only write what index i owns. An
/// exception in a body is rethrown on the calling thread once all stopped.
/// Workers run on 512 MiB (reserved) stacks, as the thread meshc compiles on.
void parallelFor(size_t count, unsigned jobs, const std::function<void(size_t)>& body);

}  // namespace mesh

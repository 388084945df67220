// LargeStack: the thread every compilation runs on. Compilation recurses
// over syntax trees: it gets a stack no input can exhaust (nesting is also
// capped by the parser).
#pragma once

#include <functional>

namespace mesh::driver {

/// Runs `body` on a thread with a 512 MiB stack (on this thread when none
/// can be started) and returns its result.
int runWithLargeStack(const std::function<int()>& body);

}  // namespace mesh::driver

// limits.h: the bounds every reader of messages keeps, stated once: meshc's
// reference evaluator (compiler/eval), the runtime's readers and the
// generated validators use these, so they refuse the same inputs.
// C++17: generated code includes it.
#pragma once

#include <cstddef>

namespace meshrt {

/// The deepest nesting of arrays and objects a message may have: deeper is
/// not valid JSON (one `parse` violation). 1024 is simdjson's default depth,
/// and the reference reader keeps the same limit so both agree on every text.
inline constexpr size_t kMaxJsonDepth = 1024;

/// The steps a violation's JSONPath can hold (meshrt::Sink): one per nesting
/// level, and some more for what a path adds below the deepest value (the
/// step of a missing required field). Deliberately above kMaxJsonDepth, not
/// a second limit on the document.
inline constexpr size_t kMaxPathSteps = kMaxJsonDepth + 16;

/// The longest message line `meshc validate` and `mesh-validate` read:
/// 16 MiB, sixteen times Kafka's default message.max.bytes (1 MB), so any
/// message a broker carries by default fits, while one line cannot make a
/// validator hold more than a bounded multiple of it (docs/hardening.md).
inline constexpr size_t kMaxMessageLine = size_t{16} << 20;

}  // namespace meshrt

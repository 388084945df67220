// Fuzz target: the validators generated from examples/contracts, every
// product and record of them, on one message (the input, whole). A crash, a
// sanitizer report or a hang is a finding, and so is a result that breaks the
// contract of parse(): it returns true exactly when it added no violation,
// every violation has a JSONPath starting at `$` and a message, and a `parse`
// violation is alone.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

#include "generated_targets.h"
#include "meshrt/report.h"

namespace {

[[noreturn]] void fail(const meshrt::ValidateTarget& target, const char* what) {
  std::fprintf(stderr, "fuzz-validator: %s: %s\n", target.name, what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  size_t count = 0;
  const meshrt::ValidateTarget* targets = meshFuzzGeneratedTargets(&count);
  std::vector<meshrt::Violation> violations;
  std::string out;
  for (size_t i = 0; i < count; ++i) {
    violations.clear();
    bool valid = targets[i].validate(json, violations, kMeshFuzzNow);
    if (valid != violations.empty()) fail(targets[i], "the result disagrees with the violations");
    for (const auto& v : violations) {
      if (v.path.empty() || v.path[0] != '$') fail(targets[i], "a violation's path does not start at $");
      if (v.message.empty()) fail(targets[i], "a violation without a message");
      if (v.rule == meshrt::Rule::Parse && v.path == "$" && violations.size() != 1)
        fail(targets[i], "a parse violation at $ is not alone");
    }
    out.clear();
    meshrt::appendResultLine(out, 1, violations);
  }
  return 0;
}

// Fuzz target: the reference evaluator (compiler/eval, what `meshc validate`
// runs) against the validators generated from examples/contracts, on one
// message, for every product and record. tests/differential compares
// `mesh-validate` with `meshc validate` byte for byte, so this target does
// too: the same verdict and the same violations (path, rule and message, in
// order), or it aborts and prints both.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "compilation/Compilation.h"
#include "eval/Validate.h"
#include "generated_targets.h"
#include "meshrt/report.h"

namespace {

struct Reference {
  mesh::compilation::Compilation examples;
  std::vector<std::unique_ptr<mesh::eval::Validator>> validators;  // in the order of the generated table
};

// The examples, loaded and checked once (they must check cleanly).
Reference& reference() {
  static Reference* ref = [] {
    auto* r = new Reference;
    mesh::compilation::Options options;
    options.paths = {MESH_SOURCE_DIR "/examples/contracts"};
    options.stdlibDir = MESH_SOURCE_DIR "/stdlib";
    options.today = *meshrt::parseDate("2026-11-25");
    std::string error;
    if (!r->examples.loadAndCheck(options, error)) {
      std::fprintf(stderr, "fuzz-differential: %s\n", error.c_str());
      std::abort();
    }
    if (!r->examples.build || r->examples.diags.hasErrors()) {
      std::fprintf(stderr, "fuzz-differential: examples/contracts does not check\n");
      std::abort();
    }
    size_t count = 0;
    const meshrt::ValidateTarget* targets = meshFuzzGeneratedTargets(&count);
    for (size_t i = 0; i < count; ++i) {
      const mesh::model::Type* target = mesh::eval::findValidationTarget(*r->examples.build, targets[i].name);
      if (!target) {
        std::fprintf(stderr, "fuzz-differential: meshc does not know the generated target %s\n", targets[i].name);
        std::abort();
      }
      r->validators.push_back(std::make_unique<mesh::eval::Validator>(*target));
    }
    return r;
  }();
  return *ref;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view json(reinterpret_cast<const char*>(data), size);
  Reference& ref = reference();
  size_t count = 0;
  const meshrt::ValidateTarget* targets = meshFuzzGeneratedTargets(&count);
  std::vector<meshrt::Violation> generated;
  std::string expected, actual;
  for (size_t i = 0; i < count; ++i) {
    std::vector<meshrt::Violation> evaluated =
        ref.validators[i]->validate(json, mesh::eval::ValidateOptions{kMeshFuzzNow});
    generated.clear();
    bool valid = targets[i].validate(json, generated, kMeshFuzzNow);
    // The result line is what both tools print: compare it byte for byte.
    expected.clear();
    actual.clear();
    meshrt::appendResultLine(expected, 1, evaluated);
    meshrt::appendResultLine(actual, 1, generated);
    if (expected != actual || valid != evaluated.empty()) {
      std::fprintf(stderr,
                   "fuzz-differential: %s: the generated validator disagrees with meshc validate\n"
                   "  meshc validate: %s  generated:      %s  (generated returned %s)\n",
                   targets[i].name, expected.c_str(), actual.c_str(), valid ? "valid" : "invalid");
      std::abort();
    }
  }
  return 0;
}

// What the unit tests that compile a contract written in the test share: the
// options for one in-memory file, with the repository's standard library, on
// the tests' fixed day.
#pragma once

#include <doctest/doctest.h>

#include <string>

#include "compilation/Compilation.h"

namespace mesh::testing {

/// Loads and checks `text` as the one file `name` on 2026-11-25; fails the
/// test if the environment fails or, with `clean`, if checking reports errors.
inline void compileText(compilation::Compilation& c, const std::string& name, const std::string& text,
                        bool clean = true) {
  compilation::Options options;
  options.memoryFiles.push_back({name, text});
  options.stdlibDir = MESH_SOURCE_DIR "/stdlib";
  options.today = *meshrt::parseDate("2026-11-25");
  std::string error;
  REQUIRE(c.loadAndCheck(options, error));
  if (clean) REQUIRE_FALSE(c.diags.hasErrors());
}

}  // namespace mesh::testing

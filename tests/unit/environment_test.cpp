// Environment: the MESH_* variables meshrt reads are refused when set to a
// value it cannot use (docs/hardening.md, "Hardening II: input hygiene"), and
// the generated mesh-validate main refuses a directory as its input; user
// text is escaped for terminals.
#include <doctest/doctest.h>
#include <stdlib.h>

#include <filesystem>
#include <optional>
#include <stdexcept>
#include <string>

#include "meshrt/runtime.h"

namespace {

// Sets (or unsets, with nullopt) an environment variable for one scope.
class ScopedEnv {
 public:
  ScopedEnv(const char* name, std::optional<std::string> value) : name_(name) {
    if (const char* old = std::getenv(name)) old_ = old;
    if (value)
      ::setenv(name, value->c_str(), 1);
    else
      ::unsetenv(name);
  }
  ~ScopedEnv() {
    if (old_)
      ::setenv(name_, old_->c_str(), 1);
    else
      ::unsetenv(name_);
  }

 private:
  const char* name_;
  std::optional<std::string> old_;
};

bool acceptAll(std::string_view, std::vector<meshrt::Violation>&, int64_t) { return true; }

int runValidateMain(std::vector<std::string> args) {
  const meshrt::ValidateTarget targets[] = {{"t.R", &acceptAll}};
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  return meshrt::validateMain(static_cast<int>(argv.size()), argv.data(), targets, 1);
}

}  // namespace

TEST_CASE("MESH_NOW must be an RFC 3339 timestamp when set") {
  {
    ScopedEnv now("MESH_NOW", "garbage");
    auto error = meshrt::environmentError();
    REQUIRE(error);
    CHECK(error->find("MESH_NOW") != std::string::npos);
    CHECK(error->find("RFC 3339") != std::string::npos);
    CHECK(meshrt::nowEnvironmentError() == error);
    CHECK(runValidateMain({"mesh-validate", "--product", "t.R", "/dev/null"}) == 2);
  }
  {
    ScopedEnv now("MESH_NOW", "2026-02-30T00:00:00Z");
    CHECK(meshrt::nowEnvironmentError());
  }
  {
    ScopedEnv now("MESH_NOW", "2026-11-25T12:00:00Z");
    CHECK_FALSE(meshrt::environmentError());
  }
  {
    ScopedEnv now("MESH_NOW", std::nullopt);
    CHECK_FALSE(meshrt::environmentError());
    CHECK(runValidateMain({"mesh-validate", "--product", "t.R", "/dev/null"}) == 0);
  }
}

TEST_CASE("MESH_MASK_KEY set but empty is refused, by the mains and by maskHash") {
  ScopedEnv now("MESH_NOW", std::nullopt);
  {
    ScopedEnv key("MESH_MASK_KEY", "");
    auto error = meshrt::environmentError();
    REQUIRE(error);
    CHECK(error->find("MESH_MASK_KEY") != std::string::npos);
    CHECK_FALSE(meshrt::nowEnvironmentError());
    CHECK_THROWS_AS(meshrt::maskHash("CUST-42"), std::invalid_argument);
    CHECK(runValidateMain({"mesh-validate", "--product", "t.R", "/dev/null"}) == 2);
  }
  {
    ScopedEnv key("MESH_MASK_KEY", "k");
    CHECK_FALSE(meshrt::environmentError());
    CHECK(meshrt::maskHash("CUST-42").size() == 64);
  }
}

TEST_CASE("mesh-validate refuses a directory as its input") {
  ScopedEnv now("MESH_NOW", std::nullopt);
  std::string dir = std::filesystem::temp_directory_path().string();
  CHECK(runValidateMain({"mesh-validate", "--product", "t.R", dir}) == 2);
}

TEST_CASE("control characters are escaped for terminals, C1 included") {
  CHECK(meshrt::escapeControlCharacters("a\x1b[2Jb\bc\rd\ne\tf\x7f") == "a\\u{1B}[2Jb\\u{8}c\\rd\\ne\tf\\u{7F}");
  CHECK(meshrt::escapeControlCharacters("\xc2\x9b"
                                        "31m caf\xc3\xa9 \xc2\xa0") == "\\u{9B}31m caf\xc3\xa9 \xc2\xa0");
  CHECK(meshrt::escapeControlCharactersInLines("one\x1b\ntwo\n") == "one\\u{1B}\ntwo\n");
  CHECK(meshrt::escapeControlCharacters("\xc2") == "\xc2");  // invalid UTF-8 passes as is
}

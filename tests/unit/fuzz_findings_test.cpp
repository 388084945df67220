// What the fuzz targets (tests/fuzz) found, pinned at the unit it was fixed
// in. The inputs themselves are replayed by ctest fuzz-replay-*.
#include <doctest/doctest.h>

#include <string>

#include "eval/Json.h"

using namespace std::string_literals;

TEST_CASE("the reference JSON reader refuses a NUL byte anywhere (nlohmann took it for the end)") {
  CHECK(mesh::eval::parseJson(R"({"a":1})").has_value());
  CHECK_FALSE(mesh::eval::parseJson("{\"a\":1}\0"s).has_value());
  CHECK_FALSE(mesh::eval::parseJson("{\"a\":1}\0garbage"s).has_value());
  CHECK_FALSE(mesh::eval::parseJson("\0{\"a\":1}"s).has_value());
  CHECK_FALSE(mesh::eval::parseJson("{\"a\":\"x\0y\"}"s).has_value());
  CHECK_FALSE(mesh::eval::parseJson("\0"s).has_value());
}
